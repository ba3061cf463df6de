"""The report as a one-page A4 PDF, laid out with ReportLab's platypus."""

import io
from typing import List, Tuple
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    Image,
    KeepInFrame,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from report.content import Report
from report.diary_chart import diary_chart_png
from report.maps import map_png
from report.words import words

# The widget's triage colours (web/public/widget/legpain-chat.css), all 4.5:1 with white.
TRIAGE_COLOURS = {
    "emergency": "#b00020",
    "urgent": "#b34700",
    "see_doctor": "#1f5fad",
    "self_care": "#1e7b34",
}
MARGIN = 14 * mm
BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=11.5, alignment=TA_LEFT)
SMALL = ParagraphStyle("small", parent=BASE, fontSize=8, leading=10, textColor="#4a4a4a")
TITLE = ParagraphStyle("title", parent=BASE, fontName="Helvetica-Bold", fontSize=16, leading=20)
HEADING = ParagraphStyle(
    "heading",
    parent=BASE,
    fontName="Helvetica-Bold",
    fontSize=10.5,
    leading=13,
    spaceBefore=5,
    spaceAfter=2,
    textColor="#0a3f48",
)
BANNER = ParagraphStyle(
    "banner",
    parent=BASE,
    fontName="Helvetica-Bold",
    fontSize=11,
    leading=14,
    textColor=colors.white,
)
NOTICE = ParagraphStyle(
    "notice",
    parent=BASE,
    backColor="#fff6db",
    borderColor="#8a5a00",
    borderWidth=0.8,
    borderPadding=5,
    spaceBefore=8,
)


def _p(text: str, style: ParagraphStyle = BASE) -> Paragraph:
    return Paragraph(escape(text), style)


def _rows(rows: List[Tuple[str, str]], width: float) -> Table:
    table = Table(
        [[_p(label, SMALL), _p(value)] for label, value in rows],
        colWidths=[width * 0.45, width * 0.55],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d7de")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _banner(report: Report, width: float) -> Table:
    colour = colors.HexColor(TRIAGE_COLOURS.get(report.triage, "#1f5fad"))
    table = Table([[_p(report.headline, BANNER)]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colour),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _causes(report: Report) -> ListFlowable:
    items = []
    for cause in report.causes:
        text = f"<b>{escape(cause.name)}</b>"
        if cause.why:
            text += "<br/>" + escape("; ".join(cause.why))
        items.append(ListItem(Paragraph(text, BASE), leftIndent=12))
    return ListFlowable(items, bulletType="1", bulletFontSize=9, leftIndent=12)


def _map(report: Report, width: float) -> Flowable:
    png = map_png(report.dermatomes)
    reader = ImageReader(io.BytesIO(png))
    pixels_wide, pixels_high = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * pixels_high / pixels_wide)


def _diary(report: Report, width: float) -> List[Flowable]:
    if not report.diary:
        return []
    said = words()["diary"]
    flowables: List[Flowable] = [_p(report.headings["diary"], HEADING)]
    flowables += [_p(line) for line in report.diary.summary]
    if len(report.diary.points) >= 2:
        png = diary_chart_png(report.diary.points, said["chart_title"], said["axis"])
        pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
        flowables.append(
            Image(io.BytesIO(png), width=width, height=width * pixels_high / pixels_wide)
        )
    return flowables


def report_pdf(report: Report) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author="Leg pain symptom checker",
        subject=report.made_on,
    )
    width = A4[0] - 2 * MARGIN
    half = (width - 6 * mm) / 2
    left = [
        _p(report.headings["reported"], HEADING),
        _rows(report.reported, half),
        _p(report.headings["warning_signs"], HEADING),
        _rows(report.warning_signs, half),
    ]
    right = [
        _p(report.headings["causes"], HEADING),
        _causes(report),
        _p(report.headings["map"], HEADING),
        _map(report, half),
        _p(report.map_caption, SMALL),
        *_diary(report, half),
    ]
    columns = Table([[left, right]], colWidths=[half + 3 * mm, half + 3 * mm])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm),
            ]
        )
    )
    urgency = [
        _p(report.headings["urgency"], HEADING),
        _banner(report, width),
        Spacer(1, 3),
        _p(report.see_doctor),
    ]
    if report.urgency_why:
        urgency.append(_p(report.urgency_why, SMALL))
    story = [
        _p(report.title, TITLE),
        _p(report.made_on, SMALL),
        Spacer(1, 4),
        *urgency,
        columns,
        Paragraph(f"<b>{escape(report.notice)}</b>", NOTICE),
    ]
    # one page, always: a long report is scaled down rather than spilling onto a second page
    doc.build([KeepInFrame(width, A4[1] - 2 * MARGIN, story, mode="shrink")])
    return out.getvalue()
