"""`manage.py bench` runs end to end on a small registry (the real run is `make bench`)."""

import io

import pytest
from django.core.management import CommandError, call_command

from silahap.insights.bench import population
from silahap.insights.bench.run import NAME_P95_TARGET_MS

pytestmark = pytest.mark.django_db


def test_bench_generates_persons_once_and_reports_latency_and_recall():
    out = io.StringIO()
    call_command("bench", persons=150, queries=25, stdout=out)
    report = out.getvalue()
    assert "generated 150 persons in" in report
    assert "recall@5, 1 letter wrong" in report
    assert "same SQL, raw" in report
    assert population.bench_persons().count() == 150
    again = io.StringIO()
    call_command("bench", persons=150, queries=25, stdout=again)
    assert "generated 150 persons in" not in again.getvalue()
    assert population.bench_persons().count() == 150


def test_strict_fails_only_on_a_missed_target(monkeypatch):
    monkeypatch.setattr("silahap.insights.bench.run.RECALL_TARGET", 1.01)
    call_command("bench", persons=100, queries=20, stdout=io.StringIO())
    with pytest.raises(CommandError, match="missed"):
        call_command("bench", persons=100, queries=20, strict=True, stdout=io.StringIO())
    assert NAME_P95_TARGET_MS == 50
