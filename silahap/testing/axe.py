"""Run axe-core (vendored under silahap/testing/vendor) on the page a browser test has open."""

from __future__ import annotations

import functools
import time
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import MATRIX

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA (issue "Accessible to every officer").
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],  // passes and incomplete are never read: not worked out
  });
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


# Icon-only controls named in the page's language (a map's zoom buttons come named in English).
ENGLISH_NAMES = """() => [...document.querySelectorAll(".leaflet-control-zoom a")]
  .map((a) => a.getAttribute("aria-label") || "")
  .filter((name) => document.documentElement.lang === "id" && /^Zoom (in|out)$/.test(name))"""


def outline_problems(page) -> list[str]:
    problems = [f"heading-outline: {problem}" for problem in page.evaluate(OUTLINE)]
    return problems + [f"name in English: {name}" for name in page.evaluate(ENGLISH_NAMES)]


def reflow_problems(page) -> list[str]:
    # Against the width the phone was given: a mobile viewport widens to fit what overflows.
    plain, large = page.evaluate(REFLOW, page.viewport_size["width"])
    problems = [f"layout: {plain}px wider than the screen"] if plain > 0 else []
    if large > 0:
        problems.append(f"reflow: {large}px of sideways scroll at 200 % text")
    return problems


# Nothing traps focus (issue "Accessible to every officer", 3). The browser never traps Tab by
# itself: a trap needs a script that moves focus or a widget that takes keys (a map, a player,
# a page's own script), so those pages are walked with Tab from the top until focus leaves the
# document; coming back to an element already visited before that is a trap.
TAKES_KEYS = """() => Boolean(document.querySelector(
  ".leaflet-container, video, audio, dialog, [role=dialog], " +
  "script[src*='/static/js/']:not([src*='silahap']):not([src*='outbox'])"
))"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  let key = el.dataset.tabWalk;
  if (!key) {
    window.__tabCounter = (window.__tabCounter || 0) + 1;
    key = String(window.__tabCounter);
    el.dataset.tabWalk = key;
  }
  return key + " " + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.getAttribute("aria-label") ? "[" + el.getAttribute("aria-label") + "]" : "");
}"""
TAB_LIMIT = 400


# Tab stops the walk should have reached: visible, enabled, not taken out of the order; of a
# radio group only one button is a stop.
UNREACHED = """() => [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex], video[controls]"
  )]
  .filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest("[inert]"))
  // Hidden, not rendered, or inside a closed <details> (Chromium renders its content skipped).
  .filter((el) => el.checkVisibility({visibilityProperty: true}))
  .filter((el) => !(el.type === "radio" && el.name))
  .filter((el) => !el.dataset.tabWalk)
  .slice(0, 4)
  .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " +
    (el.textContent || el.name || "").trim().slice(0, 40))"""


def focus_trap_problems(page) -> list[str]:
    """Tab from the top of the page until focus leaves it or wraps to the first stop: no other
    element may come back before that, and every stop must have been reached."""
    if not page.evaluate(TAKES_KEYS):
        return []
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    seen: list[str] = []
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused == seen[0]):
            unreached = page.evaluate(UNREACHED)
            if unreached:
                after = " → ".join(seen[-3:])
                return [
                    f"focus-trap: never reached by Tab: {', '.join(unreached)}"
                    f" (Tab left the page after {after})"
                ]
            return []
        if seen and focused == seen[-1]:
            continue  # a player's own controls sit inside one element
        if focused in seen:
            cycle = seen[seen.index(focused) :] + [focused]
            return ["focus-trap: Tab comes back to " + " → ".join(cycle[-6:])]
        seen.append(focused)
    return [f"focus-trap: still inside the page after {TAB_LIMIT} presses of Tab"]


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


# axe is evaluated in the page by the browser's debugging protocol, which the site's content
# security policy does not govern, so the policy stays on while axe runs. Not a <script> answered
# by page.route: routing turns the browser's HTTP cache off, and every page then fetched its
# styles and scripts again (half of a sweep's time went to that and to the tag).
@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """axe's WCAG A/AA violations on the page, one line each: rule, impact, elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
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


def is_page(response) -> bool:
    """A whole HTML document: not a photo, JSON or a fragment for htmx (downloads never get
    here: the browser does not navigate to them)."""
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return response.text().lstrip()[:15].lower() == "<!doctype html>"


# Scripts every page loads (the site's own and the outbox) settle by themselves; a page with a
# script of its own (a map, a board, a form that fetches) is left to go quiet on the network
# before axe looks at it, so what the script draws is checked too.
OWN_SCRIPT = """() => [...document.scripts].some((s) =>
  s.src.includes("/static/js/") && !/\\/(silahap|outbox)\\.[^/]*js$/.test(s.src))"""
SETTLED = "() => new Promise((done) => setTimeout(done, 0))"


class Traffic:
    """The page's requests still open. A page is quiet when none has been open for QUIET seconds:
    what Playwright's "networkidle" waits for, which takes half a second of quiet every time."""

    QUIET = 0.15
    LIMIT = 30.0

    def __init__(self, page):
        self.open: set = set()
        self.last = time.monotonic()
        page.on("request", self._opened)
        page.on("requestfinished", self._closed)
        page.on("requestfailed", self._closed)

    def _opened(self, request) -> None:
        self.open.add(request)
        self.last = time.monotonic()

    def _closed(self, request) -> None:
        self.open.discard(request)
        self.last = time.monotonic()

    def settle(self, page) -> None:
        deadline = time.monotonic() + self.LIMIT
        while self.open or time.monotonic() - self.last < self.QUIET:
            if time.monotonic() > deadline:
                raise AssertionError(f"still loading after {self.LIMIT:.0f} s: {self.open}")
            page.wait_for_timeout(25)


def walk(
    page, base_url: str, people, persona: str, *, reflow: bool = False, focus: bool = False
) -> dict[str, list[str]]:
    console = Console(page)
    traffic = Traffic(page)
    log_in(page, base_url, getattr(people, persona).username)
    console.take()
    failures: dict[str, list[str]] = {}
    for name in pages_for(persona):
        url = MATRIX[name].url(people) if name in MATRIX else reverse(name)
        try:
            response = page.goto(base_url + url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # an export: a file, not a page
            raise
        assert response is not None
        assert response.status == 200, f"{persona} {url}: {response.status}"
        if not is_page(response):
            # A photo or JSON shown by the browser itself: its viewer's own inline styles are
            # refused by the site's policy (said before the navigation ends), not the site's doing.
            console.take()
            continue
        if page.evaluate(OWN_SCRIPT):
            traffic.settle(page)
        found = console.take()
        found += violations(page) + outline_problems(page)
        page.evaluate(SETTLED)  # what axe's own probes set off (it styles elements to measure)
        console.take()
        if reflow:
            found += reflow_problems(page)
        if focus:
            found += focus_trap_problems(page)
        if found:
            failures[f"{name} {url}"] = found
    return failures


def report(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in failures.items())
