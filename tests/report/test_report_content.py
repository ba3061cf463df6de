"""The report's pieces without a server: links (signed, expiring, opaque), its content from the
slots and the assessment, the one-page PDF and the page to print."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from knowledge import knowledge
from report.content import build_report
from report.links import TTL_SECONDS, BadLink, ExpiredLink, make_token, read_token, report_links
from report.page import report_html
from report.pdf import report_pdf

SENDER = "whatsapp:+447700900123"
SLOTS = {
    "pain_location": ["outer foot", "little toe"],
    "pain_side": "left",
    "pain_quality": ["shooting"],
    "pain_triggers": ["sitting", "coughing"],
    "pain_duration_days": 14,
    "pain_severity": 6,
    "back_pain": True,
    "age": 45,
    "rash": False,
    "fever": False,
    "saddle_numbness": False,
}
WHEN = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.timezone.utc)


def test_links_are_opaque_signed_and_expire() -> None:
    token = make_token(SENDER, now=1_000_000, secret="s1")
    assert "447700900123" not in token and "whatsapp" not in token
    assert read_token(token, now=1_000_000 + TTL_SECONDS - 1, secret="s1").sender == SENDER
    with pytest.raises(ExpiredLink):
        read_token(token, now=1_000_000 + TTL_SECONDS + 1, secret="s1")
    with pytest.raises(BadLink):  # another server's key
        read_token(token, now=1_000_000, secret="s2")
    with pytest.raises(BadLink):  # one character changed
        changed = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
        read_token(changed, now=1_000_000, secret="s1")
    for junk in ("", "x", "../../etc/passwd", "é" * 10):
        with pytest.raises(BadLink):
            read_token(junk, secret="s1")
    # two links for the same conversation differ (random IV): nothing to guess from one
    assert make_token(SENDER, now=1, secret="s1") != make_token(SENDER, now=1, secret="s1")


def test_report_links_point_at_the_report_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://chat.example.org/")
    monkeypatch.setenv("REPORT_SECRET", "k")
    links = report_links(SENDER, now=0)
    assert links["pdf"].startswith("https://chat.example.org/webhooks/report/")
    assert links["pdf"].endswith(".pdf") and links["html"].endswith(".html")
    assert links["expires"] == "1970-01-02T00:00:00Z"
    token = links["pdf"].rsplit("/", 1)[1][:-4]
    assert read_token(token, now=10).sender == SENDER


def test_report_says_what_was_reported_asked_and_decided() -> None:
    kb = knowledge()
    report = build_report(SLOTS, None, kb, WHEN)
    reported = dict(report.reported)
    assert reported["Where"] == "outer foot, little toe" and reported["Side"] == "left"
    assert reported["How long"] == "about 2 weeks" and reported["Worst pain (0 to 10)"] == "6"
    signs = dict(report.warning_signs)
    assert signs[kb.red_flags.flags["fever"].label] == "no"
    assert signs[kb.red_flags.flags["saddle_numbness"].label] == "no"
    assert signs[kb.red_flags.flags["foot_drop"].label] == "not asked"
    assert len(signs) == len(kb.red_flags.flags)
    assert report.dermatomes == ["S1"] and "S1" in report.map_caption
    # the most likely cause, and the others only where a finding of their own fits
    assert report.causes and all(c.name for c in report.causes)
    assert report.causes[0].why
    assert report.notice == kb.care.not_a_diagnosis
    assert "3 December 2026" in report.made_on
    assert report.urgency_why


def test_a_warning_sign_said_yes_comes_first_and_sets_the_urgency() -> None:
    kb = knowledge()
    report = build_report({**SLOTS, "saddle_numbness": True}, None, kb, WHEN)
    assert report.triage == "emergency"
    assert report.warning_signs[0] == (kb.red_flags.flags["saddle_numbness"].label, "yes")


def test_the_pdf_is_one_page_with_everything_on_it() -> None:
    kb = knowledge()
    report = build_report(SLOTS, None, kb, WHEN)
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for expected in (
        report.title,
        report.headline.split(".")[0],
        "What I reported",
        "outer foot, little toe",
        kb.red_flags.flags["fever"].label,
        report.causes[0].name.split(" ")[0],
        "Highlighted: S1",
        "This is not a diagnosis",
        "3 December 2026",
    ):
        assert expected in text, expected
    assert reader.pages[0].images, "no dermatome map in the PDF"


def test_the_page_to_print_has_the_same_content_and_no_outside_requests() -> None:
    report = build_report(SLOTS, None, knowledge(), WHEN)
    page = report_html(report)
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    for expected in (
        report.title,
        "outer foot, little toe",
        report.causes[0].name,
        "<svg",
        "@media print",
        report.notice,
    ):
        assert expected in page, expected
    assert "<script" not in page and not re.search(r"(src|href)=\"https?://", page)


def test_a_pain_diary_adds_its_trend_and_chart() -> None:
    from engine.diary_log import Entry

    days = [
        (dt.date(2026, 12, 1), 6, ()),
        (dt.date(2026, 12, 2), 5, ("walking",)),
        (dt.date(2026, 12, 3), 3, ("walking",)),
    ]
    slots = {**SLOTS, "diary_entries": [Entry(d, s, helped=h).to_json() for d, s, h in days]}
    report = build_report(slots, None, knowledge(), WHEN)
    assert report.diary and [s for _, s in report.diary.points] == [6, 5, 3]
    said = " ".join(report.diary.summary)
    assert "3 days" in said and "better" in said.lower() and "walking" in said
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 2  # map and chart
    assert "Pain diary" in reader.pages[0].extract_text()
    assert 'alt="Worst pain each day' in report_html(report)
    assert build_report(SLOTS, None, knowledge(), WHEN).diary is None
