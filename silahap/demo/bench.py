"""`manage.py bench_scale` (make bench): leaders', analysts' and officers' pages at two or more
data sizes in one run. For each scale it generates the activities still missing (demo/bulk.py,
timed), refreshes statistics as autovacuum would, then requests each page through the Django
test client (p50 and p95 over `runs` requests after a warm-up) and replays the page's own
SELECTs as raw SQL (their p50 and p95), and at the end prints each page's growth between the
smallest and the largest scale. A benchmark, not a test: nothing is asserted."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.demo import names
from silahap.demo.bulk import OFFICER_PREFIX, fill_rollups, generate
from silahap.demo.operations import JAGRATARA, JOINT
from silahap.deploy import settle_served_process
from silahap.operations.models import Operation
from silahap.reports.models import Activity

WARM_UP = 5
# The targets (#21), for the verdict column.
FLAT_GROWTH = 1.3
FLAT_SLACK_MS = 10.0
LEADER_P95_MS = 50.0
SEARCH_P95_MS = 100.0
LOOKUP_P95_MS = 50.0
# Bounds against the page's own SQL (p95 ≤ ratio × raw p95 + slack): #21's lists, #17's league,
# office and officer pages over the rollups.
LIST_BOUND = (1.5, 10.0)
ROLLUP_BOUND = (1.5, 0.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Page:
    label: str
    username: str
    url: Callable[[], str]
    target_ms: float | None = None
    raw_bound: tuple[float, float] | None = None

    def verdict(self, p95: float, raw95: float) -> str:
        """ "ok" when every target the page has is met, else the first bound it is over."""
        if self.target_ms is not None and p95 > self.target_ms:
            return f"> {self.target_ms:.0f}"
        if self.raw_bound is not None:
            ratio, slack = self.raw_bound
            if p95 > ratio * raw95 + slack:
                return f"> {ratio * raw95 + slack:.1f}"
        return "" if self.target_ms is None and self.raw_bound is None else "ok"


@dataclass
class Figures:
    queries: int
    page: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    def p(self, which: str, share: float) -> float:
        return percentile(self.page if which == "page" else self.raw, share)


def _bulk_leader() -> str:
    leader = User.objects.filter(username__startswith="bulk.kasi").order_by("username").first()
    return leader.username if leader else "kasi.tng"


def _misspelt_name() -> str:
    """A name the generator gives, with one letter dropped, as an officer might type it.

    The same typed words at every scale, so the two scales time the same request: built from
    the generator's own name lists (the commonest nationality's longest family name and first
    given name: "Zhang Wei", typed "Zhng Wei"), which every scale's registry bears many times
    over, not read from the data (the newest or first generated person differs by scale)."""
    spec = names.NATIONALITIES["CN"]
    family = max(spec.family, key=len)
    return f"{family[:2]}{family[3:]} {spec.male[0]}"


def _unit(code: str) -> str:
    return reverse("insights:unit", args=[OrgUnit.objects.get(code=code).pk])


def _operation(number: str) -> str:
    return reverse("operations:operation_detail", args=[Operation.objects.get(number=number).pk])


def _national_rollup() -> str:
    root = Operation.objects.get(number=JAGRATARA, parent__isnull=True)
    return reverse("operations:national_rollup", args=[root.pk])


# A national map zoomed out (server-side cells) and a click on one cell (its list), as the map's
# own script asks for them: Indonesia's box at zoom 5, then Tangerang's area.
NATIONAL_BOX = {"zoom": 5, "south": -11, "west": 94, "north": 6, "east": 141}
TANGERANG_BOX = {"south": -6.4, "west": 106.4, "north": -6.0, "east": 106.9}


def _bulk_officer(office: str) -> str:
    """A generated officer of the office: the demo's own officers have a month of history at
    any scale, the generated ones years of it at 10M."""
    membership = (
        Membership.objects.filter(
            user__username__startswith=OFFICER_PREFIX,
            role=Membership.Role.OFFICER,
            unit__path__startswith=OrgUnit.objects.get(code=office).path,
        )
        .order_by("user__username")
        .first()
    )
    return membership.user.username if membership else "petugas.tng1"


def _year(url: str) -> str:
    return url + ("&" if "?" in url else "?") + f"p={timezone.localdate().year}"


def insights_pages() -> list[Page]:
    """Issue #17's pages (evaluation, league, map, exports): the same 50 ms target at 10M for
    the league, an office's evaluation and an officer's own page."""
    officer = _bulk_officer("KANIM-TNG")
    return [
        Page(
            "petugas.tng1 kinerja saya",
            "petugas.tng1",
            lambda: reverse("insights:me"),
            50,
            ROLLUP_BOUND,
        ),
        Page(f"{officer} kinerja saya", officer, lambda: reverse("insights:me"), 50, ROLLUP_BOUND),
        Page(
            "kasi.tng unit evaluation",
            "kasi.tng",
            lambda: _unit("KANIM-TNG-INTELDAKIM"),
            LEADER_P95_MS,
        ),
        Page(
            "kakanim.tng office evaluation",
            "kakanim.tng",
            lambda: _unit("KANIM-TNG"),
            50,
            ROLLUP_BOUND,
        ),
        Page("analis.pusat national evaluation", "analis.pusat", lambda: _unit("DJI")),
        Page(
            "analis.pusat league: offices",
            "analis.pusat",
            lambda: reverse("insights:league"),
            LEADER_P95_MS,
            ROLLUP_BOUND,
        ),
        Page(
            "analis.pusat league: regions per 1000",
            "analis.pusat",
            lambda: (
                reverse("insights:league")
                + "?"
                + urlencode({"metric": "persons_checked", "level": "region", "norm": "foreigners"})
            ),
        ),
        Page("analis.pusat map", "analis.pusat", lambda: reverse("insights:map")),
        Page(
            "analis.pusat map cells JSON",
            "analis.pusat",
            lambda: reverse("insights:map_feed") + "?" + urlencode(NATIONAL_BOX),
        ),
        Page(
            "analis.pusat map cell list",
            "analis.pusat",
            lambda: reverse("insights:map_list") + "?" + urlencode(TANGERANG_BOX),
        ),
        # The year so far: at 100k activities a few weeks of generated history, at 10M the
        # whole year. Pages reading rollups stay flat; one reading the activities would not.
        Page(
            f"{officer} kinerja saya (year)",
            officer,
            lambda: _year(reverse("insights:me")),
            50,
            ROLLUP_BOUND,
        ),
        Page(
            "kakanim.tng office evaluation (year)",
            "kakanim.tng",
            lambda: _year(_unit("KANIM-TNG")),
            50,
            ROLLUP_BOUND,
        ),
        Page(
            "analis.pusat league: offices (year)",
            "analis.pusat",
            lambda: _year(reverse("insights:league")),
            50,
            ROLLUP_BOUND,
        ),
        Page(
            "analis.pusat map cells JSON (year)",
            "analis.pusat",
            lambda: _year(reverse("insights:map_feed") + "?" + urlencode(NATIONAL_BOX)),
        ),
        Page(
            "kasi.tng export members CSV",
            "kasi.tng",
            lambda: _unit("KANIM-TNG-INTELDAKIM").rstrip("/") + "/members.csv",
        ),
        Page(
            "analis.pusat export league XLSX",
            "analis.pusat",
            lambda: reverse("insights:league") + "?format=xlsx",
        ),
    ]


def operations_pages() -> list[Page]:
    """The operations issue's pages: the list, an operation with its results, the national
    operation's league of offices."""
    return [
        Page("kasi.tng operations list", "kasi.tng", lambda: reverse("operations:operation_list")),
        Page("kasi.tng operation + results", "kasi.tng", lambda: _operation(JOINT)),
        Page("analis.pusat national op league", "analis.pusat", _national_rollup),
    ]


def pages() -> list[Page]:
    bulk_leader = _bulk_leader()
    lookup = _misspelt_name()
    return [
        Page("kasi.tng live board", "kasi.tng", lambda: reverse("supervision:board"), 50),
        Page("kakanim.tng live board", "kakanim.tng", lambda: reverse("supervision:board"), 50),
        Page(f"{bulk_leader} live board", bulk_leader, lambda: reverse("supervision:board"), 50),
        Page("kasi.tng review queue", "kasi.tng", lambda: reverse("reports:review_queue"), 50),
        Page("kasi.tng home", "kasi.tng", lambda: reverse("home"), 50),
        Page(
            "analis.pusat search: permit expired",
            "analis.pusat",
            lambda: reverse("registry:person_search") + "?permit_status=expired",
            SEARCH_P95_MS,
        ),
        Page(
            "analis.pusat search: valid, CN",
            "analis.pusat",
            lambda: reverse("registry:person_search") + "?permit_status=valid&nationality=CN",
            SEARCH_P95_MS,
        ),
        Page(
            "analis.pusat permit warnings p1",
            "analis.pusat",
            lambda: reverse("registry:permit_warnings"),
            raw_bound=LIST_BOUND,
        ),
        Page(
            "analis.pusat places list",
            "analis.pusat",
            lambda: reverse("registry:place_list"),
            raw_bound=LIST_BOUND,
        ),
        Page(
            "analis.pusat sponsors list",
            "analis.pusat",
            lambda: reverse("registry:sponsor_list"),
            raw_bound=LIST_BOUND,
        ),
        Page(
            f"kasi.tng lookup JSON ({lookup})",
            "kasi.tng",
            lambda: reverse("registry:person_lookup") + "?" + urlencode({"q": lookup, "limit": 5}),
            LOOKUP_P95_MS,
        ),
        *insights_pages(),
        *operations_pages(),
    ]


def _replay(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(page: Page, runs: int) -> Figures:
    client = Client()
    client.force_login(User.objects.get(username=page.username))
    url = page.url()
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.label}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    selects = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    figures = Figures(queries=len(captured.captured_queries))
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        figures.page.append((time.perf_counter() - started) * 1000)
        figures.raw.append(_replay(selects))
    return figures


def ensure_activities(wanted: int, write: Callable[[str], None]) -> None:
    present = Activity.objects.count()
    if present >= wanted:
        write(f"activities: {present:,} present (wanted {wanted:,})")
        # Generated before the generator filled the rollups: the insights pages would read
        # rollups of the demo month only.
        started = time.perf_counter()
        if filled := fill_rollups(progress=write):
            seconds = time.perf_counter() - started
            write(f"rollups filled for {filled:,} reports in {seconds:,.0f} s")
            _vacuum(write)
        return
    started = time.perf_counter()
    generate(scale=wanted - present, progress=write)
    write(
        f"generated {wanted - present:,} activities in {time.perf_counter() - started:,.0f} s "
        f"(now {Activity.objects.count():,})"
    )
    _vacuum(write)


def _vacuum(write: Callable[[str], None]) -> None:
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: statistics and the visibility map
            # (index-only scans); the bench measures the steady state.
            cursor.execute("VACUUM (ANALYZE)")
        write(f"VACUUM (ANALYZE) in {time.perf_counter() - started:,.0f} s")


def run(
    scales: list[int], runs: int, write: Callable[[str], None], only: list[str] | None = None
) -> None:
    results: dict[int, dict[str, Figures]] = {}
    for scale in sorted(scales):
        ensure_activities(scale, write)
        load = os.getloadavg()
        write(
            f"\n== {scale:,} activities · load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
            f" · {runs} requests per page after {WARM_UP} to warm up"
        )
        write(
            f"{'page':40} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>8} "
            f"{'raw p95':>8} {'page/raw':>8} {'target':>7}"
        )
        results[scale] = {}
        # As in every served process (silahap/wsgi.py): the loaded code out of the GC's sweeps.
        settle_served_process()
        with override_settings(DEBUG=False, SILAHAP_SECOND_FACTOR_ROLES=[]):
            for page in pages():
                if only and not any(word in page.label for word in only):
                    continue
                figures = measure(page, runs)
                results[scale][page.label] = figures
                p95, raw95 = figures.p("page", 0.95), figures.p("raw", 0.95)
                verdict = page.verdict(p95, raw95)
                write(
                    f"{page.label:40} {figures.queries:>7} {figures.p('page', 0.5):>8.1f} "
                    f"{p95:>8.1f} {figures.p('raw', 0.5):>8.1f} {raw95:>8.1f} "
                    f"{p95 / max(raw95, 0.01):>7.1f}× {verdict:>7}"
                )
    if len(results) < 2:
        return
    small, large = min(results), max(results)
    write(f"\n== growth from {small:,} to {large:,} activities (p95; flat: ≤ 1.3× or +10 ms)")
    for label, figures in results[large].items():
        before = results[small].get(label)
        if before is None:
            continue
        p95_small, p95_large = before.p("page", 0.95), figures.p("page", 0.95)
        flat = p95_large <= max(FLAT_GROWTH * p95_small, p95_small + FLAT_SLACK_MS)
        write(
            f"{label:40} {p95_small:>8.1f} → {p95_large:>8.1f} ms "
            f"({p95_large / max(p95_small, 0.01):.2f}×, p50 "
            f"{figures.p('page', 0.5) / max(before.p('page', 0.5), 0.01):.2f}×) "
            f"{'flat' if flat else 'GROWS'}"
        )
