"""Serves the reports from the Rasa server, as a Rasa channel (credentials.yml):

    GET /webhooks/report/<token>.pdf    the one-page PDF
    GET /webhooks/report/<token>.html   the same as a page to print
    GET /webhooks/report/<token>.png    the pain diary's trend chart (as the diary is now)

Why here and not on the demo page's web server: the report is read from the tracker store at
request time, in the process that owns it (any tracker store: SQLite, PostgreSQL; every
replica), with no HTTP API token. So a conversation the patient has erased has no report
(410), and a link is only as good as the conversation behind it. The links are minted by the
output channels of this same process when they send an assessment (report/links.py).
"""

import asyncio
import datetime as dt
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from engine.diary_log import daily, load
from knowledge import knowledge
from report.content import build_report
from report.diary_chart import diary_chart_png
from report.links import BadLink, ExpiredLink, read_token
from report.page import report_html
from report.pdf import report_pdf
from report.words import words

logger = logging.getLogger(__name__)

# A link minted while the assessment was being sent may be a little older than its event.
ISSUE_SLACK_S = 120
NO_STORE = {
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def assessment_event(events: Any, issued: float) -> Optional[BotUttered]:
    """The last assessment sent before the link was issued."""
    for event in reversed(list(events)):
        if (
            isinstance(event, BotUttered)
            and event.timestamp <= issued + ISSUE_SLACK_S
            and "assessment" in ((event.data or {}).get("custom") or {})
        ):
            return event
    return None


def _error(status: int, key: str) -> HTTPResponse:
    text = words()["errors"][key]
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{text}</title>'
        f"</head><body><main><p>{text}</p></main></body></html>"
    )
    return response.html(page, status=status, headers=NO_STORE)


def render(
    slots: Dict[str, Any], assessment: Dict[str, Any], when: float, kind: str
) -> Tuple[bytes, str]:
    report = build_report(
        slots, assessment, knowledge(), dt.datetime.fromtimestamp(when, dt.timezone.utc)
    )
    if kind == "pdf":
        return report_pdf(report), "application/pdf"
    return report_html(report).encode("utf-8"), "text/html; charset=utf-8"


async def diary_chart(request: Request, tracker: Any) -> HTTPResponse:
    """The pain diary's trend chart; gone with the diary (erased, or fewer than two days)."""
    points = daily(load(tracker.get_slot("diary_entries"))) if tracker else []
    if len(points) < 2:
        return _error(410, "gone")
    said = words()["diary"]
    loop = asyncio.get_running_loop()
    body = await loop.run_in_executor(
        None, diary_chart_png, points, said["chart_title"], said["axis"]
    )
    if request.method == "HEAD":
        body = b""
    return response.raw(body, content_type="image/png", headers=NO_STORE)


class ReportInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "report"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        reports = Blueprint("report_webhook", __name__)

        @reports.route("/<name>", methods=["GET", "HEAD"])
        async def report(request: Request, name: str) -> HTTPResponse:
            token, _, kind = name.rpartition(".")
            if kind not in ("pdf", "html", "png") or not token:
                return _error(404, "not_found")
            try:
                link = read_token(token)
            except ExpiredLink:
                return _error(410, "expired")
            except BadLink:
                return _error(404, "not_found")
            try:
                # Every session: the assessment may be in an earlier one (a new day, or a
                # long conversation: rasa_ext/session_rollover.py).
                store = request.app.ctx.agent.tracker_store
                tracker = await store.retrieve_full_tracker(link.sender)
            except Exception:  # no conversation id in the log: it identifies the patient
                logger.exception("report: could not read the tracker store")
                return _error(503, "unavailable")
            if kind == "png":  # the diary's chart, from the diary as it is now
                return await diary_chart(request, tracker)
            event = assessment_event(tracker.events, link.issued) if tracker else None
            if event is None:  # erased, expired by retention, or never assessed
                return _error(410, "gone")
            slots = tracker.travel_back_in_time(event.timestamp).current_slot_values()
            # the assessment as it was sent, the pain diary as it is now (kept after it)
            slots["diary_entries"] = tracker.get_slot("diary_entries")
            assessment = event.data["custom"]["assessment"]
            loop = asyncio.get_running_loop()
            # ReportLab and matplotlib are CPU work: off the event loop
            body, content_type = await loop.run_in_executor(
                None, render, slots, assessment, event.timestamp, kind
            )
            headers = dict(NO_STORE)
            if kind == "pdf":
                headers["Content-Disposition"] = 'inline; filename="leg-pain-summary.pdf"'
            else:  # its own styles, inline, and nothing else (the server's default is none)
                headers["Content-Security-Policy"] = PAGE_POLICY
            if request.method == "HEAD":
                return response.raw(b"", content_type=content_type, headers=headers)
            return response.raw(body, content_type=content_type, headers=headers)

        return reports
