"""How a step writes its words back into the text: padded with spaces, and with lead words
("từ", "ngày") left out when the text already says them just before the match.

Example: in "từ ngày 1/10 - 5/10" the date range reads "một tháng mười đến ngày năm tháng
mười" after the "từ ngày" already written, not "từ ngày từ ngày …".
"""

from __future__ import annotations

import re

# Pad replacements so they never glue to neighbouring words; spacing.tidy collapses the runs.
spaced = " {} ".format
DAY_WORDS = {"ngày", "mùng", "mồng"}


def preceding_words(m: re.Match[str], n: int = 3) -> list[str]:
    """The last `n` words right before the match (lowercase), stopping at punctuation."""
    window = m.string[max(0, m.start() - 40) : m.start()]
    tail = re.search(r"(?:\w+\s+)*$", window)
    words = tail.group(0).lower().split() if tail else []
    return words[-n:]


def unsaid(m: re.Match[str], lead: list[str]) -> list[str]:
    """Drop the part of `lead` (e.g. ["từ", "ngày"]) that the text already says just before the
    match, so "từ ngày 1/10 - 5/10" does not become "từ ngày từ ngày ..."."""
    said = ["ngày" if w in DAY_WORDS else w for w in preceding_words(m, len(lead))]
    for end in range(len(lead), 0, -1):
        for start in range(end):
            part = lead[start:end]
            if said[-len(part) :] == part:
                return lead[end:]
    return lead


def phrase(m: re.Match[str], lead: list[str], body: str) -> str:
    """`body` preceded by whatever of `lead` the text has not said yet, padded with spaces."""
    return spaced(" ".join([*unsaid(m, lead), body]))
