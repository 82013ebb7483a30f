"""The order of the rewrite steps, and running them over a notice.

Most specific first: each step replaces what it recognises with Vietnamese words, so later
steps never see those digits again (a phone number is gone before dates look for "d.m.y", a
date before plain numbers). Example: "Ngày 30/4 gọi 0912.345.678" -> "Ngày ba mươi tháng tư
gọi không chín một hai, ba bốn năm, sáu bảy tám".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from controller.tts import abbreviations
from controller.tts.normalizer.capitals import read_capitals
from controller.tts.normalizer.cleanup import clean
from controller.tts.normalizer.dates import read_dates
from controller.tts.normalizer.letter_digits import read_letter_digits
from controller.tts.normalizer.numerals import read_numbers
from controller.tts.normalizer.ordinals import read_ordinals
from controller.tts.normalizer.phones import read_phones
from controller.tts.normalizer.quantities import read_quantities
from controller.tts.normalizer.roman import read_roman_numerals
from controller.tts.normalizer.spacing import tidy
from controller.tts.normalizer.symbols import read_symbols
from controller.tts.normalizer.times import read_times
from controller.tts.normalizer.web import read_web_addresses

Step = Callable[[str], str]


def steps(entries: Mapping[str, str]) -> list[Step]:
    """The rewrite steps in order; `entries` is the merged abbreviation dictionary."""
    return [
        clean,
        read_web_addresses,
        read_phones,
        read_dates,
        read_times,
        read_roman_numerals,
        read_ordinals,
        read_quantities,
        partial(abbreviations.expand, entries=entries),
        partial(read_letter_digits, entries=entries),
        read_numbers,
        read_capitals,
        read_symbols,
        tidy,
    ]


def run(text: str, extra: Mapping[str, str] | None = None) -> str:
    """`text` as it should be read aloud; `extra` entries win over the shipped dictionary."""
    if not text or not text.strip():
        return ""
    entries = abbreviations.merged(extra)
    for step in steps(entries):
        text = step(text)
    return text
