"""Roman numerals after title words, read as cardinals (as ordinals after "thứ").

Examples: "Đại hội XIII" -> "Đại hội mười ba"; "khóa XV" -> "khóa mười lăm"; "thứ IV" ->
"thứ tư"; "quý II/2025" -> "quý hai năm hai nghìn không trăm hai mươi lăm". Only I, V, X, L
(up to 89) and only after a title word, so "loại C", "hạng D" and a lone "I" stay letters.
"""

from __future__ import annotations

import re

from controller.tts.normalizer.patterns import YEAR
from controller.tts.normalizer.phrasing import spaced
from controller.tts.numbers import read_number, read_ordinal

# Only I, V, X, L (up to 89): titles never need more, and "loại C", "hạng D" stay letters.
_ROMAN = r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# Roman numerals are read only after words that introduce them, so a lone "I" stays a letter.
_ROMAN_AFTER = re.compile(
    r"\b((?i:đại hội|khóa|khoá|kỳ|kì|thế kỷ|thế kỉ|quý|chương|phần|mục|thứ|đợt|giai đoạn|"
    rf"cấp|tập|vòng|phụ lục))\s+({_ROMAN})(?![\w])(?:/({YEAR}))?"
)


def roman_value(numeral: str) -> int:
    """Value of a valid Roman numeral ("XIII" -> 13)."""
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt and _ROMAN_VALUES[nxt] > value else value
    return total


def _read_roman(m: re.Match[str]) -> str:
    word, numeral, year = m.groups()
    value = roman_value(numeral)
    words = read_ordinal(value) if word.lower().endswith("thứ") else read_number(value)
    tail = f" năm {read_number(int(year))}" if year else ""
    return spaced(f"{word} {words}{tail}")


def read_roman_numerals(text: str) -> str:
    """Read every Roman numeral that follows a title word (and an optional "/year")."""
    return _ROMAN_AFTER.sub(_read_roman, text)
