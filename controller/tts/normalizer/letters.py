"""Vietnamese letter names, and spelling a word letter by letter with them.

Examples: spell("ATM") -> "a tê em-mờ"; spell("HĐ") -> "hát đê"; spell("xyz") -> "ích-xì i
dài dét". Hyphens inside letter names become spaces later, in the symbols step.
"""

from __future__ import annotations

LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "Ă": "á",
    "Â": "ớ",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "Ê": "ê",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "giây",
    "K": "ca",
    "L": "e-lờ",
    "M": "em-mờ",
    "N": "en-nờ",
    "O": "o",
    "Ô": "ô",
    "Ơ": "ơ",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "S": "ét-xì",
    "T": "tê",
    "U": "u",
    "Ư": "ư",
    "V": "vê",
    "W": "vê kép",
    "X": "ích-xì",
    "Y": "i dài",
    "Z": "dét",
}


def spell(word: str) -> str:
    """Spell a word letter by letter with Vietnamese letter names ("ATM" -> "a tê em-mờ")."""
    return " ".join(LETTER_NAMES.get(ch, ch.lower()) for ch in word.upper())
