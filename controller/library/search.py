"""Diacritics-insensitive search keys for Vietnamese titles ("Chúc Tết" -> "chuc tet")."""

from __future__ import annotations

import re
import unicodedata

# đ/Đ is a separate letter, not d plus a combining mark, so NFD does not split it.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_vietnamese(text: str) -> str:
    """Lowercase, strip tone and vowel marks, map đ to d, and collapse punctuation to spaces.

    Both precomposed and decomposed input fold to the same key, so a query typed without
    accents (or with a different input method) finds the title.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare.casefold()).strip()
