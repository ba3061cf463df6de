"""Helpers for the browser tests: the widget's DOM, the tracker, colours."""

import os
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"  # Debian's, never a download
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


BOT_MESSAGES = "#chat .rw-from-response .rw-message"
USER_MESSAGES = "#chat .rw-from-client .rw-message"


SILENT_BOT = (
    "no bot message reached the widget over socket.io. If Rasa's log shows "
    "\"coroutine 'AsyncServer.enter_room' was never awaited\", the socket.io channel "
    "in credentials.yml is Rasa's built-in one, which with session_persistence never "
    "joins the session's room under python-socketio >= 5.10 (RasaHQ/rasa#13027); use "
    "the project's fixed channel class instead."
)


def open_page(page: Any, web_url: str) -> None:
    page.goto(web_url + "/")
    # (attached: on a phone a chat that was open before a reload is open again, full screen,
    # and its launcher is hidden)
    page.wait_for_selector("#chat .rw-launcher", state="attached")
    page.wait_for_function("() => document.querySelector('#chat').dataset.connected === 'true'")


def open_chat(page: Any) -> None:
    if not page.locator("#chat .rw-conversation-container").count():
        page.click("#chat .rw-launcher")
    page.wait_for_selector("#chat .rw-new-message")


def count(page: Any, selector: str) -> int:
    return page.locator(selector).count()


def wait_for_bot(page: Any, before: int, quiet_ms: int = 700, timeout_s: float = 60) -> None:
    """Wait until more than `before` bot messages are shown and the bot has gone quiet
    (no typing indicator, no new message for `quiet_ms`)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.time() + timeout_s
    try:
        page.wait_for_function(
            f"n => document.querySelectorAll({BOT_MESSAGES!r}).length > n",
            arg=before,
            timeout=timeout_s * 1000,
        )
    except PlaywrightTimeout:
        raise AssertionError(SILENT_BOT) from None
    last, since = -1, time.time()
    while time.time() < deadline:
        now = count(page, BOT_MESSAGES)
        typing = count(page, "#chat #wave") > 0
        if now != last or typing:
            last, since = now, time.time()
        elif (time.time() - since) * 1000 >= quiet_ms:
            return
        time.sleep(0.1)
    raise AssertionError("the bot did not finish replying in time")


def wait_for_bot_after(page: Any, user_text: str, timeout_s: float = 60) -> None:
    """Wait until the bot has answered the patient's message `user_text` in the widget."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        _wait_for_reply_to(page, user_text, timeout_s)
    except PlaywrightTimeout:
        raise AssertionError(SILENT_BOT) from None


def _wait_for_reply_to(page: Any, user_text: str, timeout_s: float) -> None:
    page.wait_for_function(
        """text => {
        const groups = [...document.querySelectorAll('#chat .rw-group-message')];
        const mine = groups.map((g, i) => [g, i]).filter(([g]) =>
            g.classList.contains('rw-from-client') && g.textContent.includes(text));
        if (!mine.length) return false;
        const after = mine[mine.length - 1][1];
        return groups.slice(after + 1).some(g => g.classList.contains('rw-from-response'))
            && !document.querySelector('#chat #wave');
    }""",
        arg=user_text,
        timeout=timeout_s * 1000,
    )


def session_id(page: Any) -> str:
    sender = page.evaluate("() => window.LegPainChat.sessionId()")
    assert sender, "the widget has no session id in localStorage"
    return sender


def quick_replies(page: Any) -> List[str]:
    """Titles of the quick replies under the bot's last message."""
    return page.evaluate("""() => {
        const groups = document.querySelectorAll('#chat .rw-replies');
        const last = groups[groups.length - 1];
        return last ? [...last.querySelectorAll('.rw-reply')].map(e => e.textContent.trim()) : [];
    }""")


def type_message(page: Any, text: str) -> None:
    box = page.locator("#chat .rw-new-message")
    box.click()
    box.fill(text)
    box.press("Enter")


def click_reply(page: Any, title: str) -> None:
    page.locator("#chat .rw-replies").last.locator(".rw-reply", has_text=title).first.click()


def last_user_text(page: Any) -> str:
    texts = page.locator(USER_MESSAGES).all_inner_texts()
    return texts[-1].strip() if texts else ""


def requested_slot(servers: Any, sender: str) -> Optional[str]:
    return servers.slots(sender).get("requested_slot")


def user_events(servers: Any, sender: str) -> int:
    return sum(1 for e in servers.tracker(sender).get("events") or [] if e.get("event") == "user")


def wait_for_turn(
    servers: Any, sender: str, users_before: int, text: Optional[str] = None, timeout_s: float = 45
) -> Dict[str, Any]:
    """The tracker once Rasa has handled one more user message than `users_before` (and, if
    given, that message was `text`): its last event is action_listen again."""
    deadline = time.time() + timeout_s
    tracker: Dict[str, Any] = {}
    while time.time() < deadline:
        tracker = servers.tracker(sender)
        events = tracker.get("events") or []
        users = sum(1 for e in events if e.get("event") == "user")
        latest = (tracker.get("latest_message") or {}).get("text")
        if (
            users > users_before
            and events
            and events[-1].get("name") == "action_listen"
            and (text is None or latest == text)
        ):
            return tracker
        time.sleep(0.3)
    raise AssertionError(
        f"Rasa did not answer the patient's message in {timeout_s}s "
        f"(latest: {(tracker.get('latest_message') or {}).get('text')!r})"
    )


def last_assessment(tracker: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The custom assessment payload of the last bot event that carries one."""
    for event in reversed(tracker.get("events") or []):
        if event.get("event") != "bot":
            continue
        custom = (event.get("data") or {}).get("custom") or {}
        if "assessment" in custom:
            return custom["assessment"]
    return None


# The region picker on the demo page: a point inside a region that really receives the click.
REGION_POINT_JS = """(region) => {
  const groups = [...document.querySelectorAll('.bm-region')]
    .filter(g => g.dataset.region === region);
  for (const g of groups) for (const poly of g.querySelectorAll('polygon')) {
    const r = poly.getBoundingClientRect();
    for (let fy = 0.5; fy < 0.96; fy += 0.075) for (const sy of [1, -1])
      for (let fx = 0.5; fx < 0.96; fx += 0.075) for (const sx of [1, -1]) {
        const x = r.left + r.width * (sx > 0 ? fx : 1 - fx);
        const y = r.top + r.height * (sy > 0 ? fy : 1 - fy);
        const hit = document.elementFromPoint(x, y);
        if (hit && g.contains(hit)) return {x, y};
      }
  }
  return null;
}"""


def click_region(page: Any, region: str) -> None:
    page.locator(f'.bm-region[data-region="{region}"]').first.scroll_into_view_if_needed()
    point = page.evaluate(REGION_POINT_JS, region)
    assert point, f"no clickable point for body-map region {region!r}"
    page.mouse.click(point["x"], point["y"])


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two CSS colours given as 'rgb(r, g, b)' or '#rrggbb'."""

    def channels(colour: str) -> List[float]:
        colour = colour.strip()
        if colour.startswith("#"):
            return [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        inside = colour[colour.index("(") + 1 : colour.index(")")]
        return [float(part) / 255 for part in inside.replace("/", ",").split(",")[:3]]

    def luminance(colour: str) -> float:
        r, g, b = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels(colour)
        ]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- phones and axe-core ----------------------------------------------------------------------

PHONE_VIEWPORT = {"width": 390, "height": 844}
PHONE_CONTEXT = {
    "viewport": PHONE_VIEWPORT,
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
# axe-core from the npm registry, pinned by web/package-lock.json (make web-assets); run by the
# tests in the page, never served to patients.
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> List[Dict[str, Any]]:
    """axe-core's violations (every impact, every WCAG and best-practice rule it runs by
    default) on the page as it is now: [{id, impact, help, targets}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # (script-src 'self') does not apply to, unlike an injected <script> tag
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    return page.evaluate("""async () => {
        const result = await window.axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' '))}));
    }""")
