"""Tokens of capital letters and digits glued together, each run read on its own.

Examples: "F0" -> "ép không"; "4G" -> "bốn giê"; "B2" -> "bê hai"; "QL1A" -> "quốc lộ một a"
(a letter run found in the abbreviation dictionary is read as the dictionary says, any other
is spelled).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from controller.tts.normalizer.letters import spell
from controller.tts.normalizer.numerals import read_numeral
from controller.tts.normalizer.phrasing import spaced

_MIXED = re.compile(r"(?<![\w])(?=[A-ZĐ0-9]*[A-ZĐ])(?=[A-ZĐ0-9]*[0-9])[A-ZĐ0-9]+(?![\w])")


def _read_mixed(m: re.Match[str], entries: Mapping[str, str]) -> str:
    runs = re.findall(r"[A-ZĐ]+|[0-9]+", m.group(0))
    words = [read_numeral(run) if run.isdigit() else entries.get(run) or spell(run) for run in runs]
    return spaced(" ".join(words))


def read_letter_digits(text: str, entries: Mapping[str, str]) -> str:
    """Read every letters-and-digits token; `entries` is the merged abbreviation dictionary."""
    return _MIXED.sub(lambda m: _read_mixed(m, entries), text)
