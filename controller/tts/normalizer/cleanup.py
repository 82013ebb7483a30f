"""First step: make the raw notice uniform before any reading happens.

Rewrites: NFD to NFC; emoji, pictographs and control characters to spaces; typographic dashes
to "-" and quotes away ("“Họp”" -> "Họp"); "…" and "..." to "."; "²"/"³" to "2"/"3"; the
hyphen of a word glued to a number to a space ("Covid-19" -> "Covid 19", so it is no minus
sign); list bullets away; every line to a sentence ("THÔNG BÁO\\n- Họp lúc 19h" ->
"THÔNG BÁO. Họp lúc 19h").
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "−": "-",
        "‐": "-",
        "‑": "-",
        "…": ".",
        "\u00a0": " ",
        "\t": " ",
        "“": "",
        "”": "",
        "„": "",
        "«": "",
        "»": "",
        '"': "",
        "‘": "",
        "’": "",
        "'": "",
        "•": "",
        "²": "2",
        "³": "3",
    }
)
_KEEP_SYMBOLS = {"°", "₫", "\n"}
_DROP_CATEGORIES = {"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc"}


def _is_dropped(ch: str) -> bool:
    if ch in _KEEP_SYMBOLS:
        return False
    # Variation selectors ride on emoji; they are combining marks, not letters.
    return unicodedata.category(ch) in _DROP_CATEGORIES or "\ufe00" <= ch <= "\ufe0f"


def clean(text: str) -> str:
    """NFC, drop emoji and control characters, unify dashes and quotes, turn lines into
    sentences (a line without final punctuation gets a full stop so the engine pauses)."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = "".join(" " if _is_dropped(ch) else ch for ch in text)
    text = re.sub(r"\.{2,}", ".", text)
    # "Covid-19" has no minus sign (but "14h-16h" and "5km-7km" are ranges).
    text = re.sub(r"(?<!\w)([^\W\d_]{2,})-(?=[0-9])", r"\1 ", text)
    lines = [re.sub(r"^\s*[-*+]\s+", "", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    ended = [ln if ln[-1] in ".,;:?!" else f"{ln}." for ln in lines[:-1]]
    return " ".join([*ended, *lines[-1:]])
