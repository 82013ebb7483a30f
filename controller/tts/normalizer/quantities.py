"""Quantities: money, percentages and measures, alone or as ranges.

Examples: "15.000đ" -> "mười lăm nghìn đồng"; "3,5%" -> "ba phẩy năm phần trăm"; "-2°C" ->
"âm hai độ xê"; "20.000 đ/kg" -> "hai mươi nghìn đồng một ki lô gam"; "20-25%" -> "từ hai
mươi đến hai mươi lăm phần trăm"; "2025-2030" -> "hai nghìn không trăm hai mươi lăm đến hai
nghìn không trăm ba mươi" (a span of years has no "từ"). A range whose ends do not rise
("50-20") is left for later steps.
"""

from __future__ import annotations

import re

from controller.tts.normalizer.patterns import NUM, SIGNED_NUM, YEAR
from controller.tts.normalizer.phrasing import phrase, spaced
from controller.tts.normalizer.units import PER, UNIT, unit_words
from controller.tts.numbers import read_decimal

_QUANTITY = re.compile(rf"({SIGNED_NUM})\s?({UNIT}){PER}")
_QUANTITY_RANGE = re.compile(
    rf"({SIGNED_NUM})(?:\s?({UNIT}))?\s*-\s*({NUM})(?![0-9]|[.,][0-9])(?:\s?({UNIT}){PER})?"
)


def _amount_value(s: str) -> float:
    sign = -1 if s.startswith("-") else 1
    return sign * float(s.lstrip("-").replace(".", "").replace(",", "."))


def _read_quantity_range(m: re.Match[str]) -> str:
    low, unit_low, high, unit_high, per = m.groups()
    if _amount_value(low) >= _amount_value(high):
        return m.group(0)
    first = read_decimal(low) + (unit_words(unit_low, None) if unit_low != unit_high else "")
    body = f"{first} đến {read_decimal(high)}{unit_words(unit_high, per)}"
    # "năm học 2025-2026", "nhiệm kỳ 2025-2030": a span of years is said without "từ".
    years = re.fullmatch(YEAR, low) and re.fullmatch(YEAR, high) and not unit_high
    return phrase(m, [] if years else ["từ"], body)


def read_quantities(text: str) -> str:
    """Read rising ranges of numbers (with or without units), then numbers with a unit."""
    text = _QUANTITY_RANGE.sub(_read_quantity_range, text)
    return _QUANTITY.sub(lambda m: spaced(read_decimal(m[1]) + unit_words(m[2], m[3])), text)
