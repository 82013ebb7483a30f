"""Ordinals after "thứ" and ranges of them ("nhất" for 1, "tư" for 4, else cardinals).

Examples: "thứ 1" -> "thứ nhất"; "lần thứ 4" -> "lần thứ tư"; "Thứ 2" -> "Thứ hai"; "thứ 2-6"
-> "từ thứ hai đến thứ sáu". A number glued to "h", ".", ",", "/" or ":" is no ordinal
("thứ 1.2" stays a section number for the numbers step).
"""

from __future__ import annotations

import re

from controller.tts.normalizer.phrasing import phrase, spaced
from controller.tts.numbers import read_ordinal

_ORDINAL_RANGE = re.compile(
    r"\b((?i:thứ))\s+([0-9]{1,2})\s*-\s*(?:(?i:thứ)\s+)?([0-9]{1,2})(?![0-9]|[.,/:][0-9])"
)
_ORDINAL = re.compile(r"\b((?i:thứ))\s+([0-9]{1,3})(?![0-9]|[.,/:hH][0-9]|[hH]\b)")


def _read_ordinal_range(m: re.Match[str]) -> str:
    word, first, last = m.groups()
    body = f"{word} {read_ordinal(int(first))} đến thứ {read_ordinal(int(last))}"
    return phrase(m, ["từ"], body)


def read_ordinals(text: str) -> str:
    """Read "thứ A-B" ranges, then single "thứ N"."""
    text = _ORDINAL_RANGE.sub(_read_ordinal_range, text)
    return _ORDINAL.sub(lambda m: spaced(f"{m[1]} {read_ordinal(int(m[2]))}"), text)
