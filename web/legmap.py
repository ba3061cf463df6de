"""Draw the project's leg pictures from the polygon data in maps/legmap.json.

- the dermatome map (front, back and soles; L1-S2 bands labelled), as SVG or as PNG
  (PNG for chat apps that cannot show SVG, such as Telegram), with chosen roots
  highlighted: strongly filled, the others pale;
- the clickable body map for the demo page (regions named as in
  knowledge/data/regions.yml).

Everything is drawn from the same data, so the SVG and the PNG always agree.
"""

import functools
import io
import json
from html import escape
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from knowledge.contract import ROOTS

DATA = Path(__file__).resolve().parent / "maps" / "legmap.json"
OUTLINE_FILL = "#f4eee8"
OUTLINE_STROKE = "#5b4636"
TEXT = "#1d1d1d"
MUTED_TEXT = "#4a4a4a"
FOOTNOTE = "Approximate map: dermatomes vary from person to person and overlap at their edges."

Point = Tuple[float, float]


@functools.lru_cache(maxsize=1)
def data() -> Dict:
    return json.loads(DATA.read_text())


def parse_highlight(raw: Optional[str]) -> List[str]:
    """'l5, S1,foo' -> ['L5', 'S1'] (known roots only, in L1..S2 order)."""
    wanted = {part.strip().upper() for part in (raw or "").replace(" ", ",").split(",")}
    return [root for root in ROOTS if root in wanted]


def _legs(view: Dict, offset: Point) -> List[Tuple[int, Callable[[Sequence[float]], Point]]]:
    """One coordinate transform per leg: the drawn leg, and its mirror image."""
    ox, oy = offset
    width = view["width"]

    def left(p: Sequence[float]) -> Point:
        return (ox + p[0], oy + p[1])

    def right(p: Sequence[float]) -> Point:
        return (ox + width - p[0], oy + p[1])

    return [(0, left), (1, right)]


def _points(points: Iterable[Sequence[float]], place) -> List[Point]:
    return [place(p) for p in points]


def _fmt(points: List[Point]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def _root_colours(root: str, highlighted: bool) -> Tuple[str, str]:
    colours = data()["roots"][root]
    if highlighted:
        return colours["strong"], colours["text_strong"]
    return colours["pale"], TEXT


def _label_ink(root: str, highlighted: bool, outside: bool) -> str:
    """Text colour of a root's label: on its band, or beside the leg on white."""
    if outside:
        return data()["roots"][root]["strong"] if highlighted else TEXT
    return _root_colours(root, highlighted)[1]


def _title(highlight: List[str]) -> str:
    if highlight:
        return f"Leg dermatome map - highlighted: {', '.join(highlight)}"
    return "Leg dermatome map (L1 to S2)"


# ---------------------------------------------------------------- dermatome map, SVG


def dermatome_svg(highlight: Sequence[str] = ()) -> str:
    highlight = [r for r in ROOTS if r in set(highlight)]
    spec = data()
    layout = spec["layout"]
    width, height = layout["width"], layout["height"]
    title = _title(highlight)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="dm-title dm-desc" '
        f'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
        f'<title id="dm-title">{escape(title)}</title>',
        '<desc id="dm-desc">Front, back and soles of both legs divided into the skin areas '
        "supplied by the spinal nerve roots L1, L2, L3, L4, L5, S1 and S2. "
        f"{escape(FOOTNOTE)}</desc>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:g}" y="24" text-anchor="middle" font-size="17" '
        f'font-weight="bold" fill="{TEXT}">{escape(title)}</text>',
        "<defs>",
    ]
    body: List[str] = []
    for name, view in spec["views"].items():
        offset = layout["views"][name]
        for leg, place in _legs(view, offset):
            clip = f"clip-{name}-{leg}"
            outline = _fmt(_points(view["outline"], place))
            out.append(f'<clipPath id="{clip}"><polygon points="{outline}"/></clipPath>')
            body.append(f'<polygon points="{outline}" fill="{OUTLINE_FILL}"/>')
            body.append(f'<g clip-path="url(#{clip})" stroke="#ffffff" stroke-width="1.2">')
            for root in ROOTS:
                fill, _ = _root_colours(root, root in highlight)
                for poly in view["dermatomes"].get(root, []):
                    points = _fmt(_points(poly, place))
                    body.append(f'<polygon data-root="{root}" points="{points}" fill="{fill}"/>')
            body.append("</g>")
            body.append(
                f'<polygon points="{outline}" fill="none" stroke="{OUTLINE_STROKE}" '
                'stroke-width="1.5" stroke-linejoin="round"/>'
            )
            for line in view.get("details", []):
                body.append(
                    f'<polyline points="{_fmt(_points(line, place))}" fill="none" '
                    f'stroke="{OUTLINE_STROKE}" stroke-width="0.8" opacity="0.6"/>'
                )
            for root, label in view["labels"].items():
                lx, ly = place(label[:2])
                ink = _label_ink(root, root in highlight, outside=len(label) > 2)
                weight = "bold" if root in highlight else "normal"
                body.append(
                    f'<text x="{lx:g}" y="{ly + 4:g}" text-anchor="middle" font-size="11" '
                    f'font-weight="{weight}" fill="{ink}">{root}</text>'
                )
            leg_name = view["leg_names"][leg]
            cx, _ = place((view["width"] / 4 + 10, 0))
            body.append(
                f'<text x="{cx:g}" y="{offset[1] + view["height"] + 16:g}" '
                f'text-anchor="middle" font-size="11" fill="{MUTED_TEXT}">'
                f"{leg_name.capitalize()}</text>"
            )
        ox, oy = offset
        body.append(
            f'<text x="{ox + view["width"] / 2:g}" y="{oy - 2:g}" text-anchor="middle" '
            f'font-size="13" font-weight="bold" fill="{TEXT}">'
            f"{escape(view['title'])}</text>"
        )
    out.append("</defs>")
    out += body
    out += _legend_svg(highlight, width, height)
    out.append("</svg>")
    return "\n".join(out)


def _legend_svg(highlight: List[str], width: int, height: int) -> List[str]:
    parts = []
    x0, y0, step = 515, 300, 28
    parts.append(
        f'<text x="{x0}" y="{y0 - 10}" font-size="12" font-weight="bold" '
        f'fill="{TEXT}">Nerve roots</text>'
    )
    for index, root in enumerate(ROOTS):
        y = y0 + index * step
        fill, ink = _root_colours(root, root in highlight)
        parts.append(
            f'<rect x="{x0}" y="{y}" width="34" height="20" rx="3" fill="{fill}" '
            f'stroke="{OUTLINE_STROKE}" stroke-width="0.6"/>'
        )
        weight = "bold" if root in highlight else "normal"
        parts.append(
            f'<text x="{x0 + 17}" y="{y + 14}" text-anchor="middle" font-size="11" '
            f'font-weight="{weight}" fill="{ink}">{root}</text>'
        )
        if root in highlight:
            parts.append(
                f'<text x="{x0 + 42}" y="{y + 14}" font-size="11" fill="{TEXT}">highlighted</text>'
            )
    parts.append(
        f'<text x="{width / 2:g}" y="{height - 8}" text-anchor="middle" font-size="11" '
        f'fill="{MUTED_TEXT}">{escape(FOOTNOTE)}</text>'
    )
    return parts


# ---------------------------------------------------------------- dermatome map, PNG


def dermatome_png(highlight: Sequence[str] = (), scale: float = 1.5) -> bytes:
    """The same picture as dermatome_svg, drawn with matplotlib (no browser, no cairo)."""
    return _png_cached(tuple(r for r in ROOTS if r in set(highlight)), scale)


@functools.lru_cache(maxsize=64)
def _png_cached(highlight: Tuple[str, ...], scale: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon, Rectangle

    spec = data()
    layout = spec["layout"]
    width, height = layout["width"], layout["height"]
    dpi = 100 * scale
    fig = Figure(figsize=(width / 100, height / 100), dpi=dpi)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    fig.patch.set_facecolor("#ffffff")
    pt = 72 / 100  # SVG user units (1 px at 100 dpi) -> points

    def text(x, y, s, size, colour=TEXT, bold=False, anchor="center", valign="center"):
        ax.text(
            x,
            y,
            s,
            fontsize=size * pt,
            color=colour,
            ha=anchor,
            va=valign,
            fontweight="bold" if bold else "normal",
            family="DejaVu Sans",
        )

    text(width / 2, 18, _title(list(highlight)), 17, bold=True)
    for name, view in spec["views"].items():
        offset = layout["views"][name]
        for leg, place in _legs(view, offset):
            outline = _points(view["outline"], place)
            ax.add_patch(Polygon(outline, closed=True, facecolor=OUTLINE_FILL, edgecolor="none"))
            clip = Polygon(
                outline, closed=True, facecolor="none", edgecolor="none", transform=ax.transData
            )
            for root in ROOTS:
                fill, _ = _root_colours(root, root in highlight)
                for poly in view["dermatomes"].get(root, []):
                    patch = Polygon(
                        _points(poly, place),
                        closed=True,
                        facecolor=fill,
                        edgecolor="#ffffff",
                        linewidth=1.2 * pt,
                    )
                    ax.add_patch(patch)
                    patch.set_clip_path(clip)
            ax.add_patch(
                Polygon(
                    outline,
                    closed=True,
                    facecolor="none",
                    edgecolor=OUTLINE_STROKE,
                    linewidth=1.5 * pt,
                    joinstyle="round",
                )
            )
            for line in view.get("details", []):
                xs, ys = zip(*_points(line, place), strict=True)
                ax.plot(xs, ys, color=OUTLINE_STROKE, linewidth=0.8 * pt, alpha=0.6)
            for root, label in view["labels"].items():
                lx, ly = place(label[:2])
                ink = _label_ink(root, root in highlight, outside=len(label) > 2)
                text(lx, ly, root, 11, ink, bold=root in highlight)
            cx, _ = place((view["width"] / 4 + 10, 0))
            text(
                cx,
                offset[1] + view["height"] + 12,
                view["leg_names"][leg].capitalize(),
                11,
                MUTED_TEXT,
            )
        ox, oy = offset
        text(ox + view["width"] / 2, oy - 6, view["title"], 13, bold=True)
    x0, y0, step = 515, 300, 28
    text(x0, y0 - 14, "Nerve roots", 12, bold=True, anchor="left")
    for index, root in enumerate(ROOTS):
        y = y0 + index * step
        fill, ink = _root_colours(root, root in highlight)
        ax.add_patch(
            Rectangle((x0, y), 34, 20, facecolor=fill, edgecolor=OUTLINE_STROKE, linewidth=0.6 * pt)
        )
        text(x0 + 17, y + 10, root, 11, ink, bold=root in highlight)
        if root in highlight:
            text(x0 + 42, y + 10, "highlighted", 11, anchor="left")
    text(width / 2, height - 12, FOOTNOTE, 11, MUTED_TEXT)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="#ffffff")
    return buffer.getvalue()


# ---------------------------------------------------------------- clickable body map


def body_map_svg() -> str:
    """Front, back and soles with one keyboard-focusable button per body region.

    Each region is a <g role="button" data-region="..."> holding its shape on both legs; the
    page's script turns a click (or Enter/Space) into a chat message."""
    spec = data()
    layout = spec["layout"]
    width = layout["width"]
    height = layout["height"] - 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'class="bodymap" role="group" aria-labelledby="bodymap-title" '
        'font-family="inherit">',
        '<title id="bodymap-title">Body map: choose where it hurts</title>',
        "<defs>",
    ]
    body: List[str] = []
    for name, view in spec["views"].items():
        offset = layout["views"][name]
        legs = _legs(view, offset)
        for leg, place in legs:
            outline = _fmt(_points(view["outline"], place))
            out.append(
                f'<clipPath id="bm-clip-{name}-{leg}"><polygon points="{outline}"/></clipPath>'
            )
            body.append(f'<polygon class="bm-skin" points="{outline}"/>')
        for region, polys in view["regions"].items():
            label = escape(region)
            view_name = escape(view["title"].lower())
            body.append(
                f'<g class="bm-region" role="button" tabindex="0" data-region="{label}" '
                f'data-view="{name}" aria-label="{label} ({view_name} view)">'
                f"<title>{label}</title>"
            )
            for leg, place in legs:
                for poly in polys:
                    body.append(
                        f'<polygon clip-path="url(#bm-clip-{name}-{leg})" '
                        f'points="{_fmt(_points(poly, place))}"/>'
                    )
            body.append("</g>")
        for leg, place in legs:
            outline = _fmt(_points(view["outline"], place))
            body.append(f'<polygon class="bm-outline" points="{outline}"/>')
            for line in view.get("details", []):
                body.append(f'<polyline class="bm-detail" points="{_fmt(_points(line, place))}"/>')
            cx, _ = place((view["width"] / 4 + 10, 0))
            y = offset[1] + view["height"] + 16
            body.append(
                f'<text class="bm-legname" x="{cx:g}" y="{y:g}" text-anchor="middle">'
                f"{view['leg_names'][leg].capitalize()}</text>"
            )
        ox, oy = offset
        body.append(
            f'<text class="bm-viewname" x="{ox + view["width"] / 2:g}" y="{oy - 4:g}" '
            f'text-anchor="middle">{escape(view["title"])}</text>'
        )
    out.append("</defs>")
    out += body
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":  # python web/legmap.py L5,S1 > map.svg
    import sys

    print(dermatome_svg(parse_highlight(sys.argv[1] if len(sys.argv) > 1 else "")))
