"""New recovery codes: the old ones stop working, the new ones are shown once, audited."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from silahap.accounts import otp
from silahap.accounts.services.otp import otp_recovery_codes_regenerate, otp_token_verify
from silahap.accounts.tests.helpers import MOMENT, enrol
from silahap.audit.models import AuditEvent


@pytest.mark.django_db
def test_new_codes_replace_the_old_ones(people):
    with time_machine.travel(MOMENT, tick=False):
        _device, old = enrol(people.leader_a)
        new = otp_recovery_codes_regenerate(by=people.leader_a)
        assert len(new) == otp.RECOVERY_CODE_COUNT
        assert not set(old) & set(new)
        assert otp_token_verify(user=people.leader_a, code=old[0]).device is None
    event = AuditEvent.objects.get(action="otp_recovery_codes.regenerate")
    assert event.actor_id == people.leader_a.pk
    assert event.summary == {"recovery_codes": otp.RECOVERY_CODE_COUNT}
    assert all(code not in str(event.summary) for code in new)


@pytest.mark.django_db
def test_no_codes_without_an_authenticator(people):
    with pytest.raises(ValidationError):
        otp_recovery_codes_regenerate(by=people.leader_a)
    assert not StaticToken.objects.exists()


@pytest.mark.django_db
def test_the_security_page_makes_new_codes_and_shows_them_once(
    client, people, django_assert_max_num_queries
):
    with time_machine.travel(MOMENT, tick=False):
        device, _old = enrol(people.leader_a)
        client.force_login(people.leader_a)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.cookies["silahap_language"] = "en"
        with django_assert_max_num_queries(12):
            page = client.get(reverse("security"))
        assert page.context["codes_left"] == otp.RECOVERY_CODE_COUNT
        assert "10 recovery codes left" in page.content.decode()
        response = client.post(reverse("otp_recovery_codes"))
        assert response["Location"] == reverse("otp_recovery_codes")
        shown = client.get(reverse("otp_recovery_codes"))
        assert sorted(shown.context["codes"]) == sorted(
            StaticToken.objects.values_list("token", flat=True)
        )
        assert client.get(reverse("otp_recovery_codes")).status_code == 302
