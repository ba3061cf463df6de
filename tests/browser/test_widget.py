"""A patient on the clinic's demo page: the rasa-webchat widget talking to Rasa's socket.io
channel, the assessment card, the body map, a page reload and keyboard-only use."""

from typing import Any, Dict, Iterator, List

import pytest
import requests

from tests.browser.helpers import (
    ARTIFACTS,
    BOT_MESSAGES,
    USER_MESSAGES,
    VIEWPORT,
    click_region,
    count,
    last_assessment,
    last_user_text,
    open_chat,
    open_page,
    quick_replies,
    requested_slot,
    screenshot,
    session_id,
    type_message,
    user_events,
    wait_for_bot,
    wait_for_bot_after,
    wait_for_turn,
)
from tests.browser.interview import CARD, FIRST_MESSAGE
from tests.browser.interview import interview as run_interview


@pytest.fixture(scope="module")
def interview(browser: Any, servers: Any) -> Iterator[Dict[str, Any]]:
    """One patient's whole interview through the widget, typing and clicking quick replies."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_page(page, servers.web_url)
    screenshot(page, "01-demo-page", full_page=True)
    open_chat(page)
    wait_for_bot(page, 0)  # the greeting, sent by the widget's initPayload
    screenshot(page, "02-greeting")
    sender = session_id(page)
    log = run_interview(page, servers, sender)
    yield {"page": page, "sender": sender, "log": log, "errors": errors}
    context.close()


def test_interview_reaches_the_assessment_card(interview: Dict[str, Any], servers: Any) -> None:
    page, log = interview["page"], interview["log"]
    assert page.locator(CARD).count() == 1, f"no assessment card after {log}"
    assert any("typed" in step for step in log) and any("clicked" in step for step in log), log
    card = page.locator(CARD)
    assessment = last_assessment(servers.tracker(interview["sender"]))
    assert assessment, "the tracker has no assessment payload"

    # triage in words and colour, as the payload says
    assert card.get_attribute("data-triage") == assessment["triage"]
    header = card.locator(".lp-card-triage")
    assert header.locator(".lp-card-level").inner_text().strip()
    assert assessment["triage_headline"] in header.inner_text()
    # likely causes, most likely first, each with its reasons
    names = [n.strip() for n in card.locator(".lp-cause-name").all_inner_texts()]
    assert names == [c["name"] for c in assessment["causes"]]
    assert names  # the most likely, and the others only where a finding of theirs fits
    first_why = card.locator(".lp-cause").first.locator(".lp-why li").all_inner_texts()
    assert first_why == assessment["causes"][0]["why"] and first_why
    # the dermatome and its picture, self-care, when to see a doctor, the notice
    assert "S1" in assessment["dermatomes"]
    assert "S1" in card.locator(".lp-dermatomes").inner_text()
    picture = card.locator("img.lp-map")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    assert "highlight=" in picture.get_attribute("src") and picture.get_attribute("alt")
    if assessment["self_care"]:
        assert card.locator(".lp-self-care li").count() == len(assessment["self_care"])
    assert assessment["see_doctor"] in card.locator(".lp-see-doctor").inner_text()
    assert assessment["not_a_diagnosis"] in card.locator(".lp-card-notice").inner_text()
    # the plain-text explanation came before the card
    bot_texts = " ".join(page.locator(BOT_MESSAGES).all_inner_texts())
    assert assessment["causes"][0]["name"] in bot_texts

    # screenshots: the widget as the patient sees it, and the whole card
    card.scroll_into_view_if_needed()
    screenshot(page, "03-assessment-in-widget")
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.evaluate("""() => { const m = document.querySelector('#chat .rw-messages-container');
                             m.style.maxHeight = 'none'; m.style.height = 'auto'; }""")
    card.screenshot(path=str(ARTIFACTS / "04-assessment-card.png"))
    page.evaluate("""() => { const m = document.querySelector('#chat .rw-messages-container');
                             m.style.maxHeight = ''; m.style.height = ''; }""")
    page.set_viewport_size(VIEWPORT)
    assert not interview["errors"], interview["errors"]


def test_conversation_survives_a_reload(interview: Dict[str, Any], servers: Any) -> None:
    page, sender = interview["page"], interview["sender"]
    messages_before = count(page, "#chat .rw-message")
    page.reload()
    open_page(page, servers.web_url)
    open_chat(page)
    page.wait_for_selector(CARD)
    assert session_id(page) == sender
    assert count(page, "#chat .rw-message") >= messages_before
    assert FIRST_MESSAGE in page.locator(USER_MESSAGES).first.inner_text()
    page.wait_for_timeout(700)  # the widget's slide-in animation
    screenshot(page, "05-after-reload")
    # the server still knows the conversation: the session id rejoins it
    users, bots = user_events(servers, sender), count(page, BOT_MESSAGES)
    type_message(page, "thank you")
    wait_for_turn(servers, sender, users)
    wait_for_bot(page, bots)
    assert last_user_text(page) == "thank you"
    assert servers.tracker(sender)["latest_message"]["text"] == "thank you"


def test_body_map_click_sends_the_region(new_page: Any, servers: Any) -> None:
    page = new_page()
    open_page(page, servers.web_url)
    page.check('input[name="side"][value="right"]')
    click_region(page, "outer foot")
    wait_for_bot_after(page, "outer foot on my right side")
    sender = session_id(page)
    slots = wait_for_turn(servers, sender, 0, text="outer foot on my right side")["slots"]
    assert "outer foot" in slots["pain_location"]
    assert slots["pain_side"] == "right"
    assert "S1" in (slots.get("dermatomes") or [])
    # the bot reacts: it asks the next question, which is no longer where or which side
    assert requested_slot(servers, sender) not in (None, "pain_location", "pain_side")
    assert "outer foot on my right side" in page.inner_text("#bodymap-status")
    assert page.locator('.bm-region.bm-selected[data-region="outer foot"]').count() == 1
    screenshot(page, "06-body-map-click")

    # a second region from the back view, no side: just the region's name
    page.check('input[name="side"][value=""]')
    users = user_events(servers, sender)
    click_region(page, "calf")
    wait_for_bot_after(page, "calf")
    assert last_user_text(page) == "calf"
    assert "calf" in wait_for_turn(servers, sender, users, text="calf")["slots"]["pain_location"]
    assert not page.errors, page.errors


def test_keyboard_only(new_page: Any, servers: Any) -> None:
    page = new_page()
    open_page(page, servers.web_url)

    def focused() -> Dict[str, Any]:
        return page.evaluate("""() => { const e = document.activeElement;
            const cls = e.className && e.className.baseVal !== undefined
                ? e.className.baseVal : e.className;
            return {cls, tag: e.tagName, label: e.getAttribute('aria-label'),
                    text: (e.textContent || '').trim(), role: e.getAttribute('role')}; }""")

    # the first Tab stop is the skip link; Tab on until the chat launcher
    page.keyboard.press("Tab")
    assert "skip-link" in focused()["cls"]
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        now = focused()
        seen.append(now)
        if "rw-launcher" in str(now["cls"]):
            break
    else:
        raise AssertionError(f"Tab never reached the chat launcher: {seen[-5:]}")
    assert any(s["role"] == "button" and "bm-region" in str(s["cls"]) for s in seen), (
        "the body map regions are not reachable with Tab"
    )
    assert now["label"] == "Open the symptom checker chat"
    screenshot(page, "07-keyboard-launcher-focused")

    page.keyboard.press("Enter")
    page.wait_for_selector("#chat .rw-new-message")
    wait_for_bot(page, 0)
    for selector, label in (
        (".rw-new-message", "Type your message"),
        (".rw-send", "Send message"),
        (".rw-close-button", "Close chat"),
    ):
        assert page.get_attribute(f"#chat {selector}", "aria-label") == label
    replies = page.locator("#chat .rw-reply")
    assert replies.count() and all(
        r.get_attribute("role") == "button" and r.get_attribute("tabindex") == "0"
        for r in replies.all()
    )
    if "rw-new-message" not in str(focused()["cls"]):
        for _ in range(20):
            page.keyboard.press("Tab")
            if "rw-new-message" in str(focused()["cls"]):
                break
    assert "rw-new-message" in str(focused()["cls"]), focused()

    sender = session_id(page)
    users, bots = user_events(servers, sender), count(page, BOT_MESSAGES)
    page.keyboard.type("burning pain on my left shin")
    page.keyboard.press("Enter")
    wait_for_turn(servers, sender, users)
    wait_for_bot(page, bots)
    assert last_user_text(page) == "burning pain on my left shin"

    # back from the text box to the last quick reply, and choose it with Enter
    offered = quick_replies(page)
    assert offered, "the next question has no quick replies"
    page.keyboard.press("Shift+Tab")
    now = focused()
    if "rw-send" in str(now["cls"]):  # (the send button comes first when enabled)
        page.keyboard.press("Shift+Tab")
        now = focused()
    assert now["role"] == "button" and now["text"] == offered[-1], now
    screenshot(page, "08-keyboard-quick-reply-focused")
    users, bots = user_events(servers, sender), count(page, BOT_MESSAGES)
    page.keyboard.press("Enter")
    wait_for_turn(servers, sender, users)
    wait_for_bot(page, bots)
    assert last_user_text(page) == offered[-1]
    assert "rw-new-message" in str(focused()["cls"]), "the focus left the chat after a quick reply"

    # Escape closes the chat and gives the focus back to the launcher
    page.keyboard.press("Escape")
    page.wait_for_selector("#chat .rw-conversation-container", state="detached")
    page.wait_for_function("() => document.activeElement.classList.contains('rw-launcher')")
    assert not page.errors, page.errors


def test_image_messages_show_the_dermatome_picture(interview: Dict[str, Any], servers: Any) -> None:
    """An `image` message (as the assessment may send: WEB_PUBLIC_URL/maps/dermatomes.png?...)
    is shown in the widget with a text alternative."""
    page, sender = interview["page"], interview["sender"]
    open_chat(page)
    url = f"{servers.web_url}/maps/dermatomes.png?highlight=S1"
    bots = count(page, BOT_MESSAGES)
    reply = requests.post(
        f"{servers.rasa_url}/conversations/{sender}/tracker/events",
        params={"token": servers.token, "output_channel": "latest", "execute_side_effects": "true"},
        json={"event": "bot", "text": None, "data": {"image": url}},
        timeout=30,
    )
    reply.raise_for_status()
    wait_for_bot(page, bots)
    image = page.locator("#chat img.rw-image-frame").last
    assert image.get_attribute("src") == url
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.get_attribute("alt") == "Leg dermatome map with S1 highlighted"
    image.scroll_into_view_if_needed()
    screenshot(page, "11-image-message")
