"""The report served by the real Rasa server (report/channel.py): from the conversation in the
tracker store at request time, never cached, refused when altered, expired or erased."""

import io
import re
import secrets
import time
from typing import Any, Dict

import requests
from pypdf import PdfReader

from report.links import ROUTE, TTL_SECONDS, make_token

EMERGENCY = "I suddenly can't feel anything between my legs and I can't control my bladder"


def url(servers: Any, token: str, kind: str = "pdf") -> str:
    return f"{servers.rasa_url}{ROUTE}/{token}.{kind}"


def assessed_patient(servers: Any) -> str:
    sender = f"report-{secrets.token_hex(6)}"
    servers.send(sender, EMERGENCY)
    events = servers.tracker(sender)["events"]
    assert any(
        "assessment" in ((e.get("data") or {}).get("custom") or {})
        for e in events
        if e.get("event") == "bot"
    ), "no assessment sent"
    return sender


def test_the_report_of_an_assessed_conversation(servers: Any, channel_env: Dict[str, str]) -> None:
    secret = channel_env["REPORT_SECRET"]
    sender = assessed_patient(servers)
    token = make_token(sender, secret=secret)
    reply = requests.get(url(servers, token), timeout=120)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.headers["Content-Type"] == "application/pdf"
    assert "no-store" in reply.headers["Cache-Control"]
    pdf = PdfReader(io.BytesIO(reply.content))
    assert len(pdf.pages) == 1
    text = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    assert "Numbness between the legs yes" in text or "Numbness between the legs" in text
    assert "not a diagnosis" in text
    page = requests.get(url(servers, token, "html"), timeout=60)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "no-store" in page.headers["Cache-Control"]
    assert 'data-triage="emergency"' in page.text and "<svg" in page.text
    assert sender not in page.text  # the conversation id is nowhere on the page


def test_altered_expired_and_unassessed_links_are_refused(
    servers: Any, channel_env: Dict[str, str]
) -> None:
    secret = channel_env["REPORT_SECRET"]
    sender = assessed_patient(servers)
    token = make_token(sender, secret=secret)
    altered = token[:50] + ("A" if token[50] != "A" else "B") + token[51:]
    assert requests.get(url(servers, altered), timeout=30).status_code == 404
    assert (
        requests.get(
            url(servers, make_token(sender, secret="another server")), timeout=30
        ).status_code
        == 404
    )
    assert requests.get(url(servers, token, "exe"), timeout=30).status_code == 404
    assert requests.get(f"{servers.rasa_url}{ROUTE}/", timeout=30).status_code == 404
    old = make_token(sender, now=time.time() - TTL_SECONDS - 60, secret=secret)
    expired = requests.get(url(servers, old), timeout=30)
    assert expired.status_code == 410 and "expired" in expired.text
    assert "no-store" in expired.headers["Cache-Control"]
    never = make_token(f"nobody-{secrets.token_hex(4)}", secret=secret)
    assert requests.get(url(servers, never), timeout=30).status_code == 410


def test_erasing_the_conversation_ends_its_report(
    servers: Any, channel_env: Dict[str, str]
) -> None:
    secret = channel_env["REPORT_SECRET"]
    sender = assessed_patient(servers)
    token = make_token(sender, secret=secret)
    assert requests.get(url(servers, token, "html"), timeout=60).status_code == 200
    servers.send(sender, "please delete my data")
    servers.send(sender, "yes")
    assert not [e for e in servers.tracker(sender)["events"] if e.get("event") == "user"], (
        "the conversation was not erased (privacy: 'delete my data')"
    )
    for kind in ("pdf", "html"):
        assert requests.get(url(servers, token, kind), timeout=30).status_code == 410
