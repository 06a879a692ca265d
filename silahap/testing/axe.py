"""Run axe-core (vendored under silahap/testing/vendor) on the page a browser test has open."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import MATRIX

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA (issue "Accessible to every officer").
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


# Beyond axe's rules (issue "Accessible to every officer", 4 and 5): one h1 and no skipped heading
# level, so the headings form an outline; and at 200 % text size a 360 px page does not scroll
# sideways (a wide table may scroll inside its own box, the page may not).
OUTLINE = """() => {
  const levels = [...document.querySelectorAll("main :is(h1, h2, h3, h4, h5, h6)")]
    .filter((h) => h.offsetParent !== null || h.closest("details"))
    .map((h) => Number(h.tagName[1]));
  const problems = [];
  const ones = document.querySelectorAll("h1").length;
  if (ones !== 1) problems.push(`${ones} h1 elements`);
  levels.forEach((level, i) => {
    if (i > 0 && level > levels[i - 1] + 1) problems.push(`h${levels[i - 1]} then h${level}`);
  });
  return problems;
}"""
REFLOW = """(width) => {
  const plain = document.documentElement.scrollWidth - width;
  document.documentElement.style.fontSize = "200%";
  const large = document.documentElement.scrollWidth - width;
  document.documentElement.style.fontSize = "";
  return [plain, large];
}"""


def outline_problems(page) -> list[str]:
    return [f"heading-outline: {problem}" for problem in page.evaluate(OUTLINE)]


def reflow_problems(page) -> list[str]:
    # Against the width the phone was given: a mobile viewport widens to fit what overflows.
    plain, large = page.evaluate(REFLOW, page.viewport_size["width"])
    problems = [f"layout: {plain}px wider than the screen"] if plain > 0 else []
    if large > 0:
        problems.append(f"reflow: {large}px of sideways scroll at 200 % text")
    return problems


class Console:
    """Script errors, failed loads and content-security-policy refusals the page reports."""

    def __init__(self, page):
        self.lines: list[str] = []
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.lines.append(f"script error: {error}"))

    def _message(self, message) -> None:
        if message.type == "error":
            self.lines.append(f"console: {message.text[:300]}")

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


# axe reaches the test browser from the page's own origin (Playwright answers the request, the
# server never sees it), so the site's content security policy stays on while axe runs.
AXE_URL_PATH = "/__axe-core-for-tests__.js"


def violations(page) -> list[str]:
    """axe's WCAG A/AA violations on the page, one line each: rule, impact, elements."""
    if not getattr(page, "_axe_routed", False):
        page.route(
            f"**{AXE_URL_PATH}",
            lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
        )
        page._axe_routed = True
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=page.evaluate("() => location.origin") + AXE_URL_PATH)
    found = page.evaluate(RUN, TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"])
        for v in found
    ]


ROLES = ["officer_a", "leader_a", "analyst", "partner", "office_admin"]
# The Django admin counts as a page: what an office administrator works in.
ADMIN_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
    "admin:accounts_membership_changelist",
    "admin:registry_place_changelist",
    "admin:registry_visaindex_changelist",
]


def pages_for(persona: str) -> list[str]:
    names = sorted(
        name
        for name, row in MATRIX.items()
        if row.methods.get("GET", {}).get(persona) == 200 and not name.startswith("admin:")
    )
    return names + (ADMIN_PAGES if persona == "office_admin" else [])


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def is_page(page, url: str) -> bool:
    """A whole HTML document: not a download, a script, JSON or a fragment for htmx."""
    response = page.request.get(url)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return response.text().lstrip()[:15].lower() == "<!doctype html>"


def walk(
    page, base_url: str, people, persona: str, *, reflow: bool = False
) -> dict[str, list[str]]:
    console = Console(page)
    log_in(page, base_url, getattr(people, persona).username)
    console.take()
    failures: dict[str, list[str]] = {}
    for name in pages_for(persona):
        url = MATRIX[name].url(people) if name in MATRIX else reverse(name)
        if not is_page(page, base_url + url):
            continue
        response = page.goto(base_url + url)
        assert response is not None
        assert response.status == 200, f"{persona} {url}: {response.status}"
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")
        found = console.take()
        found += violations(page) + outline_problems(page)
        console.take()  # what axe's own probes set off (it styles elements while it measures)
        if reflow:
            found += reflow_problems(page)
        if found:
            failures[f"{name} {url}"] = found
    return failures


def report(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in failures.items())
