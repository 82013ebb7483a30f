"""Words in capitals the dictionary did not know: headline words are lowercased, acronyms are
spelled with Vietnamese letter names.

Examples: "THÔNG BÁO KHẨN" -> "thông báo khẩn" (each is one Vietnamese syllable); "ATM" -> "a
tê em-mờ"; "KTĐ" -> "ca tê đê"; a single "Ý" in a headline -> "ý"; a plain letter ("Nguyễn
Văn A", "Vitamin C") and mixed-case words ("Agribank") stay as written.
"""

from __future__ import annotations

import re
import unicodedata

from controller.tts.normalizer.letters import spell
from controller.tts.normalizer.phrasing import spaced


def _vowel_class() -> str:
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    return "".join(unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in tones)


_V = _vowel_class()
# One Vietnamese syllable: onset, 1-3 vowel letters, final consonant. "THÔNG" fits, "HĐND" not.
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[{_V}]{{1,3}}(?:ng|nh|ch|[cmnpt])?"
)
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")


def _read_capitals(m: re.Match[str]) -> str:
    word = m.group(0)
    if not word.isupper():
        return word
    lower = word.lower()
    if len(word) == 1:
        # "Ý" in a headline is a word; a plain letter ("Văn A", "Vitamin C") stays as written.
        return word if word.isascii() or word == "Đ" else lower
    # A capitalised syllable is a headline word ("THÔNG BÁO"), not an acronym.
    return lower if _SYLLABLE.fullmatch(lower) else spaced(spell(word))


def read_capitals(text: str) -> str:
    """Lowercase headline syllables and spell acronyms among the all-capital words."""
    return _WORD.sub(_read_capitals, text)
