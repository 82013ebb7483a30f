"""Horizontal bar charts as inline SVG, drawn on the server (no JavaScript library; pure)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

# Each bar has its label on a line above it, so the drawing can be narrow: a phone scales it
# down hardly at all and the 14 px text stays readable at 375 px (labels beside the bars made a
# wide drawing whose text shrank to 9 px).
WIDTH = 320
ROW = 46
BAR_H = 16
VALUE_W = 80
TOP = 4
LABEL_MAX = 36


def bar_chart_svg(
    bars: Sequence[tuple[str, float]], *, title: str, unit: str, empty: str, color: str = "#b3261e"
) -> str:
    """An accessible SVG of labelled bars scaled to the largest value (text escaped)."""
    if not bars:
        return f'<p class="rep-empty">{escape(empty)}</p>'
    height = TOP * 2 + ROW * len(bars)
    biggest = max(value for _, value in bars) or 1.0
    span = WIDTH - VALUE_W
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
    top = TOP + index * ROW
    label_y = top + 15
    bar_y = top + 22
    short = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
    width = max(length, 1)
    return (
        f'<text x="0" y="{label_y}" class="rep-label">{escape(short)}</text>'
        f'<rect x="0" y="{bar_y}" width="{width:.1f}" height="{BAR_H}" fill="{color}" rx="2"/>'
        f'<text x="{width + 6:.1f}" y="{bar_y + BAR_H - 3}">'
        f"{escape(format_number(value))} {escape(unit)}</text>"
    )


def format_number(value: float) -> str:
    """Vietnamese decimal comma, one decimal for small values: 12,5 / 130."""
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return text.replace(".", ",")
