"""One patient's interview through the widget, by clicks or by taps (phones): the answers a
simple S1 sciatica patient gives, by the slot being asked."""

from typing import Any, Callable, Dict, List, Optional

from tests.browser.helpers import (
    BOT_MESSAGES,
    count,
    quick_replies,
    requested_slot,
    user_events,
    wait_for_bot,
    wait_for_turn,
)

FIRST_MESSAGE = (
    "shooting pain from my buttock down the back of my left leg to the outer foot and little toe"
)
# By the slot being asked: quick replies to choose if offered, else what to type.
ANSWERS = {
    "pain_location": ([], "outer foot and little toe"),
    "pain_side": (["left"], "left"),
    "pain_quality": (["shooting"], "shooting"),
    "pain_duration_days": ([], "about two weeks"),
    "pain_triggers": ([], "sitting and coughing"),
    "pain_relievers": (["lying down"], "lying down"),
    "pain_severity": (["6"], "6"),
    "back_pain": (["yes"], "yes"),
    "age": ([], "45"),
    "rash": (["no"], "no"),
    "chickenpox_history": (["no"], "no"),
    "diabetes_history": (["no"], "no"),
}
NONE_OF_THESE = (["No, none of these", "None of these", "no"], "no")
MAX_QUESTIONS = 30
CARD = "#chat .lp-card"


def type_and_send(page: Any, text: str, touch: bool) -> None:
    """Type into the widget's text box and send: Enter on a keyboard, the send button on a
    touch screen (as a phone user does)."""
    box = page.locator("#chat .rw-new-message")
    if touch:
        box.tap()
        box.fill(text)
        page.locator("#chat .rw-send").tap()
    else:
        box.click()
        box.fill(text)
        box.press("Enter")


def choose_reply(page: Any, title: str, touch: bool) -> None:
    reply = page.locator("#chat .rw-replies").last.locator(".rw-reply", has_text=title).first
    if touch:
        reply.tap()
    else:
        reply.click()


def answer(
    page: Any, servers: Any, sender: str, slot: str, log: List[Dict[str, str]], touch: bool = False
) -> None:
    buttons, typed = ANSWERS.get(slot, NONE_OF_THESE)
    offered = quick_replies(page)
    choice = next((o for b in buttons for o in offered if o.casefold() == b.casefold()), None)
    users, bots = user_events(servers, sender), count(page, BOT_MESSAGES)
    if choice:
        choose_reply(page, choice, touch)
        log.append({"slot": slot, "clicked": choice})
    else:
        type_and_send(page, typed, touch)
        log.append({"slot": slot, "typed": typed})
    wait_for_turn(servers, sender, users)
    wait_for_bot(page, bots)


def interview(
    page: Any,
    servers: Any,
    sender: str,
    touch: bool = False,
    on_question: Optional[Callable[[str], None]] = None,
) -> List[Dict[str, str]]:
    """From the first description to the assessment card; `on_question(slot)` is called
    before each answer (screenshots, accessibility checks)."""
    log: List[Dict[str, str]] = []
    users, bots = user_events(servers, sender), count(page, BOT_MESSAGES)
    type_and_send(page, FIRST_MESSAGE, touch)
    log.append({"slot": "-", "typed": FIRST_MESSAGE})
    wait_for_turn(servers, sender, users)
    wait_for_bot(page, bots)
    for _ in range(MAX_QUESTIONS):
        if page.locator(CARD).count():
            return log
        slot = requested_slot(servers, sender)
        assert slot, f"the bot neither asked a question nor sent the assessment card: {log}"
        if on_question:
            on_question(slot)
        answer(page, servers, sender, slot, log, touch)
    assert page.locator(CARD).count(), f"no assessment card after {log}"
    return log
