"""Last step: collapse whitespace and tidy sentence punctuation.

Examples: "họp lúc  bảy giờ ;  đúng giờ ,  nhé ?" -> "họp lúc bảy giờ; đúng giờ, nhé?"; a run
of pauses keeps its strongest mark (", ." -> ".", ",," -> ","); "a,b" -> "a, b"; leading
punctuation goes.
"""

from __future__ import annotations

import re


def tidy(text: str) -> str:
    """Single spaces, no space before punctuation, one space after it, one mark per pause."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:?!])", r"\1", text)
    # Collapse a run of pauses (", ." or ",,") into its strongest mark.
    text = re.sub(
        r"[.,;:?!](?:\s*[.,;:?!])+",
        lambda m: next((c for c in "?!.;:" if c in m.group(0)), ","),
        text,
    )
    text = re.sub(r"([.,;:?!])(?=[^\s.,;:?!])", r"\1 ", text)
    return re.sub(r"^[\s.,;:]+", "", text).strip()
