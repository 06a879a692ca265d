"""How `make test` hands the suite to its workers (pytest-xdist, `--dist loadfile`).

xdist's own file scheduling queues files by their number of cases, so a file of five long cases
(the per-role axe walks, ~4 minutes each) starts last and runs alone on one worker while the
others have finished: minutes with one core idle. Here:

- the cases of the files in SPREAD are units of their own, so the five roles of a walk run on all
  workers at once (each case builds what it needs; nothing is shared between them but the
  session's browser and live server, which every worker has anyway);
- the units that take longest start first (SPREAD, then FIRST, then the other browser files),
  and the rest follow in xdist's order, the biggest files first, so the short ones fill the end.

Every other file stays one unit, so its module fixtures are still built once.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from xdist.scheduler import LoadFileScheduling

# Long cases that share nothing but the session's browser and server (seconds per case, idle).
SPREAD = (
    "silahap/accounts/tests/test_accessibility_desktop_browser.py",  # 16-73 s per role
    "silahap/accounts/tests/test_accessibility_phone_browser.py",  # 16-61 s per role
    "silahap/accounts/tests/test_hostile_inputs.py",  # 4-26 s per persona and method
    "silahap/integration/tests/test_schemathesis.py",  # 14-24 s per client
)
# Files with one long case or a long module setup (seconds, idle, in this order).
FIRST = (
    "silahap/demo/tests/test_seed_demo.py",  # 61 s setup + 20 s
    "silahap/accounts/tests/test_production_server.py",  # 49 s
    "silahap/reports/tests/test_report_rules_state_machine.py",  # 38 s
    "silahap/registry/tests/test_bench_command.py",  # 39 s
    "silahap/insights/tests/test_rollup_property.py",  # 31 s
    "silahap/guidance/tests/test_tutorial_playback_browser.py",  # 25 s
    "silahap/areas/tests/test_move_from_registry.py",  # 22 s
    "silahap/accounts/tests/test_run_dev_server.py",  # 21 s
    "silahap/accounts/tests/test_hostile_inputs_admin.py",  # 28 s
)


def listed_files() -> tuple[str, ...]:
    return SPREAD + FIRST


def rank(scope: str) -> int:
    """0 starts first. A scope is a file path, or a case's node id in a SPREAD file."""
    path = scope.split("::", 1)[0]
    if path in SPREAD:
        return 0
    if path in FIRST:
        return 1 + FIRST.index(path)
    if Path(path).stem.endswith("_browser"):
        return 1 + len(FIRST)
    return 2 + len(FIRST)


class _LongestFirst(OrderedDict):
    """xdist's queue of work units, handing out the lowest rank first (then its own order)."""

    def popitem(self, last: bool = True):
        if last or not self:
            return super().popitem(last=last)
        scope = min(self, key=rank)  # the first of the lowest rank: xdist's order within a rank
        return scope, self.pop(scope)


class LongestFirstScheduling(LoadFileScheduling):
    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        self.workqueue = _LongestFirst()

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if path in SPREAD else path
