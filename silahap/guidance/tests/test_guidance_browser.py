"""On a phone (360 px): an officer reads an urgent direction from the today page, watches a
tutorial to the end and passes its quiz; the leader sees it all. The pages pass axe and fit."""

import pytest
from django.urls import reverse

from silahap.guidance import samples
from silahap.guidance.services import library
from silahap.guidance.tests.helpers import send, tiny_pdf, tutorial
from silahap.testing.axe import log_in, outline_problems, reflow_problems, violations

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]
QUIZ = "Q: Apa yang wajib dibawa?\n* Surat perintah\n- Kartu nama\n"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_officer_reads_watches_and_passes_and_the_leader_sees_it(
    live_server, people, phone, mp4_bytes
):
    direction = send(people, priority="urgent", body="Segera periksa Hotel Cikokol hari ini.")
    made = tutorial(
        people,
        mp4_bytes,
        quiz=QUIZ,
        pass_mark=100,
        required_roles=["officer"],
        captions=samples.captions(["Halo", "Surat perintah", "Selesai"]),
    )
    base = live_server.url

    log_in(phone, base, "officer_a2")
    card = phone.wait_for_selector(
        f"[data-testid=today-direction][data-direction='{direction.pk}']"
    )
    assert "Segera periksa Hotel Cikokol" in card.inner_text()
    assert phone.locator("[data-testid=urgent-badge]").count() == 1
    assert fits(phone)
    card.query_selector("[data-testid=acknowledge]").click()
    phone.wait_for_load_state("load")
    assert (
        phone.locator(f"[data-testid=today-direction][data-direction='{direction.pk}']").count()
        == 0
    )

    phone.goto(base + made.get_absolute_url())
    video = phone.wait_for_selector("[data-testid=tutorial-video]")
    assert fits(phone)
    phone.wait_for_function(
        "document.querySelector('video').textTracks.length === 1"
        " && document.querySelector('video').textTracks[0].mode === 'showing'"
    )
    phone.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    phone.wait_for_function("document.querySelector('video').ended", timeout=30_000)
    phone.wait_for_selector("[data-testid=watch-status][data-watched='1']", timeout=10_000)
    assert video.is_visible()

    for radio in phone.locator("[data-testid=quiz-form] input[value='0']").all():
        radio.check()
    phone.click("[data-testid=submit-quiz]")
    result = phone.wait_for_selector("[data-testid=quiz-result]")
    assert "100" in result.inner_text()

    phone.context.clear_cookies()
    log_in(phone, base, "leader_a")
    phone.goto(base + reverse("guidance:completion_matrix"))
    row = phone.wait_for_selector("[data-testid=matrix-row][data-user='officer_a2']")
    assert row.query_selector("[data-testid=cell-done]") is not None
    assert fits(phone)
    phone.goto(base + direction.get_absolute_url())
    read = phone.wait_for_selector("[data-testid=recipient-row][data-user='officer_a2']")
    read_at = read.query_selector_all("td")[2].inner_text()
    assert read_at != "—"


def test_the_guidance_pages_pass_axe_and_fit_a_phone(live_server, people, phone, mp4_bytes):
    direction = send(people, priority="urgent")
    made = tutorial(people, mp4_bytes, quiz=QUIZ, pass_mark=100, required_roles=["officer"])
    sop = library.sop_create(
        by=people.leader_a,
        title="Pengawasan lapangan",
        category="field",
        number="1",
        effective_date=direction.sent_on,
        data=tiny_pdf(),
        required_roles=["officer"],
    )
    pages = {
        "officer_a": [
            reverse("home"),
            reverse("guidance:direction_list"),
            direction.get_absolute_url(),
            reverse("guidance:training"),
            reverse("guidance:sop_list"),
            sop.get_absolute_url(),
            reverse("guidance:tutorial_list"),
            made.get_absolute_url(),
        ],
        "leader_a": [
            reverse("guidance:direction_create"),
            direction.get_absolute_url(),
            reverse("guidance:completion_matrix"),
            reverse("guidance:sop_create"),
            reverse("guidance:tutorial_create"),
            sop.get_absolute_url(),
        ],
    }
    problems = {}
    for persona, urls in pages.items():
        phone.context.clear_cookies()
        log_in(phone, live_server.url, persona)
        for url in urls:
            phone.goto(live_server.url + url)
            phone.wait_for_load_state("load")
            found = violations(phone) + outline_problems(phone) + reflow_problems(phone)
            if not fits(phone):
                found.append("wider than 360 px")
            if found:
                problems[f"{persona} {url}"] = found
    assert problems == {}
