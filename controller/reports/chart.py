"""Horizontal bar charts as inline SVG, drawn on the server (no JavaScript library; pure)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

# A narrow drawing keeps the text readable when the browser scales it down to a phone's width.
WIDTH = 420
ROW = 30
LABEL_W = 130
VALUE_W = 85
TOP = 8


def bar_chart_svg(
    bars: Sequence[tuple[str, float]], *, title: str, unit: str, empty: str, color: str = "#b3261e"
) -> str:
    """An accessible SVG of labelled bars scaled to the largest value (text escaped)."""
    if not bars:
        return f'<p class="rep-empty">{escape(empty)}</p>'
    height = TOP * 2 + ROW * len(bars)
    biggest = max(value for _, value in bars) or 1.0
    span = WIDTH - LABEL_W - VALUE_W
    rows = [
        _bar(i, label, value, value / biggest * span, unit, color)
        for i, (label, value) in enumerate(bars)
    ]
    return (
        f'<svg class="rep-chart" role="img" aria-label={quoteattr(title)} '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )


def _bar(index: int, label: str, value: float, length: float, unit: str, color: str) -> str:
    y = TOP + index * ROW
    mid = y + ROW / 2 + 5
    short = label if len(label) <= 16 else label[:15] + "…"
    return (
        f'<text x="{LABEL_W - 8}" y="{mid:.0f}" text-anchor="end">{escape(short)}</text>'
        f'<rect x="{LABEL_W}" y="{y + 5}" width="{max(length, 1):.1f}" height="{ROW - 10}" '
        f'fill="{color}" rx="2"/>'
        f'<text x="{LABEL_W + max(length, 1) + 6:.1f}" y="{mid:.0f}">'
        f"{escape(format_number(value))} {escape(unit)}</text>"
    )


def format_number(value: float) -> str:
    """Vietnamese decimal comma, one decimal for small values: 12,5 / 130."""
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return text.replace(".", ",")
