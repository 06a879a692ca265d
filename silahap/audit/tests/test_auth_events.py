import pytest

from silahap.audit.models import AuditEvent
from silahap.testing.personas import PASSWORD


@pytest.mark.django_db
def test_login_logout_and_failed_login_are_recorded(client, people):
    client.post("/login/", {"username": "officer_a", "password": "wrong-password-123"})
    client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    client.post("/logout/")
    actions = list(
        AuditEvent.objects.filter(action__startswith="auth.").values_list("action", flat=True)
    )
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.summary == {"username": "officer_a"}
    assert "wrong-password" not in str(failed.summary)


@pytest.mark.django_db
def test_events_carry_the_request_address_and_id(client, people):
    response = client.post(
        "/login/",
        {"username": "leader_a", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-42",
    )
    assert response["X-Request-ID"] == "req-42"
    event = AuditEvent.objects.get(action="auth.login")
    assert event.ip_address == "10.1.2.3"
    assert event.request_id == "req-42"
    assert event.actor == people.leader_a
