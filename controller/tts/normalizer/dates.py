"""Dates: ranges of dates, full dates, month/year, day/month and "tháng N", with "ngày"/"từ"
added unless the text already says them.

Examples: "30/4/2025" -> "ngày ba mươi tháng tư năm hai nghìn không trăm hai mươi lăm";
"05.10.2025" and "5-10-2025" are full dates too; "ngày 2/9" -> "ngày hai tháng chín";
"1/10 - 5/10" -> "từ ngày một tháng mười đến ngày năm tháng mười"; "từ 1-15/8" -> "từ ngày
một đến ngày mười lăm tháng tám"; "tháng 12/2025" -> "tháng mười hai năm …"; "tháng 4" ->
"tháng tư". Left alone: "24/7" (round the clock) and "2-5" unless "ngày" precedes (a range).
"""

from __future__ import annotations

import re

from controller.tts.normalizer.patterns import DAY, LEFT, MONTH, RIGHT, YEAR
from controller.tts.normalizer.phrasing import DAY_WORDS, phrase, preceding_words, spaced
from controller.tts.numbers import read_month, read_number

_DATE_RANGE = re.compile(
    rf"{LEFT}({DAY})/({MONTH})(?:/({YEAR}))?\s*-\s*({DAY})/({MONTH})(?:/({YEAR}))?{RIGHT}"
)
_DAY_RANGE = re.compile(rf"{LEFT}({DAY})\s*-\s*({DAY})/({MONTH})(?:/({YEAR}))?{RIGHT}")
_FULL_DATE = re.compile(rf"{LEFT}({DAY})([/.-])({MONTH})\2({YEAR}){RIGHT}")
_MONTH_YEAR = re.compile(rf"{LEFT}({MONTH})/({YEAR}){RIGHT}")
_DAY_MONTH = re.compile(rf"{LEFT}({DAY})([/-])({MONTH}){RIGHT}")
_MONTH_WORD = re.compile(rf"\b((?i:tháng))\s+({MONTH})(?![0-9]|[.,/-][0-9])")


def _date_body(day: str, month: str, year: str | None) -> str:
    words = f"{read_number(int(day))} tháng {read_month(int(month))}"
    return f"{words} năm {read_number(int(year))}" if year else words


def _read_date_range(m: re.Match[str]) -> str:
    d1, m1, y1, d2, m2, y2 = m.groups()
    body = f"{_date_body(d1, m1, y1)} đến ngày {_date_body(d2, m2, y2)}"
    return phrase(m, ["từ", "ngày"], body)


def _read_day_range(m: re.Match[str]) -> str:
    d1, d2, month, year = m.groups()
    if int(d1) >= int(d2):
        return m.group(0)
    body = f"{read_number(int(d1))} đến ngày {_date_body(d2, month, year)}"
    return phrase(m, ["từ", "ngày"], body)


def _read_full_date(m: re.Match[str]) -> str:
    day, _, month, year = m.groups()
    return phrase(m, ["ngày"], _date_body(day, month, year))


def _read_month_year(m: re.Match[str]) -> str:
    month, year = m.groups()
    return phrase(m, ["tháng"], f"{read_month(int(month))} năm {read_number(int(year))}")


def _read_day_month(m: re.Match[str]) -> str:
    day, sep, month = m.groups()
    after_day_word = bool(set(preceding_words(m, 1)) & DAY_WORDS)
    if sep == "/" and (int(day), int(month)) == (24, 7) and not after_day_word:
        return m.group(0)  # "24/7" means round the clock
    # "30-4" is a date; "2-5" is a range unless the text says "ngày 2-5".
    if sep == "-" and not after_day_word and int(day) <= int(month):
        return m.group(0)
    return phrase(m, ["ngày"], _date_body(day, month, None))


def _read_month_word(m: re.Match[str]) -> str:
    return spaced(f"{m.group(1)} {read_month(int(m.group(2)))}")


def read_dates(text: str) -> str:
    """Read date ranges, day ranges, full dates, month/year, day/month, then "tháng N"."""
    text = _DATE_RANGE.sub(_read_date_range, text)
    text = _DAY_RANGE.sub(_read_day_range, text)
    text = _FULL_DATE.sub(_read_full_date, text)
    text = _MONTH_YEAR.sub(_read_month_year, text)
    text = _DAY_MONTH.sub(_read_day_month, text)
    return _MONTH_WORD.sub(_read_month_word, text)
