"""Limits on volume (issue "Security II": one activity ended with 116 photos): photos per activity
and files per request, refused with a message, and nothing already saved is lost."""

import datetime
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.models import Evidence

pytestmark = pytest.mark.django_db
WIB = datetime.timezone(datetime.timedelta(hours=7))
LIMIT = 3


@pytest.fixture(autouse=True)
def small_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SILAHAP_EVIDENCE_MAX_PER_ACTIVITY = LIMIT
    settings.SILAHAP_UPLOAD_MAX_FILES = settings.DATA_UPLOAD_MAX_NUMBER_FILES = 4


@pytest.fixture
def activity(people):
    place = place_create(
        by=people.officer_a,
        name="Hotel Batas",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
    )
    return services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=datetime.datetime(2026, 11, 27, 10, 0, tzinfo=WIB),
        place=place,
    )


def jpeg(shade: int = 0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, shade, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str = "IMG.jpg") -> io.BytesIO:
    file = io.BytesIO(jpeg())
    file.name = name
    return file


def add(people, activity, key=None) -> Evidence:
    return services.evidence_add(
        by=people.officer_a, client_id=key or uuid.uuid4(), activity=activity, data=jpeg()
    )


def english(client, people):
    client.force_login(people.officer_a)
    client.cookies["silahap_language"] = "en"


def test_a_full_activity_refuses_another_photo_and_keeps_its_own(people, activity):
    kept = [add(people, activity) for _ in range(LIMIT)]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add(people, activity)
    assert "at most 3 photos" in " ".join(refused.value.messages)
    assert list(Evidence.objects.filter(activity=activity).order_by("pk")) == kept


def test_a_repeated_photo_of_a_full_activity_lands_on_the_first(people, activity):
    key = uuid.uuid4()
    first = add(people, activity, key)
    for _ in range(LIMIT - 1):
        add(people, activity)
    assert add(people, activity, key) == first
    assert Evidence.objects.filter(activity=activity).count() == LIMIT


def test_an_upload_that_does_not_fit_is_refused_whole_with_how_many_fit(client, people, activity):
    english(client, people)
    add(people, activity)
    add(people, activity)
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": [upload("a.jpg"), upload("b.jpg")]},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'data-testid="photo-errors"' in content
    assert "Only 1 more photo fits in this activity" in content
    # The two photos saved before, and the report, are untouched.
    assert Evidence.objects.filter(activity=activity).count() == 2
    assert activity.report.activities.count() == 1


def test_an_outbox_resend_of_the_upload_that_filled_the_activity_is_no_error(
    client, people, activity
):
    english(client, people)
    add(people, activity)
    data = lambda key: {"client_id": key, "photo": [upload("a.jpg"), upload("b.jpg")]}  # noqa: E731
    key = str(uuid.uuid4())
    url = reverse("reports:evidence_add", args=[activity.pk])
    assert client.post(url, data(key)).status_code == 302
    assert client.post(url, data(key)).status_code == 302
    assert Evidence.objects.filter(activity=activity).count() == LIMIT
    # A new upload to the full activity is refused with the message of a full activity.
    refused = client.post(url, data(str(uuid.uuid4())))
    assert refused.status_code == 422
    assert "at most 3 photos; this one is full" in refused.content.decode()


def test_too_many_files_in_one_request_are_refused_with_a_message(client, people, activity):
    english(client, people)
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": [upload(f"{n}.jpg") for n in range(5)]},
    )
    assert response.status_code == 413
    content = response.content.decode()
    assert 'data-testid="upload-refused"' in content
    assert "send at most 4 files in one go" in content
    assert '<html lang="en">' in content
    assert not Evidence.objects.exists()


def test_too_many_files_from_the_outbox_get_the_message_as_json(client, people, activity):
    english(client, people)
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": [upload(f"{n}.jpg") for n in range(5)]},
        headers={"Accept": "application/json", "X-Outbox": "1"},
    )
    assert response.status_code == 413
    assert response.json()["added"] == 0
    assert "send at most 4 files" in response.json()["errors"][0]


def test_the_files_limit_counts_every_file_of_any_page(client, people):
    english(client, people)
    files = [upload(f"{n}.csv") for n in range(5)]
    response = client.post(reverse("registry:import_list"), {"file": files})
    assert response.status_code == 413


def test_up_to_the_files_limit_goes_through(client, people, settings, activity):
    settings.SILAHAP_EVIDENCE_MAX_PER_ACTIVITY = 10
    english(client, people)
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": [upload(f"{n}.jpg") for n in range(4)]},
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(activity=activity).count() == 4
