"""A pain diary kept over simulated days through the widget, by taps and typing (issue 13).

The day of an entry is the server's today, except in the tests' settings
(tools/servers.py TEST_SETTINGS: DIARY_DATES_FROM_METADATA) where a message's metadata may
say `diary_date` (actions/diary.py). The widget never sends one: `SimulatedDays` stamps it on
the widget's outgoing socket.io frames in the test's browser (Playwright's WebSocket routing),
so the product has no way for a real client to choose a date."""

import datetime as dt
import json
import re
from typing import Any, Dict, List, Optional, Tuple

from tests.browser.helpers import BOT_MESSAGES, count, quick_replies
from tests.browser.interview import choose_reply, type_and_send

# A Socket.IO event from the page: Engine.IO "message" (4) + Socket.IO EVENT (2), an optional
# namespace and ack id, then the JSON array [event, data].
EVENT_FRAME = re.compile(r"^42(/[^,\[]*,)?(\d*)(\[.*)$", re.DOTALL)
USER_EVENT = "user_uttered"
# Rasa's socket.io channel reads the message metadata from `metadata` (its default
# metadata_key); rasa-webchat sends `customData`. Both carry the day, whichever is read.
METADATA_KEYS = ("metadata", "customData")


class SimulatedDays:
    """Test-only: adds `diary_date` to every `user_uttered` the widget sends while `day` is
    set. Routes only WebSockets opened after `install` (reload the page afterwards)."""

    def __init__(self) -> None:
        self.day: Optional[str] = None
        self.stamped: List[Tuple[str, str]] = []  # (day, message) as sent

    def install(self, page: Any) -> None:
        page.route_web_socket(re.compile(r"/socket\.io/"), self._route)

    def _route(self, ws: Any) -> None:
        server = ws.connect_to_server()  # what the server sends reaches the page unchanged
        ws.on_message(lambda message: server.send(self.stamp(message)))

    def stamp(self, frame: Any) -> Any:
        day = self.day
        match = EVENT_FRAME.match(frame) if day and isinstance(frame, str) else None
        if not day or not match:
            return frame
        packet = json.loads(match.group(3))
        if not (isinstance(packet, list) and len(packet) == 2 and packet[0] == USER_EVENT):
            return frame
        data = packet[1]
        for key in METADATA_KEYS:
            data[key] = {**(data.get(key) or {}), "diary_date": day}
        self.stamped.append((day, str(data.get("message"))))
        return f"42{match.group(1) or ''}{match.group(2)}{json.dumps(packet)}"


# One check-in a day: what the patient does for each question (the slot being asked): tap
# the button with this title if it is offered, else type the words.
Answers = Dict[str, str]
CHECK_INS: List[Tuple[int, str, Answers]] = [
    # (days before today, how the check-in starts, answers)
    (
        8,
        "tap:Log today's pain",
        {
            "diary_severity": "6",
            "diary_where": "outer foot and little toe of my left leg",
            "diary_feel": "Shooting",
            "diary_helped": "Rest",
            "diary_new": "Nothing new",
        },
    ),
    (
        4,
        "log today's pain",
        {
            "diary_severity": "4",
            "diary_where": "Same as before",
            "diary_feel": "Same as before",
            "diary_helped": "walking about helped a bit",
            "diary_new": "Nothing new",
        },
    ),
    (
        0,
        "diary",
        {  # one message answers several questions, as in the interview
            "diary_severity": "3 out of 10 today, tingling in my left little toe",
            "diary_where": "Same as before",
            "diary_feel": "Tingling",
            "diary_helped": "Walking about",
            "diary_new": "Nothing new",
        },
    ),
]
MAX_QUESTIONS = 8


def user_count(servers: Any, sender: str) -> int:
    events = servers.tracker(sender).get("events") or []
    return sum(1 for e in events if e.get("event") == "user")


def settle(
    page: Any, servers: Any, sender: str, users_before: int, timeout_ms: int = 45_000
) -> Any:
    """Once Rasa has handled the message (one more user event, back to action_listen) and
    the widget has shown all of the reply: the tracker. Waits in the browser (not
    time.sleep), so that the routed WebSocket keeps carrying frames meanwhile."""
    waited = 0
    while waited < timeout_ms:
        tracker = servers.tracker(sender)
        events = tracker.get("events") or []
        users = sum(1 for e in events if e.get("event") == "user")
        if users > users_before and events and events[-1].get("name") == "action_listen":
            return tracker
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError(f"Rasa did not answer the diary message in {timeout_ms} ms")


def act(page: Any, servers: Any, sender: str, what: str, log: List[str]) -> Dict[str, Any]:
    """Tap the quick reply titled `what` if offered (or when told `tap:`), else type it."""
    users, bots = user_count(servers, sender), count(page, BOT_MESSAGES)
    title = what[4:] if what.startswith("tap:") else what
    offered = [o for o in quick_replies(page) if o.casefold() == title.casefold()]
    if what.startswith("tap:"):
        assert offered, f"no {title!r} button to tap: {quick_replies(page)}"
    if offered:
        choose_reply(page, offered[0], touch=True)
        log.append(f"tapped {offered[0]!r}")
    else:
        type_and_send(page, what, touch=True)
        log.append(f"typed {what!r}")
    tracker = settle(page, servers, sender, users)
    # every message of the reply shown (the widget spaces them out), the buttons with them
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n"
        " && !document.querySelector('#chat #wave')",
        arg=[BOT_MESSAGES, bots + reply_messages(tracker)],
    )
    return tracker


def reply_messages(tracker: Dict[str, Any]) -> int:
    """How many messages the widget shows for the bot's reply to the last user message: one
    per text, picture and custom payload (a chart is sent as a picture, the card is one)."""
    events = tracker.get("events") or []
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    shown = 0
    for event in events[last_user + 1 :]:
        if event.get("event") == "bot":
            data = event.get("data") or {}
            shown += bool(event.get("text")) + bool(data.get("image")) + bool(data.get("custom"))
    return shown


def keep_diary(
    page: Any, servers: Any, sender: str, days: SimulatedDays, today: dt.date
) -> List[str]:
    """The three check-ins of CHECK_INS, each on its simulated day: what the patient did."""
    log: List[str] = []
    for before, start, answers in CHECK_INS:
        days.day = (today - dt.timedelta(days=before)).isoformat()
        log.append(f"-- {days.day}")
        tracker = act(page, servers, sender, start, log)
        for _ in range(MAX_QUESTIONS):
            slot = (tracker.get("slots") or {}).get("requested_slot")
            if not slot:
                break
            assert slot in answers, f"unexpected diary question {slot!r}: {log}"
            tracker = act(page, servers, sender, answers[slot], log)
        assert not (tracker.get("slots") or {}).get("requested_slot"), log
    days.day = None
    return log
