"""The insights rollups of reports loaded in bulk (`seed_demo --scale`), set-based.

The bulk generator writes reports, activities, checks and findings past the services, so no event
reaches the rollups' subscribers: without this, the evaluation pages, leagues and maps would be
measured at 10,000,000 activities over rollups holding only the demo month. `rollups.
refresh_reports` would fill them, but one officer-day at a time in Python (days at that scale);
here the same rows are computed by a few grouped INSERT ... SELECT statements over every filed
report that has none yet (PostgreSQL; SQLite, where only small test runs happen, takes the
rollups' own code):

- the officer-days (`DailyCount`, `DailyValue`) with the formulas of `rollups.EXTRACTORS`;
- the unit-months they fall in (`MonthlyCount`, `MonthlyValue`) rebuilt from the daily rows;
- the runs (`SubtreeSeen`, with its totals per month `SubtreeMonthSeen`, and `OfficerSeen`),
  histograms (`SubtreeTally`, `SubtreeYearTally`) and subtree sums (`SubtreeCount`) changed by
  the difference: the cells of the values
  (persons, places, review minutes) or sums whose rows changed, counted before and after, the
  difference added to each row, as `rollups._increment` does. Values seen for the first time
  (every bulk person and place) have no cells before, so the cost follows the rows added, not
  the rows already there.

`test_seed_demo.py` compares the result with `rollups.recompute_all` after a bulk run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from silahap.insights import rollups
from silahap.insights import supervision_map as peta
from silahap.insights.models import NEVER, DailyCount, MonthlyCount, SubtreeCount
from silahap.reports.models import DailyReport

# As the generator's own tables (demo/loading.py): a fill of this many officer-days or more
# rebuilds the secondary indexes after it.
REBUILD_INDEXES_FROM = 50_000


class DroppedIndexes(Protocol):
    definitions: list

    def build(self) -> None: ...


class DropIndexes(Protocol):
    def __call__(self, db_tables: list[str], *, unique: bool) -> DroppedIndexes: ...


# The tables a large fill may grow severalfold: their indexes, unique ones included, are built
# again after it.
LEVELS = ["insights_dailycount", "insights_dailyvalue", "insights_monthlycount",
          "insights_officermonthcount", "insights_monthlyvalue"]  # fmt: skip
# The runs' and histograms' tables: a large fill adds to them in one statement each (upserts,
# through their unique indexes, which stay), their other indexes rebuilt after it.
RUNS = ["insights_officerseen", "insights_subtreeseen", "insights_subtreemonthseen",
        "insights_subtreetally", "insights_subtreeyeartally", "insights_subtreecount"]  # fmt: skip
SQLITE_BATCH = 100
# The fill's sorts, hashes and windows over millions of rows, in memory instead of in temporary
# files; each statement has a few such steps at most.
WORK_MEM = "256MB"
# Officer-days of filed reports without rollups: what the statements below fill.
NEW = "bulk_rollup_days"
# (unit path, ancestor id, ancestor path, depth) for each unit at or above each unit: the
# expansion rollups._subtrees makes, from the path alone.
ANCESTORS = "bulk_rollup_ancestors"


def _ancestors_sql(paths: str = "SELECT path FROM accounts_orgunit") -> str:
    """The ANCESTORS of the units at `paths` (a query of one column), every unit by default."""
    return f"""
        CREATE TEMP TABLE {ANCESTORS} ON COMMIT DROP AS
        SELECT p.path AS unit_path, p.ids[i]::bigint AS ancestor_id,
               '/' || array_to_string(p.ids[1:i], '/') || '/' AS ancestor_path,
               i - 1 AS depth
        FROM (SELECT path, string_to_array(trim(both '/' from path), '/') AS ids
              FROM ({paths}) AS units) AS p,
             generate_series(1, array_length(p.ids, 1)) AS i
    """


DAYS = f"""
    CREATE TEMP TABLE {NEW} ON COMMIT DROP AS
    SELECT r.id AS report_id, r.officer_id, r.report_date AS day, r.unit_id,
           u.path AS unit_path, r.is_late, r.first_submitted_at
    FROM reports_dailyreport r JOIN accounts_orgunit u ON u.id = r.unit_id
    WHERE r.id >= %s AND r.first_submitted_at IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM insights_dailycount c
          WHERE c.officer_id = r.officer_id AND c.day = r.report_date
            AND c.metric = 'reports_filed')
"""

# The new reports' open activities and their checks, read once: every count below is a group
# over these. Closed (intelligence) activities and what hangs on them are never counted.
ACTIVITIES = "bulk_rollup_activities"
CHECKS = "bulk_rollup_checks"
MATERIALISE = [
    f"""CREATE TEMP TABLE {ACTIVITIES} ON COMMIT DROP AS
        SELECT a.id, a.report_id, a.kind, a.place_id, a.location_source,
               a.latitude, a.longitude, pl.regency_id
        FROM reports_activity a JOIN {NEW} n ON n.report_id = a.report_id
        LEFT JOIN registry_place pl ON pl.id = a.place_id
        WHERE a.classification <> 'closed'""",
    f"CREATE UNIQUE INDEX ON {ACTIVITIES} (id)",
    f"ANALYZE {ACTIVITIES}",
    f"""CREATE TEMP TABLE {CHECKS} ON COMMIT DROP AS
        SELECT a.report_id, c.result, coalesce(p.nationality, '') AS nationality, c.person_id,
               a.id AS activity_id
        FROM {ACTIVITIES} a JOIN reports_check c ON c.activity_id = a.id
        JOIN registry_foreignnational p ON p.id = c.person_id""",
    f"ANALYZE {CHECKS}",
]
# Per report: (report id, metric, dimension, value), the counts of rollups.EXTRACTORS.
FOLLOWUPS = f"""FROM {ACTIVITIES} a JOIN reports_finding f ON f.activity_id = a.id
                JOIN supervision_followup u ON u.finding_id = f.id"""
COUNTS = [
    f"SELECT report_id, 'reports_filed', '', 1 FROM {NEW}",
    f"""SELECT report_id, CASE WHEN is_late THEN 'reports_late' ELSE 'reports_on_time' END, '',
               1 FROM {NEW}""",
    f"""SELECT d.report_id, 'reports_decided', '', 1 FROM reports_reportdecision d
        JOIN {NEW} n ON n.report_id = d.report_id GROUP BY d.report_id""",
    f"""SELECT d.report_id, 'reports_returned', '', 1 FROM reports_reportdecision d
        JOIN {NEW} n ON n.report_id = d.report_id WHERE d.outcome = 'returned'
        GROUP BY d.report_id""",
    f"SELECT report_id, 'activities', kind, count(*) FROM {ACTIVITIES} GROUP BY 1, 3",
    f"""SELECT report_id, 'activities_evidenced', '', count(*) FROM {ACTIVITIES} a
        WHERE a.location_source = 'gps' AND EXISTS (
            SELECT 1 FROM reports_evidence e
            WHERE e.activity_id = a.id AND e.content_type LIKE 'image/%%')
        GROUP BY 1""",
    f"SELECT report_id, 'checks', result, count(*) FROM {CHECKS} GROUP BY 1, 3",
    f"SELECT report_id, 'checks_nationality', nationality, count(*) FROM {CHECKS} GROUP BY 1, 3",
    f"""SELECT a.report_id, 'findings', v.code, count(*)
        FROM {ACTIVITIES} a JOIN reports_finding f ON f.activity_id = a.id
        JOIN reports_violationtype v ON v.id = f.violation_type_id GROUP BY 1, 3""",
    f"SELECT a.report_id, 'followups_opened', '', count(*) {FOLLOWUPS} GROUP BY 1",
    f"""SELECT a.report_id, 'followups_closed', '', count(*) {FOLLOWUPS}
        WHERE u.status = 'closed' GROUP BY 1""",
    f"""SELECT a.report_id, 'tak', s.action_kind, count(*) {FOLLOWUPS}
        JOIN supervision_followupstep s ON s.followup_id = u.id
        WHERE s.kind = 'administrative_action' AND s.status = 'done' GROUP BY 1, 3""",
    f"""SELECT a.report_id, 'pro_justitia', '', count(DISTINCT u.id) {FOLLOWUPS}
        JOIN supervision_followupstep s ON s.followup_id = u.id
        WHERE s.kind = 'criminal_investigation' AND s.status <> 'cancelled' GROUP BY 1""",
]
# The supervision map's counts (rollups._map_rows): open activities with a point by the cell
# supervision_map.fine_cell names, per violation type and nationality, and by regency; the
# points and their cells read once.
POINTS = "bulk_rollup_points"
POINT_KEYS = "bulk_rollup_point_keys"
_CELL_SIZE = repr(peta.cell_size(peta.FINE_ZOOM))
MATERIALISE += [
    f"""CREATE TEMP TABLE {POINTS} ON COMMIT DROP AS
        SELECT id, report_id, regency_id,
               floor(latitude::float8 / {_CELL_SIZE})::bigint || ':'
               || floor(longitude::float8 / {_CELL_SIZE})::bigint AS cell
        FROM {ACTIVITIES} WHERE latitude IS NOT NULL AND longitude IS NOT NULL""",
    f"ANALYZE {POINTS}",
    # Each point's regency under each filter it passes (supervision_map.filtered_keys), with all
    # its checks and findings.
    f"""CREATE TEMP TABLE {POINT_KEYS} ON COMMIT DROP AS
        WITH t AS (SELECT DISTINCT f.activity_id, v.code
                   FROM {POINTS} p JOIN reports_finding f ON f.activity_id = p.id
                   JOIN reports_violationtype v ON v.id = f.violation_type_id),
             n AS (SELECT DISTINCT activity_id, nationality FROM {CHECKS}),
             c AS (SELECT activity_id, count(*) AS n FROM {CHECKS} GROUP BY 1),
             f AS (SELECT f.activity_id, count(*) AS n
                   FROM {POINTS} p JOIN reports_finding f ON f.activity_id = p.id GROUP BY 1),
             k AS (SELECT activity_id, 'v:' || code AS key FROM t
                   UNION ALL SELECT activity_id, 'n:' || nationality FROM n
                   UNION ALL SELECT t.activity_id, 'p:' || t.code || '|' || n.nationality
                             FROM t JOIN n ON n.activity_id = t.activity_id)
        SELECT p.report_id, k.key || '|' || coalesce(p.regency_id, '') AS key,
               coalesce(c.n, 0) AS checks, coalesce(f.n, 0) AS findings
        FROM {POINTS} p JOIN k ON k.activity_id = p.id
        LEFT JOIN c ON c.activity_id = p.id LEFT JOIN f ON f.activity_id = p.id""",
]
COUNTS += [
    f"SELECT report_id, '{peta.CELL}', cell, count(*) FROM {POINTS} p GROUP BY 1, 3",
    f"""SELECT report_id, '{peta.REGENCY}', coalesce(regency_id, ''), count(*) FROM {POINTS} p
        GROUP BY 1, 3""",
    f"""SELECT p.report_id, '{peta.CELL_VIOLATION}', v.code || '|' || p.cell,
               count(DISTINCT p.id)
        FROM {POINTS} p JOIN reports_finding f ON f.activity_id = p.id
        JOIN reports_violationtype v ON v.id = f.violation_type_id GROUP BY 1, 3""",
    f"""SELECT p.report_id, '{peta.CELL_NATIONALITY}', c.nationality || '|' || p.cell,
               count(DISTINCT p.id)
        FROM {POINTS} p JOIN {CHECKS} c ON c.activity_id = p.id GROUP BY 1, 3""",
    f"""SELECT p.report_id, '{peta.CELL_PAIR}',
               v.code || '|' || c.nationality || '|' || p.cell, count(DISTINCT p.id)
        FROM {POINTS} p JOIN reports_finding f ON f.activity_id = p.id
        JOIN reports_violationtype v ON v.id = f.violation_type_id
        JOIN {CHECKS} c ON c.activity_id = p.id GROUP BY 1, 3""",
    f"""SELECT p.report_id, '{peta.REGENCY_CHECKS}', coalesce(p.regency_id, ''), count(*)
        FROM {POINTS} p JOIN {CHECKS} c ON c.activity_id = p.id GROUP BY 1, 3""",
    f"""SELECT p.report_id, '{peta.REGENCY_FINDINGS}', coalesce(p.regency_id, ''), count(*)
        FROM {POINTS} p JOIN reports_finding f ON f.activity_id = p.id GROUP BY 1, 3""",
    f"SELECT report_id, '{peta.REGENCY_BY}', key, count(*) FROM {POINT_KEYS} GROUP BY 1, 3",
    f"""SELECT report_id, '{peta.REGENCY_BY_CHECKS}', key, sum(checks) FROM {POINT_KEYS}
        GROUP BY 1, 3""",
    f"""SELECT report_id, '{peta.REGENCY_BY_FINDINGS}', key, sum(findings) FROM {POINT_KEYS}
        GROUP BY 1, 3""",
]
VALUES = [
    f"""SELECT DISTINCT report_id, 'place', place_id FROM {ACTIVITIES}
        WHERE place_id IS NOT NULL""",
    f"SELECT DISTINCT report_id, 'person', person_id FROM {CHECKS}",
    # The first decision's turnaround in whole minutes (floor, as Python's //), never negative.
    f"""SELECT n.report_id, 'review_minutes',
               greatest(floor(extract(epoch FROM min(d.decided_at) - n.first_submitted_at)
                              / 60)::bigint, 0)
        FROM reports_reportdecision d JOIN {NEW} n ON n.report_id = d.report_id
        GROUP BY n.report_id, n.first_submitted_at""",
]

SETS = "('person', 'place')"
TALLIES = "('review_minutes')"
SUMS = "(" + ", ".join(f"'{source}'" for source in rollups.SUBTREE_SUMS) + ")"


def _runs(sign: int, target: str, members: str, owner: str = "") -> list[str]:
    """Statements adding to `target` the run cells (rollups.seen_cells) of `members`, a SELECT
    of ({owner}unit_path, kind, value, day) rows (day: a month's first day; repeats allowed),
    times `sign`.

    A value seen under one unit path only (by an officer, almost always: officers rarely move)
    has the same runs in every subtree above that path: its runs are counted once, at the
    path, and the counts copied to each unit above. Only values seen under several paths are
    expanded to every ancestor before their runs are counted: the costly way, for the few.
    Repeats are dropped by the sort the runs need anyway, with no DISTINCT of its own: of rows
    of one month, all but the first have that month as the month before."""
    # Bytewise order for the text keys of the sorts: any order groups them, and the database's
    # collation compares several times slower.
    key = f'{owner}kind COLLATE "C", value'
    never = f"'{NEVER.isoformat()}'::date"
    return [
        "DROP TABLE IF EXISTS bulk_rollup_runs",
        f"""CREATE TEMP TABLE bulk_rollup_runs ON COMMIT DROP AS
            SELECT {owner}unit_path, kind, value, day,
                   coalesce(lag(day) OVER (PARTITION BY {key} ORDER BY day), {never})
                       AS previous,
                   min(unit_path COLLATE "C") OVER (PARTITION BY {key})
                       = max(unit_path COLLATE "C") OVER (PARTITION BY {key}) AS single
            FROM ({members}) AS members""",
        f"""INSERT INTO {target}
            SELECT {owner}a.ancestor_id, a.ancestor_path, a.depth, r.kind, r.day, r.previous,
                   {sign} * r.n
            FROM (SELECT {owner}unit_path, kind, day, previous, count(*) AS n
                  FROM bulk_rollup_runs WHERE single AND previous <> day
                  GROUP BY {owner}unit_path, kind, day, previous) AS r
            JOIN {ANCESTORS} a ON a.unit_path = r.unit_path""",
        f"""INSERT INTO {target}
            SELECT {owner}r.ancestor_id, u.ancestor_path, u.depth, r.kind, r.day, r.previous,
                   {sign} * r.n
            FROM (
                SELECT {owner}ancestor_id, kind, day, previous, count(*) AS n
                FROM (
                    SELECT {owner}a.ancestor_id, r.kind, r.day,
                           coalesce(lag(r.day) OVER (PARTITION BY {owner}a.ancestor_id,
                                                                  r.kind COLLATE "C", r.value
                                                     ORDER BY r.day), {never}) AS previous
                    FROM bulk_rollup_runs r JOIN {ANCESTORS} a ON a.unit_path = r.unit_path
                    WHERE NOT r.single
                ) AS runs
                WHERE previous <> day
                GROUP BY {owner}ancestor_id, kind, day, previous
            ) AS r
            JOIN (SELECT DISTINCT ancestor_id, ancestor_path, depth FROM {ANCESTORS}) AS u
              ON u.ancestor_id = r.ancestor_id""",
    ]


def _seen_cells(sign: int) -> list[str]:
    """The SubtreeSeen cells of every monthly set member of the changed values."""
    return _runs(
        sign,
        "bulk_rollup_seen_delta",
        """SELECT m.unit_path, m.kind, m.value, m.day FROM insights_monthlyvalue m
           JOIN bulk_rollup_values v ON v.kind = m.kind AND v.value = m.value""",
    )


def _officer_cells(sign: int) -> list[str]:
    """The OfficerSeen cells of every daily value of the changed (officer, kind, value)s."""
    return _runs(
        sign,
        "bulk_rollup_officer_delta",
        """SELECT d.officer_id, d.unit_path, d.kind, d.value,
                  date_trunc('month', d.day)::date AS day
           FROM insights_dailyvalue d JOIN bulk_rollup_officer_values v
             ON v.officer_id = d.officer_id AND v.kind = d.kind AND v.value = d.value""",
        owner="officer_id, ",
    )


@contextmanager
def _settings(cursor) -> Iterator[None]:
    """WORK_MEM for the statements inside (this transaction's setting, never the server's), and
    the planner's settings they change put back after them."""
    cursor.execute(
        "SELECT current_setting('work_mem'), current_setting('enable_nestloop'), "
        "set_config('work_mem', %s, true)",
        [WORK_MEM],
    )
    work_mem, nested_loops, _set = cursor.fetchone()
    yield
    cursor.execute(
        "SELECT set_config('work_mem', %s, true), set_config('enable_nestloop', %s, true)",
        [work_mem, nested_loops],
    )


def _execute(cursor, statements: list[str]) -> None:
    for statement in statements:
        cursor.execute(statement)


def _tally_cells(sign: int) -> str:
    """The touched unit-months' histograms (MonthlyCount rows of the tallied kinds), expanded to
    every unit above, times `sign`."""
    return f"""
        INSERT INTO bulk_rollup_tally_delta
        SELECT a.ancestor_id, a.ancestor_path, a.depth, m.metric, m.day,
               m.dimension::bigint, {sign} * sum(m.value)
        FROM insights_monthlycount m
        JOIN bulk_rollup_months t ON t.unit_id = m.unit_id AND t.day = m.day
        JOIN {ANCESTORS} a ON a.unit_path = m.unit_path
        WHERE m.metric IN {TALLIES}
        GROUP BY 1, 2, 3, 4, 5, 6
    """


# A fine map source's SubtreeCount kind and dimension (rollups._subtree_key) from its
# MonthlyCount row `m`: the dimension's last part is the fine cell "row:column", what comes
# before it is kept.
WIDE_KIND = (
    "CASE m.metric "
    + " ".join(f"WHEN '{fine}' THEN '{wide}'" for fine, wide in peta.WIDE.items())
    + " END"
)
_CELL_PART = (
    f"floor(split_part(substring(m.dimension from '[^|]*$'), ':', {{n}})::bigint"
    f" / {peta.WIDE_STEP}::numeric)::bigint"
)
WIDE_DIMENSION = "regexp_replace(m.dimension, '[^|]*$', '') || " + " || ':' || ".join(
    _CELL_PART.format(n=n) for n in (1, 2)
)
FINE_SOURCES = "(" + ", ".join(f"'{source}'" for source in peta.WIDE) + ")"
_FINE_ROWS = f"WHERE m.metric IN {FINE_SOURCES}"


def _count_cells(sign: int) -> list[str]:
    """The touched unit-months' sums (MonthlyCount rows of SUBTREE_SUMS, and the map's fine
    cells by wide cell under their WIDE kinds), added to every unit above, times `sign`:
    rollups' SubtreeCount difference."""
    touched = f"""FROM insights_monthlycount m
        JOIN bulk_rollup_months t ON t.unit_id = m.unit_id AND t.day = m.day
        JOIN {ANCESTORS} a ON a.unit_path = m.unit_path"""
    return [
        f"""INSERT INTO bulk_rollup_count_delta
            SELECT a.ancestor_id, a.ancestor_path, a.depth, m.metric, m.day, m.dimension,
                   {sign} * sum(m.value)
            {touched}
            WHERE m.metric IN {SUMS}
            GROUP BY 1, 2, 3, 4, 5, 6""",
        f"""INSERT INTO bulk_rollup_count_delta
            SELECT a.ancestor_id, a.ancestor_path, a.depth, {WIDE_KIND}, m.day,
                   {WIDE_DIMENSION}, {sign} * sum(m.value)
            {touched}
            WHERE m.metric IN {FINE_SOURCES}
            GROUP BY 1, 2, 3, 4, 5, 6""",
    ]


@transaction.atomic
def refill_wide_cells(subtree_count=SubtreeCount, monthly_count=MonthlyCount) -> None:
    """Count every subtree's wide map cells (SubtreeCount, kinds WIDE) again from the
    unit-months' fine cells, replacing those there (the models: a migration's too). After a
    rolling update from a release without them, once no old worker is left, this corrects what
    an old worker's refresh did not add. PostgreSQL: set-based (26 s at a million activities)."""
    subtree_count.objects.filter(kind__in=list(peta.WIDE.values())).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _execute(cursor, _wide_cells_sql())
        return
    cells = rollups.count_cells(monthly_count, tuple(peta.WIDE))
    rollups.write_batches(subtree_count, rollups.count_rows(subtree_count, cells))


def _wide_cells_sql() -> list[str]:
    """Statements writing every subtree's wide map cells from all the unit-months' fine cells:
    what rollups.count_cells gives for them."""
    # The units with such rows only: their paths are made of ids, as the rollups read them.
    counted = f"SELECT DISTINCT unit_path AS path FROM insights_monthlycount m {_FINE_ROWS}"
    return [
        _ancestors_sql(counted),
        f"""INSERT INTO insights_subtreecount (unit_id, unit_path, depth, kind, day, dimension,
                                               value)
            SELECT a.ancestor_id, a.ancestor_path, a.depth, {WIDE_KIND}, m.day,
                   {WIDE_DIMENSION}, sum(m.value)
            FROM insights_monthlycount m JOIN {ANCESTORS} a ON a.unit_path = m.unit_path
            {_FINE_ROWS}
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(m.value) <> 0""",
        f"DROP TABLE {ANCESTORS}",
    ]


def _apply(
    target: str, delta: str, owner: str, last: str | None, total: str, locked: bool = False
) -> list[str]:
    """Statements adding the summed non-zero steps of `delta` to `target`, creating rows as
    needed: the increments of rollups._increment, as one upsert, in the order of the unique index
    it goes through (each of the index's pages is then read once, not once per row). Without
    `last`, the steps are summed over the delta's last column (SubtreeMonthSeen from the runs'
    delta). With `locked` (a large fill: the table locked and its unique constraint dropped
    until the fill ends), the rows already there are updated and the others inserted, plainly:
    no per-row conflict check, and the constraint built again after the fill proves the keys
    unique."""
    then = f", {last}" if last else ""
    keys = f"{owner}unit_id, kind, day{then}"
    sums = f"""SELECT {owner}unit_id, unit_path, depth, kind, day{then}, sum(step) AS step
               FROM {delta} GROUP BY {owner}unit_id, unit_path, depth, kind, day{then}
               HAVING sum(step) <> 0"""
    columns = f'{owner}unit_id, unit_path, depth, kind, day{then}, "{total}"'
    if not locked:
        return [
            f"""INSERT INTO {target} ({columns}) {sums} ORDER BY {keys}
                ON CONFLICT ({keys})
                DO UPDATE SET "{total}" = {target}."{total}" + EXCLUDED."{total}" """
        ]
    same = " AND ".join(f"t.{key} = s.{key}" for key in keys.split(", "))
    return [
        "DROP TABLE IF EXISTS bulk_rollup_sums",
        f"CREATE TEMP TABLE bulk_rollup_sums ON COMMIT DROP AS {sums}",
        f"""UPDATE {target} t SET "{total}" = t."{total}" + s.step FROM bulk_rollup_sums s
            WHERE {same}""",
        f"""INSERT INTO {target} ({columns})
            SELECT * FROM bulk_rollup_sums s
            WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {same})""",
    ]


@transaction.atomic
def fill(
    *,
    from_report: int = 0,
    progress: Callable[[str], None] | None = None,
    rebuild_indexes: bool | None = None,
    drop_indexes: DropIndexes | None = None,
) -> int:
    """Fill the rollups of every filed report with id ≥ `from_report` that has none yet;
    returns how many officer-days were filled. With `rebuild_indexes` (by default when
    REBUILD_INDEXES_FROM or more officer-days are filled), the rollup tables' indexes (LEVELS
    and RUNS, unique constraints included) are dropped by `drop_indexes` (demo.loading.Indexes.
    drop) for the load and built again after it, as the generator does for its own tables:
    readers and writers of those tables wait until the commit."""
    say = progress or (lambda message: None)
    if connection.vendor != "postgresql":
        ids = list(
            DailyReport.objects.filter(pk__gte=from_report, first_submitted_at__isnull=False)
            .exclude(pk__in=_filled_reports())
            .values_list("pk", flat=True)
        )
        # Small batches: refresh_reports names each day of a batch in one OR, and SQLite's
        # expression depth ends at 1,000 (only test runs take this path).
        for start in range(0, len(ids), SQLITE_BATCH):
            rollups.refresh_reports(ids[start : start + SQLITE_BATCH])
        return len(ids)
    started = time.perf_counter()
    steps: list[str] = []

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        steps.append(f"{name} {now - started:.1f} s")
        started = now

    with connection.cursor() as cursor, _settings(cursor):
        days = _fill(
            cursor,
            from_report,
            step,
            drop_indexes if rebuild_indexes is not False else None,
            rebuild_indexes,
        )
        # ON COMMIT DROP alone would keep them until the outermost commit (a test's, never); on
        # an error they go with the rolled-back transaction that created them.
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
    if days:
        say(f"  rollups of {days:,} officer-days: " + ", ".join(steps))
    return days


@transaction.atomic
def derive(*, unit_path: str, progress: Callable[[str], None] | None = None) -> int:
    """Build the levels above the daily rows (unit-months, officers' and subtrees' runs,
    histograms) for daily rows written directly under `unit_path` and never derived (the
    insights bench's generated year), set-based, leaving every other unit's rows as they are;
    returns how many officer-days. SQLite: `rollups.rebuild_all_months` (every unit)."""
    say = progress or (lambda message: None)
    if connection.vendor != "postgresql":
        rollups.rebuild_all_months()
        return (
            DailyCount.objects.filter(unit_path__startswith=unit_path)
            .values("officer_id", "day")
            .distinct()
            .count()
        )
    started = time.perf_counter()
    steps: list[str] = []

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        steps.append(f"{name} {now - started:.1f} s")
        started = now

    with connection.cursor() as cursor, _settings(cursor):
        cursor.execute(
            f"""CREATE TEMP TABLE {NEW} ON COMMIT DROP AS
                SELECT officer_id, day, unit_id, unit_path FROM insights_dailycount
                WHERE unit_path LIKE %s
                UNION SELECT officer_id, day, unit_id, unit_path FROM insights_dailyvalue
                WHERE unit_path LIKE %s""",
            [f"{unit_path}%", f"{unit_path}%"],
        )
        days = _prepare(cursor)
        if days:
            # Never derived: their officers' runs hold nothing yet, nothing to take away.
            cursor.execute(
                """CREATE TEMP TABLE bulk_rollup_officer_values (officer_id bigint, kind text,
                   value bigint) ON COMMIT DROP"""
            )
            step("prepare")
            _levels(cursor, step)
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
    if days:
        say(f"  levels of {days:,} officer-days: " + ", ".join(steps))
    return days


TEMPORARY = (
    NEW,
    ANCESTORS,
    ACTIVITIES,
    CHECKS,
    POINTS,
    POINT_KEYS,
    "bulk_rollup_months",
    "bulk_rollup_seen_delta",
    "bulk_rollup_officer_delta",
    "bulk_rollup_tally_delta",
    "bulk_rollup_count_delta",
    "bulk_rollup_officer_values",
    "bulk_rollup_values",
    "bulk_rollup_runs",
    "bulk_rollup_sums",
)


def _fill(cursor, from_report: int, step, drop_indexes, rebuild_indexes: bool | None) -> int:
    cursor.execute(DAYS, [from_report])
    days = _prepare(cursor)
    if not days:
        return 0
    if rebuild_indexes is None:
        rebuild_indexes = days >= REBUILD_INDEXES_FROM
    cursor.execute(f"CREATE UNIQUE INDEX ON {NEW} (report_id)")
    # Rows these officer-days already hold (none for a bulk load; a report filed twice over).
    cursor.execute(
        f"""CREATE TEMP TABLE bulk_rollup_officer_values ON COMMIT DROP AS
            SELECT DISTINCT d.officer_id, d.kind, d.value {HELD} WHERE d.kind IN {SETS}"""
    )
    _execute(cursor, _officer_cells(-1))
    cursor.execute(f"DELETE FROM insights_dailyvalue d USING {NEW} n "
                   "WHERE n.officer_id = d.officer_id AND n.day = d.day")  # fmt: skip
    cursor.execute(f"DELETE FROM insights_dailycount d USING {NEW} n "
                   "WHERE n.officer_id = d.officer_id AND n.day = d.day")  # fmt: skip
    # After the deletes, which find their rows by the indexes. The unique ones go too: millions
    # of rows inserted into a unique index larger than the server's buffers evict a page each
    # (ten times slower at ten million activities than at one), and every row here is unique by
    # construction, grouped by the constraint's columns.
    indexes = None
    if rebuild_indexes and drop_indexes:
        indexes = drop_indexes(LEVELS + RUNS, unique=True)
        # Every join of a large fill is between millions of rows, and its tables have lost the
        # indexes a nested loop would walk: the planner, misled by correlated columns (officer,
        # kind and value), would still pick one over a few temporary tables, for minutes.
        cursor.execute("SELECT set_config('enable_nestloop', 'off', true)")
    for statement in MATERIALISE:
        cursor.execute(statement)
    step("prepare")
    # The officer-days: one statement per table, so that the officer-days are hashed once.
    cursor.execute(
        f"""INSERT INTO insights_dailycount
            (officer_id, day, unit_id, unit_path, metric, dimension, value)
            SELECT n.officer_id, n.day, n.unit_id, n.unit_path, c.metric, c.dimension, c.value
            FROM ({" UNION ALL ".join(COUNTS)}) AS c (report_id, metric, dimension, value)
            JOIN {NEW} n ON n.report_id = c.report_id WHERE c.value <> 0"""
    )
    cursor.execute(
        f"""INSERT INTO insights_dailyvalue (officer_id, day, unit_id, unit_path, kind, value)
            SELECT n.officer_id, n.day, n.unit_id, n.unit_path, v.kind, v.value
            FROM ({" UNION ALL ".join(VALUES)}) AS v (report_id, kind, value)
            JOIN {NEW} n ON n.report_id = v.report_id"""
    )
    # Statistics of the rows just written: without them the planner takes the new daily rows
    # for a few hundred and walks an index once per value (minutes instead of seconds).
    cursor.execute("ANALYZE insights_dailycount")
    cursor.execute("ANALYZE insights_dailyvalue")
    step("daily rows")
    _levels(cursor, step, locked=bool(indexes))
    if indexes:
        indexes.build()
        step(f"{len(indexes.definitions)} indexes rebuilt")
    return days


# The daily values of the officer-days in NEW.
HELD = f"FROM insights_dailyvalue d JOIN {NEW} n ON n.officer_id = d.officer_id AND n.day = d.day"


def _prepare(cursor) -> int:
    """The tables every step reads, around NEW (officer_id, day, unit_id, unit_path, ...)."""
    cursor.execute(f"SELECT count(*) FROM {NEW}")
    days = cursor.fetchone()[0]
    if not days:
        return 0
    cursor.execute(f"ANALYZE {NEW}")
    cursor.execute(_ancestors_sql())
    cursor.execute(f"CREATE INDEX ON {ANCESTORS} (unit_path)")
    cursor.execute(f"ANALYZE {ANCESTORS}")
    # The values and unit-months these officer-days touch, and their cells as they are.
    cursor.execute(
        f"""CREATE TEMP TABLE bulk_rollup_months ON COMMIT DROP AS
            SELECT DISTINCT unit_id, date_trunc('month', day)::date AS day FROM {NEW}"""
    )
    cursor.execute(
        """CREATE TEMP TABLE bulk_rollup_seen_delta (unit_id bigint, unit_path text,
           depth int, kind text, day date, previous date, step bigint) ON COMMIT DROP"""
    )
    cursor.execute(
        """CREATE TEMP TABLE bulk_rollup_officer_delta (officer_id bigint, unit_id bigint,
           unit_path text, depth int, kind text, day date, previous date, step bigint)
           ON COMMIT DROP"""
    )
    cursor.execute(
        """CREATE TEMP TABLE bulk_rollup_tally_delta (unit_id bigint, unit_path text,
           depth int, kind text, day date, value bigint, step bigint) ON COMMIT DROP"""
    )
    cursor.execute(
        """CREATE TEMP TABLE bulk_rollup_count_delta (unit_id bigint, unit_path text,
           depth int, kind text, day date, dimension text, step bigint) ON COMMIT DROP"""
    )
    return days


def _levels(cursor, step, locked: bool = False) -> None:
    """The officers' runs, the unit-months and the subtrees' runs and histograms of the
    officer-days in NEW, whose daily rows are written; bulk_rollup_officer_values holds the
    (officer, kind, value)s they had before, whose cells are already in the delta as removed.
    `locked`: the RUNS tables' unique constraints are dropped until the fill ends."""
    cursor.execute(
        f"""INSERT INTO bulk_rollup_officer_values
            SELECT DISTINCT d.officer_id, d.kind, d.value {HELD} WHERE d.kind IN {SETS}
            EXCEPT SELECT * FROM bulk_rollup_officer_values"""
    )
    cursor.execute("CREATE INDEX ON bulk_rollup_officer_values (officer_id, kind, value)")
    cursor.execute("ANALYZE bulk_rollup_officer_values")
    _execute(cursor, _officer_cells(1))
    _execute(
        cursor,
        _apply("insights_officerseen", "bulk_rollup_officer_delta", "officer_id, ", "previous",
               "value", locked),
    )  # fmt: skip
    step("officer runs")
    # The unit-months: their sets' values, their cells before, the months rebuilt, after.
    months = "m.unit_id = t.unit_id AND m.day = t.day"
    cursor.execute(
        f"""CREATE TEMP TABLE bulk_rollup_values ON COMMIT DROP AS
            SELECT DISTINCT kind, value FROM bulk_rollup_officer_values
            UNION SELECT DISTINCT m.kind, m.value FROM insights_monthlyvalue m
            JOIN bulk_rollup_months t ON {months}"""
    )
    cursor.execute("CREATE INDEX ON bulk_rollup_values (kind, value)")
    cursor.execute("ANALYZE bulk_rollup_values")
    _execute(cursor, _seen_cells(-1))
    cursor.execute(_tally_cells(-1))
    _execute(cursor, _count_cells(-1))
    cursor.execute(f"DELETE FROM insights_monthlycount m USING bulk_rollup_months t WHERE {months}")
    cursor.execute(f"DELETE FROM insights_monthlyvalue m USING bulk_rollup_months t WHERE {months}")
    cursor.execute(
        f"DELETE FROM insights_officermonthcount m USING bulk_rollup_months t WHERE {months}"
    )
    daily = """JOIN bulk_rollup_months t ON t.unit_id = d.unit_id
               AND t.day = date_trunc('month', d.day)::date"""
    cursor.execute(
        f"""INSERT INTO insights_monthlycount (unit_id, unit_path, day, metric, dimension,
                                               value)
            SELECT d.unit_id, d.unit_path, t.day, d.metric, d.dimension, sum(d.value)
            FROM insights_dailycount d {daily}
            GROUP BY d.unit_id, d.unit_path, t.day, d.metric, d.dimension
            HAVING sum(d.value) <> 0"""
    )
    cursor.execute(
        f"""INSERT INTO insights_monthlycount (unit_id, unit_path, day, metric, dimension,
                                               value)
            SELECT d.unit_id, d.unit_path, t.day, d.kind, d.value::text, count(*)
            FROM insights_dailyvalue d {daily} WHERE d.kind IN {TALLIES}
            GROUP BY d.unit_id, d.unit_path, t.day, d.kind, d.value"""
    )
    cursor.execute(
        f"""INSERT INTO insights_officermonthcount (officer_id, unit_id, unit_path, day, metric,
                                                    dimension, value)
            SELECT d.officer_id, d.unit_id, d.unit_path, t.day, d.metric, d.dimension,
                sum(d.value)
            FROM insights_dailycount d {daily} WHERE d.metric IN {SUMS}
            GROUP BY d.officer_id, d.unit_id, d.unit_path, t.day, d.metric, d.dimension
            HAVING sum(d.value) <> 0"""
    )
    cursor.execute(
        f"""INSERT INTO insights_monthlyvalue (unit_id, unit_path, day, kind, value)
            SELECT DISTINCT d.unit_id, d.unit_path, t.day, d.kind, d.value
            FROM insights_dailyvalue d {daily} WHERE d.kind IN {SETS}"""
    )
    cursor.execute("ANALYZE insights_monthlycount")
    cursor.execute("ANALYZE insights_monthlyvalue")
    cursor.execute("ANALYZE insights_officermonthcount")
    step("unit-months")
    _execute(cursor, _seen_cells(1))
    _execute(
        cursor,
        _apply("insights_subtreeseen", "bulk_rollup_seen_delta", "", "previous", "value", locked),
    )
    _execute(
        cursor,
        _apply("insights_subtreemonthseen", "bulk_rollup_seen_delta", "", None, "value", locked),
    )
    cursor.execute(_tally_cells(1))
    _execute(
        cursor,
        _apply("insights_subtreetally", "bulk_rollup_tally_delta", "", "value", "count", locked),
    )
    cursor.execute("""UPDATE bulk_rollup_tally_delta SET day = date_trunc('year', day)::date""")
    _execute(
        cursor,
        _apply("insights_subtreeyeartally", "bulk_rollup_tally_delta", "", "value", "count",
               locked),
    )  # fmt: skip
    _execute(cursor, _count_cells(1))
    _execute(
        cursor,
        _apply("insights_subtreecount", "bulk_rollup_count_delta", "", "dimension", "value",
               locked),
    )  # fmt: skip
    step("subtree runs, tallies and sums")


def _filled_reports():
    """Reports whose officer-day already holds a 'reports_filed' row (SQLite path)."""
    filed = DailyCount.objects.filter(
        officer_id=OuterRef("officer_id"), day=OuterRef("report_date"), metric="reports_filed"
    )
    return DailyReport.objects.filter(Exists(filed)).values("pk")
