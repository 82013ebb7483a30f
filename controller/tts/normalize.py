"""Vietnamese text normalization for TTS: turn a commune notice into the words to read aloud.

A thin facade: the rewrite steps live in :mod:`controller.tts.normalizer` (one module per
family of steps, run in order by :mod:`controller.tts.normalizer.pipeline`). Pure: the only
I/O is the one-time load of the shipped abbreviation dictionary. Conventions and the module
map are documented in docs/tts-normalization.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from controller.tts.normalizer.letters import LETTER_NAMES, spell
from controller.tts.normalizer.pipeline import run
from controller.tts.normalizer.roman import roman_value
from controller.tts.normalizer.units import UNITS

__all__ = ["LETTER_NAMES", "UNITS", "normalize", "roman_value", "spell"]


def normalize(text: str, extra: Mapping[str, str] | None = None) -> str:
    """Return `text` as it should be read aloud, in Vietnamese words.

    `extra` holds officer-defined abbreviations ({"HTX": "hợp tác xã"}); they win over the
    shipped dictionary. Sentence punctuation (. , ; : ? !) is kept so the engine pauses;
    whitespace is collapsed. Never raises on odd input (empty, emoji, NFD, very long text).
    """
    return run(text, extra)
