"""`manage.py seed_demo`: the demo month through the services, and `--scale N` in bulk."""

from __future__ import annotations

import datetime
import io
import re
import threading
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.test.utils import override_settings
from django.utils import timezone

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit.models import AuditEvent
from silahap.audit.services import chain_problems
from silahap.demo import loading, names
from silahap.demo.bench import (
    LIST_BOUND,
    Page,
    _misspelt_name,
    insights_pages,
    measure,
    operations_pages,
    pages,
)
from silahap.demo.bulk import REBUILT, TABLES, generate
from silahap.demo.registry import BOXES, OFFICE_ZONES
from silahap.guidance.models import DirectionRecipient, Sop, SopVersion, Tutorial
from silahap.insights import bulk_rollups, metrics, queries, rollups, supervision_map
from silahap.insights.models import (
    DailyCount,
    DailyValue,
    MonthlyCount,
    MonthlyValue,
    OfficerMonthCount,
    OfficerSeen,
    SubtreeCount,
    SubtreeMonthSeen,
    SubtreeSeen,
    SubtreeTally,
    SubtreeYearTally,
)
from silahap.insights.queries import Rows
from silahap.registry import duplicates
from silahap.registry.areas import load_areas
from silahap.registry.models import (
    ForeignNational,
    PersonName,
    Place,
    Sponsor,
    StayPermit,
    TravelDocument,
    WarningDay,
)
from silahap.registry.normalize import normalize_name
from silahap.reports.models import Activity, Check, DailyReport, Finding, ReportRevision
from silahap.testing.personas import ensure_test_areas
from silahap.testing.warning_columns import from_scratch, stored

TANGERANG = ("36.71", "36.03", "36.74")
WARRANT = re.compile(r"^W\.\d+\.IMI\.IMI\.\d-GR\.02\.03-\d+$")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for the module, rolled back at its end; each test nests inside."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_test_areas()  # a transactional test before this one flushed the seeded tables
            load_areas({"36", "51", "91"})
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def broken_foreign_keys() -> dict[str, int]:
    """Rows of the generated tables whose key names no row, counted set-based: on PostgreSQL
    the generator skips the per-row checks, so `check_constraints()` alone would prove nothing."""
    broken = {}
    for model, _fields in TABLES.values():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey):
                # NOT EXISTS (an anti-join), not NOT IN: the helper also serves a million rows.
                target = field.related_model._base_manager.filter(
                    **{field.target_field.attname: OuterRef(field.attname)}
                )
                rows = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).filter(
                    ~Exists(target)
                )
                if count := rows.count():
                    broken[f"{model._meta.label}.{field.name}"] = count
    return broken


def bulk_indexes() -> list[tuple[str, str]]:
    tables = [
        *(TABLES[name][0]._meta.db_table for name in REBUILT),
        *bulk_rollups.LEVELS,
        *bulk_rollups.RUNS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
            [tables],
        )
        return cursor.fetchall()


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("silahap.")
    }


def test_seeding_twice_gives_the_same_counts(seeded, db):
    before = model_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert model_counts() == before


def test_petugas_tng1_has_a_report_in_each_state_including_todays_draft(seeded, db):
    officer = User.objects.get(username="petugas.tng1")
    reports = DailyReport.objects.filter(officer=officer)
    assert set(reports.values_list("status", flat=True)) == set(DailyReport.Status.values)
    today = timezone.localdate(timezone=OFFICE_ZONES["KANIM-TNG"])
    assert reports.get(report_date=today).status == DailyReport.Status.DRAFT
    assert reports.filter(revision_number__gte=2).exists()


def test_every_office_has_a_month_of_reports_in_several_states(seeded, db):
    for office in OFFICE_ZONES:
        reports = DailyReport.objects.filter(unit__office__code=office)
        assert reports.values("report_date").distinct().count() >= 15
        statuses = set(reports.values_list("status", flat=True))
        assert "approved" in statuses
        assert len(statuses) >= 2
    assert set(DailyReport.objects.values_list("status", flat=True)) == set(
        DailyReport.Status.values
    )
    assert DailyReport.objects.filter(status="returned").exclude(return_reason="").exists()
    assert not DailyReport.objects.filter(status="returned", return_reason="").exists()


def test_activities_belong_to_the_report_of_their_local_day(seeded, db):
    activities = Activity.objects.select_related("report__unit__office", "place")
    for activity in activities:
        zone = activity.report.unit.office.zone
        assert timezone.localtime(activity.started_at, zone).date() == activity.report.report_date
        if activity.kind == Activity.Kind.FIELD:
            assert activity.place is not None
            assert activity.warrant_to_follow or WARRANT.match(activity.warrant_number)
    assert len({a.source for a in activities}) >= 8
    assert activities.filter(warrant_to_follow=True).exists()
    assert activities.filter(kind=Activity.Kind.ADMINISTRATIVE).exists()


def test_leaders_of_the_office_decide_its_reports(seeded, db):
    deciders = {"KANIM-TNG": {"kasi.tng", "kakanim.tng"}, "KANIM-DPS": {"kasi.dps"}}
    deciders["KANIM-JYP"] = {"kasi.jyp"}
    decided = DailyReport.objects.filter(status__in=["approved", "returned"])
    for report in decided.select_related("decided_by", "unit__office"):
        assert report.decided_by.username in deciders[report.unit.office.code]


def test_at_least_300_persons_each_with_a_document_and_a_permit(seeded, db):
    assert ForeignNational.objects.count() >= 300
    assert not ForeignNational.objects.filter(documents__isnull=True).exists()
    assert not ForeignNational.objects.filter(permits__isnull=True).exists()
    nationalities = Counter(ForeignNational.objects.values_list("nationality", flat=True))
    assert len(nationalities) >= 15
    for code in ("CN", "KR", "JP", "IN", "NG", "RU", "US", "AU"):
        assert nationalities[code] > 0
    for number in TravelDocument.objects.values_list("number", flat=True):
        assert re.fullmatch(r"[A-Z0-9]{6,9}", number)
    permit_types = set(StayPermit.objects.values_list("permit_type", flat=True))
    assert permit_types >= {"ITAS", "ITK", "ITAP", "DIPLOMATIC", "SERVICE"}
    assert StayPermit.objects.filter(sponsor__kind="corporation").exists()
    assert StayPermit.objects.filter(sponsor__kind="individual").exists()


def test_sponsors_carry_a_nik_or_an_nib(seeded, db):
    for kind, number in Sponsor.objects.values_list("kind", "identity_number"):
        assert re.fullmatch(r"\d{16}" if kind == "individual" else r"\d{13}", number)


def test_tangerang_places_sit_in_their_regency(seeded, db):
    places = Place.objects.filter(regency_id__in=TANGERANG).select_related("district", "village")
    assert places.count() >= 40
    for place in places:
        assert place.district.regency_id == place.regency_id
        assert place.village.district_id == place.district_id
        assert place.village.code.startswith(place.regency_id)
        south, north, west, east = BOXES[place.regency_id][0]
        assert south <= place.latitude <= north
        assert west <= place.longitude <= east
    assert Place.objects.filter(regency_id__in=["51.71", "51.03"]).count() >= 10
    assert Place.objects.filter(regency_id="91.71").count() >= 10


def test_some_permits_are_expired_and_some_expiring(seeded, db):
    today = timezone.localdate()
    statuses = Counter()
    for permit in StayPermit.objects.all():
        status = permit.status(today)
        if status == "expired":
            status = "overstay_gte_60" if permit.overstay_days(today) >= 60 else "overstay_lt_60"
        statuses[status] += 1
    assert statuses["overstay_lt_60"] >= 5
    assert statuses["overstay_gte_60"] >= 5
    assert statuses["expiring"] >= 5


def test_overstay_findings_name_the_right_type_and_days(seeded, db):
    findings = Finding.objects.filter(violation_type__code__startswith="overstay").select_related(
        "violation_type", "check_record__permit", "activity__report"
    )
    assert findings.filter(violation_type__code="overstay_lt_60").exists()
    assert findings.filter(violation_type__code="overstay_gte_60").exists()
    for finding in findings:
        permit = finding.check_record.permit
        days = (finding.activity.report.report_date - permit.valid_until).days
        assert finding.overstay_days == days
        expected = "overstay_gte_60" if days >= 60 else "overstay_lt_60"
        assert finding.violation_type.code == expected
    results = set(Check.objects.values_list("result", flat=True))
    assert results == {"compliant", "finding", "taken_to_office"}


def test_the_audit_chain_of_the_demo_verifies(seeded, db):
    assert chain_problems() is None


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.SILAHAP_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())


def test_scale_adds_exactly_that_many_activities_in_one_audited_batch(seeded, db):
    before = model_counts()
    last_event = AuditEvent.objects.order_by("-sequence").first().sequence
    output = io.StringIO()
    call_command("seed_demo", "--scale", "3000", stdout=output)
    after = model_counts()
    assert after["reports.Activity"] - before["reports.Activity"] == 3_000
    # Below REBUILD_INDEXES_FROM the indexes stay: readers never wait for a small run.
    assert "phases: prepare" in output.getvalue()
    assert "indexes dropped" not in output.getvalue()
    assert after["registry.ForeignNational"] - before["registry.ForeignNational"] == 1_000
    checks = after["reports.Check"] - before["reports.Check"]
    findings = after["reports.Finding"] - before["reports.Finding"]
    assert 2_100 <= checks <= 3_900
    assert checks * 0.03 <= findings <= checks * 0.2
    events = list(AuditEvent.objects.filter(sequence__gt=last_event))
    assert [event.action for event in events] == ["demo.bulk_generate"]
    assert events[0].summary["rows"]["activities"] == 3_000
    assert chain_problems() is None
    connection.check_constraints()
    assert broken_foreign_keys() == {}


def test_bulk_rows_keep_the_rules_the_services_keep(seeded, db):
    generate(scale=600)
    bulk = DailyReport.objects.filter(officer__username__startswith="bulk.officer")
    assert bulk.count() == bulk.values("officer", "report_date").distinct().count()
    assert set(bulk.values_list("status", flat=True)) >= {"draft", "submitted", "approved"}
    for report in bulk.exclude(status="draft"):
        assert report.revisions.count() == report.revision_number >= 1
    for person in ForeignNational.objects.filter(created_by__isnull=True)[:200]:
        assert person.normalized_name == normalize_name(person.full_name)
    assert not bulk.filter(activities__isnull=True).exists()
    activities = Activity.objects.filter(report__in=bulk).select_related("report__unit__office")
    for activity in activities[:500]:
        zone = activity.report.unit.office.zone
        assert timezone.localtime(activity.started_at, zone).date() == activity.report.report_date
    assert ReportRevision.objects.filter(report__in=bulk).exists()
    connection.check_constraints()
    assert broken_foreign_keys() == {}


def test_seeded_and_bulk_generated_persons_carry_their_warning_columns(seeded, db):
    generate(scale=300)
    columns = stored()
    assert columns == from_scratch()
    checked = set(Check.objects.values_list("person_id", flat=True))
    assert sum(1 for pk in checked if columns[pk][1] is not None) == len(checked)
    # The permit warnings' kept counts (recounted after the load) are the persons' own.
    persons = ForeignNational.objects.filter(
        merged_into__isnull=True, permit_valid_until__isnull=False
    ).exclude(last_check_office__isnull=True, regency__isnull=True)
    counted = Counter(
        (office or 0, "" if office else regency, until)
        for until, office, regency in persons.values_list(
            "permit_valid_until", "last_check_office_id", "regency_id"
        )
    )
    kept = WarningDay.objects.exclude(persons=0).values_list("office", "regency", "day", "persons")
    assert {(office, regency, day): n for office, regency, day, n in kept} == counted
    assert counted
    # So is the lookup's table of names (its triggers skipped on PostgreSQL, recounted after).
    names = Counter(
        ForeignNational.objects.filter(merged_into__isnull=True).values_list(
            "normalized_name", flat=True
        )
    )
    assert dict(PersonName.objects.values_list("normalized_name", "persons")) == names


def test_scale_twice_adds_more_without_clashing(seeded, db):
    first = generate(scale=300)
    second = generate(scale=300)
    assert first["activities"] == second["activities"] == 300
    assert User.objects.filter(username__startswith="bulk.officer").count() == (
        first["users"] + second["users"]
    )
    assert TravelDocument.objects.values("number", "issuing_country").distinct().count() == (
        TravelDocument.objects.count()
    )
    # The generator writes up to the day before the latest office's today (WIT's, from 22:00
    # WIB on), as the clock stood when it ran.
    offices = OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE)
    today = max(timezone.localdate(timezone=office.zone) for office in offices)
    yesterday = today - datetime.timedelta(days=1)
    assert (
        DailyReport.objects.filter(
            report_date__gt=yesterday, officer__username__startswith="bulk"
        ).count()
        == 0
    )
    connection.check_constraints()
    assert broken_foreign_keys() == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's bulk load")
def test_a_run_that_rebuilds_the_indexes_leaves_the_same_indexes_keys_and_columns(seeded, db):
    indexes = bulk_indexes()
    before = model_counts()
    output: list[str] = []
    written = generate(scale=900, rebuild_indexes=True, progress=output.append)
    after = model_counts()
    assert bulk_indexes() == indexes
    assert any("secondary indexes dropped and rebuilt" in line for line in output)
    assert any("rollups of" in line and "indexes rebuilt" in line for line in output)
    assert any("COPY thread busy" in line for line in output)
    assert written["activities"] == after["reports.Activity"] - before["reports.Activity"] == 900
    assert (
        written["persons"]
        == after["registry.ForeignNational"] - before["registry.ForeignNational"]
        == 300
    )
    assert written["checks"] == after["reports.Check"] - before["reports.Check"]
    assert broken_foreign_keys() == {}
    assert stored() == from_scratch()
    # The per-row key checks are on again for whatever the transaction writes next.
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY thread")
def test_a_failed_copy_stops_the_run_and_its_thread(seeded, db, monkeypatch):
    def fail(writer, table, rows):
        raise RuntimeError(f"COPY into {table.db_table} failed")

    monkeypatch.setattr(loading.CopyWriter, "_copy", fail)
    activities = Activity.objects.count()
    with pytest.raises(RuntimeError, match="COPY into"):
        generate(scale=300, batch_size=50)
    assert not any(thread.name == "bulk-copy" for thread in threading.enumerate())
    assert Activity.objects.count() == activities
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


def test_the_demo_has_duplicates_to_review(seeded, db):
    by_name = duplicates.person_candidates(ForeignNational.objects.all(), duplicates.BY_NAME)
    assert len(by_name.pairs) >= 3
    assert duplicates.place_candidates(Place.objects.all()).pairs


def test_the_demo_has_guidance_sops_tutorials_and_a_direction_to_team_1(seeded, db):
    assert Sop.objects.count() == 3
    required = Sop.objects.get(title="Pengawasan lapangan")
    assert required.required_roles == ["officer"]
    assert SopVersion.objects.get(sop=required, is_current=True).number == "3"
    assert sorted(Tutorial.objects.values_list("status", flat=True)) == ["ready", "ready"]
    assert Tutorial.objects.filter(captions__gt="", pass_mark__isnull=False).count() == 1
    rows = DirectionRecipient.objects.filter(direction__created_by__username="kasi.tng")
    assert rows.filter(read_at__isnull=False).count() == 3
    assert list(rows.filter(done_at__isnull=False).values_list("user__username", flat=True)) == [
        "petugas.tng3"
    ]
    assert rows.get(user__username="petugas.tng2").read_at is None


def test_rollups_show_the_demo_month_with_differences_between_offices(seeded, db):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    offices = OrgUnit.objects.filter(code__in=OFFICE_ZONES)
    values = queries.measure(
        [metrics.BY_KEY["activities"], metrics.BY_KEY["persons_checked"]],
        rows=Rows(paths=tuple(office.path for office in offices)),
        start=start,
        end=today,
        group=queries.child_group(list(offices)),
    )
    activities = [values.get(office.pk, {}).get("activities", 0) for office in offices]
    assert len(activities) == 3
    assert all(activities)
    assert len(set(activities)) > 1


ROLLUP_MODELS = (
    DailyCount,
    DailyValue,
    MonthlyCount,
    MonthlyValue,
    SubtreeSeen,
    SubtreeMonthSeen,
    OfficerSeen,
    SubtreeTally,
    SubtreeYearTally,
    SubtreeCount,
    OfficerMonthCount,
)


def rollup_rows() -> dict[str, Counter]:
    """Every rollup row but its id, rows holding 0 left out (increments keep them, a rebuild
    drops them) and the missing-report counts (a deadline's passing, not a report's rows)."""
    found = {}
    for model in ROLLUP_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.all()
        if "metric" in names:
            rows = rows.exclude(metric=rollups.MISSING)
        if model is SubtreeCount:
            rows = rows.exclude(kind=rollups.MISSING)
        total = "count" if "count" in names else "value"
        if model not in (DailyValue, MonthlyValue):
            rows = rows.exclude(**{total: 0})
        found[model.__name__] = Counter(rows.values_list(*names))
    return found


def test_bulk_reports_have_their_rollups_as_a_recount_from_scratch_gives(seeded, db):
    before = {name: sum(rows.values()) for name, rows in rollup_rows().items()}
    generate(scale=1500)
    filled = rollup_rows()
    # The generated history is counted: the bulk officers' days, months and runs are there.
    assert sum(filled["DailyCount"].values()) > before["DailyCount"] + 1000
    bulk_paths = set(
        Membership.objects.filter(user__username__startswith="bulk.officer").values_list(
            "unit__path", flat=True
        )
    )
    assert {row[3] for row in filled["DailyValue"]} >= bulk_paths
    for name in (
        "MonthlyValue",
        "SubtreeSeen",
        "SubtreeMonthSeen",
        "OfficerSeen",
        "OfficerMonthCount",
    ):
        assert sum(filled[name].values()) > before[name]
    # The map's wide cells too, which the national map reads.
    assert SubtreeCount.objects.filter(kind=supervision_map.WIDE[supervision_map.CELL]).exists()
    rollups.recompute_all()
    recounted = rollup_rows()
    for name in filled:
        assert filled[name] == recounted[name], name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's large fill")
def test_large_fills_give_the_rollups_a_recount_from_scratch_gives(seeded, db):
    """The way of a large fill (indexes and unique constraints dropped until it ends, runs
    updated and inserted instead of upserted, per-row key checks skipped), on small runs: the
    second goes further back, into the month the first began, whose rows it changes."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    output: list[str] = []
    generate(scale=900, rebuild_indexes=True, progress=output.append)
    generate(scale=900, rebuild_indexes=True, progress=output.append)
    assert sum("rollups of" in line and "indexes rebuilt" in line for line in output) == 2
    filled = rollup_rows()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('work_mem'), current_setting('enable_nestloop'), "
            "current_setting('session_replication_role')"
        )
        assert cursor.fetchone() == (work_mem, "on", "origin")
    rollups.recompute_all()
    recounted = rollup_rows()
    for name in filled:
        assert filled[name] == recounted[name], name


def test_bulk_rollups_fill_only_reports_without_them(seeded, db):
    generate(scale=300)
    filled = rollup_rows()
    assert bulk_rollups.fill() == 0
    assert rollup_rows() == filled


def test_bench_scale_times_the_insights_and_operations_pages(seeded, db):
    """`make bench` reaches each page it lists (an answer other than 200 stops the bench),
    a generated officer's own page among them."""
    generate(scale=300)
    pages = [*insights_pages(), *operations_pages()]
    assert any(page.username.startswith("bulk.officer") for page in pages)
    with override_settings(DEBUG=False, SILAHAP_SECOND_FACTOR_ROLES=[]):
        for page in pages:
            figures = measure(page, runs=2)
            assert figures.queries > 0, page.label
            assert len(figures.page) == len(figures.raw) == 2


def test_bench_judges_each_page_against_its_targets_and_its_own_sql(seeded, db):
    """The verdict column: a page's absolute p95 target, and the issues' bounds against the
    page's own SQL (#21's lists: 1.5 × raw + 10 ms; #17's rollup pages: 1.5 × raw)."""
    both = Page("x", "kasi.tng", str, 50, (1.5, 0.0))
    assert both.verdict(30.0, 20.0) == "ok"
    assert both.verdict(31.0, 20.0) == "> 30.0"
    assert both.verdict(51.0, 40.0) == "> 50"
    listed = Page("y", "kasi.tng", str, raw_bound=LIST_BOUND)
    assert listed.verdict(17.5, 5.0) == "ok"
    assert listed.verdict(17.6, 5.0) == "> 17.5"
    assert Page("z", "kasi.tng", str).verdict(500.0, 1.0) == ""
    bounded = {page.label: page.raw_bound for page in pages() if page.raw_bound}
    assert {"analis.pusat places list", "analis.pusat sponsors list"} <= set(bounded)
    assert bounded["analis.pusat permit warnings p1"] == LIST_BOUND
    assert any("league: offices" in label for label in bounded)


def test_bench_lookup_types_a_generated_name_misspelt_the_same_at_every_scale(seeded, db):
    """The lookup's typed words do not depend on the data, so the two scales time the same
    request: a name of the generator's lists (a Chinese family name and given name), one letter
    left out, unchanged as the registry grows (as the newest generated person's name was not)."""
    typed = _misspelt_name()
    generate(scale=300)
    assert _misspelt_name() == typed
    family, given = typed.split()
    spec = names.NATIONALITIES["CN"]
    assert given in spec.male
    assert [name for name in spec.family if name[:2] + name[3:] == family] == ["Zhang"]
    assert not ForeignNational.objects.filter(full_name=typed).exists()


def test_levels_derived_for_daily_rows_of_one_subtree_equal_a_rebuild(seeded, db):
    """What the insights bench does with the daily rows it writes directly: the levels above
    them built for its tree alone, every other unit's left as they were, equal a rebuild."""
    generate(scale=600)
    rollups.recompute_all()
    expected = rollup_rows()
    office = OrgUnit.objects.get(code="KANIM-TNG")
    mine = {"unit_path__startswith": office.path}
    counts = [DailyCount(**row) for row in DailyCount.objects.filter(**mine).values()]
    values = [DailyValue(**row) for row in DailyValue.objects.filter(**mine).values()]
    assert counts
    assert any(value.kind == "review_minutes" for value in values)
    DailyCount.objects.filter(**mine).delete()
    DailyValue.objects.filter(**mine).delete()
    rollups.rebuild_all_months()
    DailyCount.objects.bulk_create(counts)
    DailyValue.objects.bulk_create(values)
    assert rollup_rows() != expected
    assert bulk_rollups.derive(unit_path=office.path) > 0
    assert rollup_rows() == expected
