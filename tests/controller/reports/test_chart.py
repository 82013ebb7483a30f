"""Server-side SVG bar charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from controller.reports.chart import bar_chart_svg, format_number

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_scale_to_the_largest_and_text_is_escaped() -> None:
    svg = bar_chart_svg(
        [("Thôn <Đông>", 30.0), ("Thôn Trung & Tây", 15.0)], title="Số phút", unit="phút", empty="-"
    )
    root = ET.fromstring(svg)  # well-formed XML: nothing unescaped
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Thôn <Đông>" in texts and "30,0 phút" in texts and "15,0 phút" in texts
    assert root.get("role") == "img" and root.get("aria-label") == "Số phút"


def test_empty_chart_says_so() -> None:
    assert bar_chart_svg([], title="x", unit="phút", empty="Chưa có <dữ liệu>") == (
        '<p class="rep-empty">Chưa có &lt;dữ liệu&gt;</p>'
    )


def test_long_labels_are_shortened_and_zero_bars_still_show() -> None:
    svg = bar_chart_svg([("x" * 40, 0.0)], title="t", unit="phút", empty="-")
    assert re.search(r">x{35}…<", svg) and 'width="1.0"' in svg


def test_the_drawing_is_narrow_enough_for_a_phone() -> None:
    root = ET.fromstring(bar_chart_svg([("Thôn Đông", 3.0)], title="t", unit="phút", empty="-"))
    width = float(root.get("viewBox").split()[2])
    assert width <= 330  # a 375 px phone shows it at 90 % or more: 14 px text stays >= 12.6 px


def test_vietnamese_decimal_comma() -> None:
    assert format_number(12.5) == "12,5"
    assert format_number(130.4) == "130"
