"""The pain diary's trend chart: the worst pain of each day, as a PNG (matplotlib, no
display), for the widget, Telegram and the report."""

import datetime as dt
import io
from typing import Sequence, Tuple

LINE = "#0b5e6b"  # the widget's primary colour


def diary_chart_png(points: Sequence[Tuple[dt.date, float]], title: str, y_label: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.2), dpi=120)
    axes = figure.add_subplot()
    days = [day for day, _ in points]
    scores = [score for _, score in points]
    axes.plot(days, scores, marker="o", color=LINE, linewidth=2)
    axes.set_ylim(0, 10)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(y_label)
    axes.set_title(title, fontsize=12)
    axes.grid(True, alpha=0.3)
    axes.set_xticks(days)  # one tick per diary day, not matplotlib's hours in between
    axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
