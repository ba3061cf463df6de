"""Phones first (issue 13): a patient on a 390x844 touch screen does the whole interview by
taps and typing; the open chat is the whole screen, its text box stays above the on-screen
keyboard, every control is a 44x44 px target and all text is 16 px or more; the card and the
map fit. After the card the same patient keeps a pain diary over three simulated days and
sees its chart. The desktop window stays as it was. axe-core (web/package-lock.json) finds
nothing, of any impact, on the page with the chat closed, open, mid-interview, with the card
and with the diary, at both sizes. Screenshots: tests/artifacts/phone-*.png and desktop-*.png."""

import datetime as dt
import json
from typing import Any, Dict, Iterator, List

import pytest
import requests

from tests.browser.diary import SimulatedDays, keep_diary
from tests.browser.helpers import (
    ARTIFACTS,
    BOT_MESSAGES,
    PHONE_CONTEXT,
    PHONE_VIEWPORT,
    VIEWPORT,
    axe_violations,
    count,
    last_assessment,
    open_page,
    quick_replies,
    screenshot,
    session_id,
    wait_for_bot,
)
from tests.browser.interview import CARD, FIRST_MESSAGE, interview
from tests.support import summary

SIZES = {"phone": PHONE_VIEWPORT, "desktop": VIEWPORT}
MIN_TARGET_PX = 44
MIN_TEXT_PX = 16

# Points along the edges and corners (1 px in), and a grid inside: what is drawn there.
COVER_JS = """() => {
  const w = window.innerWidth, h = window.innerHeight, mount = document.querySelector('#chat');
  const points = [];
  for (const fx of [0, 0.25, 0.5, 0.75, 1]) for (const fy of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1])
    points.push([Math.min(w - 1, Math.max(1, fx * w)), Math.min(h - 1, Math.max(1, fy * h))]);
  return points.map(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return {x, y, inside: !!hit && mount.contains(hit),
            what: hit ? hit.tagName + '.' + (hit.className.baseVal ?? hit.className) : null};
  }).filter(p => !p.inside);
}"""

# Visible controls in the chat smaller than a finger, and visible text smaller than 16 px.
SIZES_JS = """([minTarget, minText]) => {
  const root = document.querySelector('#chat');
  const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !e.closest('details:not([open]) > :not(summary)'); };
  const small = [...root.querySelectorAll(
      'button, a[href], input, textarea, summary, [role=button], [role=link], [tabindex="0"]')]
    .filter(visible).filter(e => !e.matches('.rw-messages-container'))
    .map(e => ({e, r: e.getBoundingClientRect()}))
    .filter(({r}) => r.width < minTarget - 0.5 || r.height < minTarget - 0.5)
    .map(({e, r}) => `${e.tagName}.${e.className} ${Math.round(r.width)}x${Math.round(r.height)}`);
  const tiny = [];
  for (const e of root.querySelectorAll('*')) {
    const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(e).fontSize);
    if ((text || e.matches('input, textarea')) && visible(e) && size < minText)
      tiny.push(`${e.tagName}.${e.className} ${size}px: ${e.textContent.trim().slice(0, 30)}`);
  }
  return {small, tiny};
}"""


@pytest.fixture(scope="module")
def phone(browser: Any, servers: Any) -> Iterator[Dict[str, Any]]:
    """One patient's interview on a phone, by taps and typing; axe-core at every stage, at the
    phone's size and (the same page, resized) the desktop's."""
    context = browser.new_context(**PHONE_CONTEXT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    external: List[str] = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(
                (
                    "http://127.0.0.1",
                    "http://localhost",
                    "ws://127.0.0.1",
                    "ws://localhost",
                    "data:",
                )
            )
            else external.append(r.url)
        ),
    )
    axe: Dict[str, List[Dict[str, Any]]] = {}

    def check(state: str) -> None:
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.wait_for_timeout(600)  # the widget's slide-in animation
            axe[f"{state} @ {size}"] = axe_violations(page)
            if size == "desktop":
                screenshot(page, f"desktop-{state}")
        page.set_viewport_size(PHONE_VIEWPORT)
        page.wait_for_timeout(300)

    open_page(page, servers.web_url)
    screenshot(page, "phone-01-page")
    check("chat-closed")
    page.locator("#chat .rw-launcher").tap()
    page.wait_for_selector("#chat .rw-new-message")
    wait_for_bot(page, 0)
    screenshot(page, "phone-02-greeting")
    check("chat-open")
    sender = session_id(page)
    seen = {"buttons": False}

    def on_question(slot: str) -> None:
        if not seen["buttons"] and quick_replies(page):
            seen["buttons"] = True
            screenshot(page, "phone-03-question-with-buttons")
            check("mid-interview-with-buttons")

    log = interview(page, servers, sender, touch=True, on_question=on_question)
    page.locator(CARD).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "phone-04-assessment-card")
    check("assessment-card")
    yield {
        "page": page,
        "sender": sender,
        "log": log,
        "errors": errors,
        "axe": axe,
        "external": external,
        "asked_with_buttons": seen["buttons"],
        "check": check,
    }
    context.close()


def test_a_phone_interview_by_taps_and_typing_reaches_the_card(
    phone: Dict[str, Any], servers: Any
) -> None:
    page, log = phone["page"], phone["log"]
    assert page.locator(CARD).count() == 1, log
    assert any("typed" in s for s in log) and any("clicked" in s for s in log), log
    assert phone["asked_with_buttons"]
    assessment = last_assessment(servers.tracker(phone["sender"]))
    assert assessment and page.locator(CARD).get_attribute("data-triage") == assessment["triage"]
    # the card and the map fit the width: nothing sticks out, nothing scrolls sideways
    width = PHONE_VIEWPORT["width"]
    card = page.locator(CARD).bounding_box()
    assert card and card["x"] >= 0 and card["x"] + card["width"] <= width, card
    picture = page.locator(f"{CARD} img.lp-map")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    box = picture.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["width"] > 200
    overflow = page.evaluate("""() => { const m = document.querySelector(
        '#chat .rw-messages-container'); return m.scrollWidth - m.clientWidth; }""")
    assert overflow <= 0, f"the conversation scrolls sideways by {overflow}px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # the summary for the doctor: a PDF download and a page to print, from the card
    pdf = page.locator(f"{CARD} a.lp-report-pdf").get_attribute("href")
    reply = requests.get(pdf, timeout=120)
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "application/pdf"
    assert reply.content.startswith(b"%PDF-") and "no-store" in reply.headers["Cache-Control"]
    printable = requests.get(
        page.locator(f"{CARD} a.lp-report-page").get_attribute("href"), timeout=60
    )
    assert printable.status_code == 200 and assessment["causes"][0]["name"] in printable.text
    slots = servers.slots(phone["sender"])
    for slot, label in (("age", "Age"), ("pain_severity", "Worst pain (0 to 10)")):
        if slots.get(slot) is not None:  # what the patient answered is on the report
            assert f"{label}</th><td>{float(slots[slot]):g}</td>" in printable.text, slot
    # the page to print, as the phone shows it: styled (its security policy allows its own
    # inline styles), fitting the width, and accessible
    report = page.context.new_page()
    report.goto(page.locator(f"{CARD} a.lp-report-page").get_attribute("href"))
    banner = report.eval_on_selector(".banner", "e => getComputedStyle(e).backgroundColor")
    assert banner != "rgba(0, 0, 0, 0)", "the report page lost its styles"
    assert report.evaluate("() => document.documentElement.scrollWidth") <= width
    screenshot(report, "phone-07-report-page", full_page=True)
    assert axe_violations(report) == []
    report.close()
    assert not phone["external"], f"requests to third parties: {phone['external']}"
    assert not phone["errors"], phone["errors"]


def test_a_phone_patient_keeps_a_pain_diary_over_three_days(
    phone: Dict[str, Any], servers: Any
) -> None:
    """After the card, three daily check-ins by taps and typing, each on its own simulated
    day; the trend chart (a PNG from the Rasa server) shows in the chat and fits the screen,
    with the summary of the trend. axe-core checks the chat with the diary shown."""
    page, sender = phone["page"], phone["sender"]
    days = SimulatedDays()
    days.install(page)
    page.reload()  # the widget reconnects, now through the test's WebSocket route
    page.wait_for_function("() => document.querySelector('#chat').dataset.connected === 'true'")
    if not page.locator("#chat .rw-conversation-container").count():
        page.locator("#chat .rw-launcher").tap()
    page.wait_for_selector(CARD)
    today = dt.date.today()
    log = keep_diary(page, servers, sender, days, today)
    entries = servers.slots(sender).get("diary_entries") or []
    expected = [
        ((today - dt.timedelta(days=b)).isoformat(), s) for b, s in ((8, 6), (4, 4), (0, 3))
    ]
    assert [(e["day"], e["severity"]) for e in entries] == expected, (entries, log)
    assert {day for day, _ in days.stamped} == {day for day, _ in expected}, days.stamped
    said = "\n".join(page.locator(BOT_MESSAGES).all_inner_texts())
    last_day = today.strftime("%A %d %B")
    assert f"Saved in your pain diary for {last_day}: worst pain 3 out of 10" in said, said[-600:]
    assert "Your pain is better than last week" in said, said[-600:]
    # the trend chart: a picture in the chat, loaded, fitting the phone's width
    chart = page.locator("#chat img[src*='/webhooks/report/'][src$='.png']").last
    chart.scroll_into_view_if_needed()
    loaded = page.wait_for_function(
        "img => img.complete && (img.naturalWidth > 0 || 'failed')",
        arg=chart.element_handle(),
    ).json_value()
    assert loaded is True, (
        "the diary chart did not load in the page (its Content-Security-Policy img-src must "
        f"allow the Rasa server): {chart.get_attribute('src')}"
    )
    box = chart.bounding_box()
    width = PHONE_VIEWPORT["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["width"] > 200, box
    assert "diary" in (chart.get_attribute("alt") or "").lower()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # the summary for the doctor, from the card, now with the diary: a tap on the link opens
    # the PDF in a new tab (Chromium's viewer: the server sends it inline); the printable page
    # shows the diary's days
    link = page.locator(f"{CARD} a.lp-report-pdf").last
    link.scroll_into_view_if_needed()
    with page.context.expect_event("response", lambda r: ".pdf" in r.url) as opened:
        link.tap()
    pdf = opened.value
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    # (the viewer takes the body over: the bytes again, through the browser context)
    assert page.context.request.get(pdf.url).body().startswith(b"%PDF-")
    for other in page.context.pages:
        if other is not page:
            other.close()
    printable = requests.get(
        page.locator(f"{CARD} a.lp-report-page").last.get_attribute("href"), timeout=60
    )
    first, last = (today - dt.timedelta(days=8)).strftime("%d %b"), today.strftime("%d %b")
    assert f"3 days in the diary, from {first} to {last}" in printable.text
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "phone-08-diary-chart")
    phone["check"]("diary")
    assert not phone["errors"], phone["errors"]


def test_the_open_chat_is_the_whole_phone_screen(phone: Dict[str, Any]) -> None:
    page = phone["page"]
    assert page.locator("#chat .rw-conversation-container").count()
    uncovered = page.evaluate(COVER_JS)
    assert not uncovered, f"page content shows around the open chat: {uncovered[:6]}"
    frame = page.locator("#chat .rw-widget-container").bounding_box()
    assert frame == {"x": 0, "y": 0, **{k: float(v) for k, v in PHONE_VIEWPORT.items()}}, frame
    # the text box and the send button are on screen, at the bottom
    for selector in ("#chat .rw-new-message", "#chat .rw-send", "#chat .rw-close-button"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE_VIEWPORT["height"]
    assert page.evaluate(
        "() => document.documentElement.classList.contains('lp-chat-fullscreen')"
    ), "the page behind the chat can still scroll"


def test_phone_controls_are_44px_and_text_16px(phone: Dict[str, Any]) -> None:
    page = phone["page"]
    found = page.evaluate(SIZES_JS, [MIN_TARGET_PX, MIN_TEXT_PX])
    assert not found["small"], f"touch targets under {MIN_TARGET_PX}px: {found['small'][:8]}"
    assert not found["tiny"], f"text under {MIN_TEXT_PX}px: {found['tiny'][:8]}"
    assert (
        page.eval_on_selector(
            "#chat .rw-new-message", "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        >= 16
    )


def test_the_text_box_stays_above_the_on_screen_keyboard(phone: Dict[str, Any]) -> None:
    """A keyboard takes the bottom ~40% of the screen: the visible viewport shrinks (as
    Chrome does with interactive-widget=resizes-content, and as legpain-chat.js follows
    window.visualViewport elsewhere). The text box must still be in view, above it."""
    page = phone["page"]
    box = page.locator("#chat .rw-new-message")
    box.tap()
    visible_height = 500
    page.set_viewport_size({"width": PHONE_VIEWPORT["width"], "height": visible_height})
    page.wait_for_timeout(300)
    try:
        for selector in ("#chat .rw-new-message", "#chat .rw-send", "#chat .rw-header"):
            where = page.locator(selector).bounding_box()
            assert where and where["y"] >= 0 and where["y"] + where["height"] <= visible_height, (
                selector,
                where,
            )
        assert page.evaluate("() => document.activeElement.classList.contains('rw-new-message')")
        screenshot(page, "phone-05-keyboard-open")
    finally:
        page.set_viewport_size(PHONE_VIEWPORT)
        page.wait_for_timeout(300)


def test_the_phone_conversation_survives_a_reload(phone: Dict[str, Any], servers: Any) -> None:
    page, sender = phone["page"], phone["sender"]
    page.reload()
    page.wait_for_selector("#chat .rw-launcher", state="attached")
    page.wait_for_function("() => document.querySelector('#chat').dataset.connected === 'true'")
    if not page.locator("#chat .rw-conversation-container").count():
        page.locator("#chat .rw-launcher").tap()
    page.wait_for_selector(CARD)
    assert session_id(page) == sender
    assert FIRST_MESSAGE in page.locator("#chat .rw-from-client .rw-message").first.inner_text()
    page.wait_for_timeout(700)
    assert not page.evaluate(COVER_JS)
    screenshot(page, "phone-06-after-reload")
    # closing gives the page back, with its launcher
    page.locator("#chat .rw-close-button").tap()
    page.wait_for_selector("#chat .rw-conversation-container", state="detached")
    assert not page.evaluate(
        "() => document.documentElement.classList.contains('lp-chat-fullscreen')"
    )
    launcher = page.locator("#chat .rw-launcher").bounding_box()
    assert launcher and launcher["width"] >= MIN_TARGET_PX and launcher["height"] >= MIN_TARGET_PX


def test_desktop_keeps_its_floating_window(new_page: Any, servers: Any) -> None:
    page = new_page()
    open_page(page, servers.web_url)
    page.click("#chat .rw-launcher")
    page.wait_for_selector("#chat .rw-new-message")
    wait_for_bot(page, 0)
    page.wait_for_timeout(600)
    window = page.locator("#chat .rw-conversation-container").bounding_box()
    messages = page.locator("#chat .rw-messages-container").bounding_box()
    assert window and window["width"] == 400, window
    assert messages and messages["height"] == min(0.6 * VIEWPORT["height"], 560), messages
    # the page stays visible and usable beside the window
    assert page.evaluate(
        "() => !document.querySelector('#chat').contains(document.elementFromPoint(20, 20))"
    )
    assert page.locator("#chat .rw-launcher").is_visible()
    assert count(page, BOT_MESSAGES) >= 1
    screenshot(page, "desktop-chat-window")


def test_axe_core_finds_no_violations(phone: Dict[str, Any]) -> None:
    axe = phone["axe"]
    states = {"chat-closed", "chat-open", "mid-interview-with-buttons", "assessment-card", "diary"}
    assert {key.split(" @ ")[0] for key in axe} == states
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-violations.json").write_text(json.dumps(axe, indent=1))
    summary.show(
        "axe-core violations (tests/artifacts/axe-violations.json)",
        "\n".join(f"{key}: {len(found)} {[v['id'] for v in found]}" for key, found in axe.items()),
    )
    found = {
        key: [(v["id"], v["impact"], v["targets"][:3]) for v in violations]
        for key, violations in axe.items()
        if violations
    }
    assert not found, json.dumps(found, indent=1)
