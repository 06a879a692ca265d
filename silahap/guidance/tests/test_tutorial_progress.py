"""Progress is what was played: distinct ranges, completed at 90 %, plus the quiz if any."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.guidance.models import QuizQuestion, TutorialProgress
from silahap.guidance.services import tutorials
from silahap.guidance.services import tutorials as services
from silahap.guidance.tests.helpers import tutorial

pytestmark = pytest.mark.django_db
QUIZ = (
    "Q: Dokumen apa yang diperiksa?\n- KTP\n* Paspor dan ITAS\n"
    "Q: Siapa menandatangani SP?\n* Kepala kantor\n- Petugas\n"
)


@pytest.fixture
def ready(people, mp4_bytes):
    return tutorial(people, mp4_bytes)  # 6 seconds


def report(people, made, ranges, *, after=0.0):
    return services.tutorial_progress_record(by=people.officer_a, tutorial=made, ranges=ranges)


def test_seeking_to_the_end_does_not_complete(people, ready):
    services.tutorial_progress_record(by=people.officer_a, tutorial=ready, ranges=[])
    row = services.tutorial_progress_record(
        by=people.officer_a, tutorial=ready, ranges=[[5.4, 6.0]]
    )
    assert row.covered_seconds == pytest.approx(0.6)
    assert row.completed_at is None


def test_distinct_ranges_covering_ninety_percent_complete_it(people, ready):
    services.tutorial_progress_record(by=people.officer_a, tutorial=ready, ranges=[])
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        services.tutorial_progress_record(
            by=people.officer_a, tutorial=ready, ranges=[[0, 3], [1, 2], [0, 3]]
        )
        row = services.tutorial_progress_record(
            by=people.officer_a, tutorial=ready, ranges=[[2.9, 5.5]]
        )
    assert row.ranges == [[0.0, 5.5]]
    assert row.covered_seconds == pytest.approx(5.5)
    assert row.completed_at is not None


def test_more_than_time_allows_is_not_believed(people, ready, settings):
    tutorials.PLAYBACK_SLACK_SECONDS = 1
    try:
        services.tutorial_progress_record(by=people.officer_a, tutorial=ready, ranges=[])
        row = services.tutorial_progress_record(
            by=people.officer_a, tutorial=ready, ranges=[[0, 6]]
        )
    finally:
        tutorials.PLAYBACK_SLACK_SECONDS = 15
    assert row.covered_seconds == 0


def test_with_a_quiz_completion_needs_the_pass(people, mp4_bytes):
    made = tutorial(people, mp4_bytes, quiz=QUIZ, pass_mark=100)
    services.tutorial_progress_record(by=people.officer_a, tutorial=made, ranges=[[0, 6]])
    questions = list(QuizQuestion.objects.filter(tutorial=made))
    wrong = services.tutorial_quiz_answer(
        by=people.officer_a, tutorial=made, answers={questions[0].pk: 0, questions[1].pk: 0}
    )
    assert (wrong.score, wrong.passed) == (50, False)
    right = services.tutorial_quiz_answer(
        by=people.officer_a, tutorial=made, answers={questions[0].pk: 1, questions[1].pk: 0}
    )
    assert right.passed

    assert TutorialProgress.objects.get(tutorial=made, user=people.officer_a).completed_at


def test_every_question_must_be_answered(people, mp4_bytes):
    made = tutorial(people, mp4_bytes, quiz=QUIZ, pass_mark=50)
    with pytest.raises(ValidationError):
        services.tutorial_quiz_answer(by=people.officer_a, tutorial=made, answers={})


def test_a_wrong_answer_shows_the_right_one(client, people, mp4_bytes):
    made = tutorial(people, mp4_bytes, quiz=QUIZ, pass_mark=100)
    questions = list(QuizQuestion.objects.filter(tutorial=made))
    client.force_login(people.officer_a)
    page = client.post(
        f"/guidance/tutorials/{made.pk}/quiz/",
        {f"q{questions[0].pk}": "0", f"q{questions[1].pk}": "0"},
    ).content.decode()
    assert 'data-testid="quiz-wrong"' in page
    assert "Paspor dan ITAS" in page


def test_a_partner_cannot_record_progress(people, ready):
    with pytest.raises(PermissionDenied):
        services.tutorial_progress_record(by=people.partner, tutorial=ready, ranges=[])


def test_the_progress_page_accepts_the_players_json(client, people, ready):
    client.force_login(people.officer_a)
    response = client.post(
        f"/guidance/tutorials/{ready.pk}/progress/",
        data='{"ranges": [[0, 2.5]]}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["covered"] == pytest.approx(2.5)
    bad = client.post(
        f"/guidance/tutorials/{ready.pk}/progress/", data="[1", content_type="application/json"
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("size", [1, 3])
def test_the_tutorial_pages_cost_the_same_at_any_size(
    client, people, mp4_bytes, size, django_assert_max_num_queries
):
    made = [
        tutorial(people, mp4_bytes, convert=False, title=f"T{i}", quiz=QUIZ, pass_mark=50)
        for i in range(size)
    ]
    client.force_login(people.officer_a)
    with django_assert_max_num_queries(10):
        assert client.get("/guidance/tutorials/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(made[-1].get_absolute_url()).status_code == 200
