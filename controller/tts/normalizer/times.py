"""Clock times and ranges of times; a zero minute is not said.

Examples: "7h30", "07:30", "7g30" and "7 giờ 30" -> "bảy giờ ba mươi phút"; "17h00" ->
"mười bảy giờ"; "7h30-11h" -> "từ bảy giờ ba mươi phút đến mười một giờ"; "7-9h" -> "từ bảy
đến chín giờ" ("từ" is not repeated after a written "từ").
"""

from __future__ import annotations

import re

from controller.tts.normalizer.patterns import HOUR, LEFT, MINUTE, RIGHT
from controller.tts.normalizer.phrasing import phrase, spaced
from controller.tts.numbers import read_number

_TIME = rf"{HOUR}(?:[hH](?:{MINUTE})?|g{MINUTE}|:{MINUTE})"
_TIME_RANGE = re.compile(rf"{LEFT}({_TIME})\s*-\s*({_TIME}){RIGHT}")
_HOUR_RANGE = re.compile(rf"{LEFT}({HOUR})\s*-\s*({HOUR})[hH](?!\w)")
_CLOCK = re.compile(rf"{LEFT}({_TIME}){RIGHT}")
_HOUR_WORD = re.compile(rf"{LEFT}({HOUR})\s+giờ\s+({MINUTE}|[0-9])(?![0-9])(?!\s*phút)")


def _time_words(token: str) -> str:
    hour, minute = re.fullmatch(r"([0-9]+)[hHg:]?([0-9]*)", token).groups()
    words = f"{read_number(int(hour))} giờ"
    return f"{words} {read_number(int(minute))} phút" if minute and int(minute) else words


def read_times(text: str) -> str:
    """Read time ranges, hour ranges ("7-9h"), clock times, then "7 giờ 30"."""
    text = _TIME_RANGE.sub(
        lambda m: phrase(m, ["từ"], f"{_time_words(m[1])} đến {_time_words(m[2])}"), text
    )
    text = _HOUR_RANGE.sub(
        lambda m: phrase(m, ["từ"], f"{read_number(int(m[1]))} đến {_time_words(m[2])}"), text
    )
    text = _CLOCK.sub(lambda m: spaced(_time_words(m[1])), text)
    return _HOUR_WORD.sub(lambda m: spaced(_time_words(f"{m[1]}h{m[2]:0>2}")), text)
