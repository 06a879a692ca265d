"""The suite's work units: long walks spread over the workers and started first."""

from pathlib import Path

from django.conf import settings

from silahap.testing import scheduling
from silahap.testing.scheduling import FIRST, SPREAD, _LongestFirst, rank


def test_every_listed_file_exists():
    # A renamed file would silently fall back to the ordinary order.
    root = Path(settings.BASE_DIR)
    missing = [path for path in scheduling.listed_files() if not (root / path).is_file()]
    assert missing == []


def test_longest_units_are_handed_out_first_and_the_rest_keep_xdists_order():
    queue = _LongestFirst()
    ordinary_big = "silahap/accounts/tests/test_url_matrix.py"
    ordinary_small = "silahap/reports/tests/test_models.py"
    browser = "silahap/reports/tests/test_review_browser.py"
    case = SPREAD[0] + "::test_walk[leader_a]"
    for scope in (ordinary_big, browser, FIRST[1], ordinary_small, case, FIRST[0]):
        queue[scope] = {scope: False}
    handed = [queue.popitem(last=False)[0] for _ in range(len(queue))]
    assert handed == [case, FIRST[0], FIRST[1], browser, ordinary_big, ordinary_small]
    assert rank(case) < rank(FIRST[0]) < rank(browser) < rank(ordinary_big)


def test_cases_of_a_spread_file_are_units_of_their_own_and_other_files_stay_whole():
    split = scheduling.LongestFirstScheduling._split_scope
    assert split(None, SPREAD[1] + "::test_walk[analyst]") == SPREAD[1] + "::test_walk[analyst]"
    other = "silahap/reports/tests/test_review_browser.py::test_return_fix_resubmit_approve"
    assert split(None, other) == "silahap/reports/tests/test_review_browser.py"
