"""The report as a print-friendly HTML page (one A4 page when printed; no scripts, no
requests to anywhere: the map is drawn inline)."""

import base64
from html import escape
from typing import List, Tuple

from report.content import Report
from report.diary_chart import diary_chart_png
from report.maps import map_svg
from report.pdf import TRIAGE_COLOURS
from report.words import words

STYLE = """
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem;color:#1d1d1d;
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
h1{font-size:1.6rem;margin:0 0 .2rem;color:#0a3f48}
h2{font-size:1.1rem;margin:1rem 0 .3rem;color:#0a3f48}
.made{color:#4a4a4a;margin:0 0 .6rem}
.banner{color:#fff;font-weight:700;padding:.5rem .8rem;border-radius:6px;margin:.2rem 0 .4rem}
.why{color:#4a4a4a}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.2rem .3rem;border-bottom:1px solid #d0d7de}
th{font-weight:400;color:#4a4a4a;width:45%}
ol{padding-left:1.4rem;margin:.2rem 0}li{margin:.2rem 0}
.map svg{width:100%;height:auto;display:block}
.caption{color:#4a4a4a;font-size:.9rem}
.notice{background:#fff6db;border-left:4px solid #8a5a00;padding:.5rem .8rem;margin-top:1rem;
font-weight:700}
@media (max-width:700px){.columns{grid-template-columns:1fr}}
@media print{@page{size:A4;margin:12mm}body{font-size:10pt;max-width:none;padding:0}
.columns{grid-template-columns:1fr 1fr}h2{font-size:11pt;margin-top:.5rem}
th,td{padding:1px 3px}.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.notice{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _table(rows: List[Tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in rows
    )
    return f"<table>{body}</table>"


def _diary(report: Report) -> str:
    if not report.diary:
        return ""
    said = words()["diary"]
    body = "".join(f"<p>{escape(line)}</p>" for line in report.diary.summary)
    if len(report.diary.points) >= 2:
        png = diary_chart_png(report.diary.points, said["chart_title"], said["axis"])
        source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        body += (
            f'<img src="{source}" alt="{escape(said["chart_title"])}: '
            f'{escape(" ".join(report.diary.summary))}" style="width:100%;height:auto">'
        )
    return (
        f'<section aria-labelledby="diary"><h2 id="diary">{escape(report.headings["diary"])}'
        f"</h2>{body}</section>"
    )


def report_html(report: Report) -> str:
    h = report.headings
    colour = TRIAGE_COLOURS.get(report.triage, "#1f5fad")
    causes = "".join(
        f"<li><strong>{escape(c.name)}</strong>"
        + (f'<br><span class="why">{escape("; ".join(c.why))}</span>' if c.why else "")
        + "</li>"
        for c in report.causes
    )
    why = f'<p class="why">{escape(report.urgency_why)}</p>' if report.urgency_why else ""

    def section(key: str, heading: str, body: str) -> str:
        return (
            f'<section aria-labelledby="{key}"><h2 id="{key}">{escape(heading)}</h2>'
            f"{body}</section>"
        )

    urgency = (
        f'<p class="banner" style="background:{colour}" '
        f'data-triage="{escape(report.triage)}">{escape(report.headline)}</p>'
        f"<p>{escape(report.see_doctor)}</p>{why}"
    )
    figure = (
        f'<figure class="map" style="margin:0">{map_svg(report.dermatomes)}'
        f'<figcaption class="caption">{escape(report.map_caption)}</figcaption></figure>'
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{escape(report.title)}</title><style>{STYLE}</style></head>
<body><main>
<h1>{escape(report.title)}</h1>
<p class="made">{escape(report.made_on)}</p>
{section("urgency", h["urgency"], urgency)}
<div class="columns">
<div>
{section("reported", h["reported"], _table(report.reported))}
{section("signs", h["warning_signs"], _table(report.warning_signs))}
</div>
<div>
{section("causes", h["causes"], f"<ol>{causes}</ol>")}
{section("map", h["map"], figure)}
{_diary(report)}
</div>
</div>
<p class="notice" role="note">{escape(report.notice)}</p>
</main></body></html>
"""
