"""Split text into sentences and then into chunks an engine can speak in one request (pure).

Sentences end at ``. ! ? …`` (with any closing quotes/brackets) followed by whitespace, and at
every line break (notices typed in a text box put headings and list items on their own lines).
A period does not end a sentence after a known abbreviation ("TP.", "ThS.", "PGS.") or a single
capital initial ("Nguyễn V. A."); "v.v." ends one only when a capital letter follows. Sentences
longer than ``max_chars`` are cut at clause punctuation (, ; : dashes), then between words,
and only as a last resort inside an over-long word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# gTTS sends at most 100 characters per HTTP request; matching it keeps one request per chunk.
DEFAULT_MAX_CHARS = 100

ABBREVIATIONS = frozenset(
    {
        "TP", "Tp", "tp", "TX", "TT", "Tt", "Q", "P", "X", "H", "Tr", "tr", "St",
        "ThS", "Ths", "TS", "PGS", "GS", "BS", "KS", "CN", "NXB", "Đc", "đc", "ĐC",
        "Mr", "Mrs", "Ms", "Dr", "Ô", "B",
    }
)  # fmt: skip
ET_CETERA = "v.v"

_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)")
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
_OPENERS = "\"'“‘«(["


@dataclass(frozen=True)
class Chunk:
    """A piece of text to speak; ``sentence_end`` is False when a long sentence was cut."""

    text: str
    sentence_end: bool = True


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order, stripped, without empty ones."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(" ".join(line.split())))
    return [s for s in sentences if s]


def split_chunks(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """Sentences cut to at most ``max_chars`` characters each."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    chunks: list[Chunk] = []
    for sentence in split_sentences(text):
        pieces = _fit(sentence, max_chars)
        chunks.extend(Chunk(p, sentence_end=i == len(pieces) - 1) for i, p in enumerate(pieces))
    return chunks


def _split_line(line: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        if not _ends_sentence(line, start, match):
            continue
        sentences.append(line[start : match.end(2)].strip())
        start = match.end()
    sentences.append(line[start:].strip())
    return sentences


def _ends_sentence(line: str, start: int, match: re.Match[str]) -> bool:
    if match.group(1) != "." or match.group(2):
        return True
    word = line[start : match.start()].rsplit(" ", 1)[-1].lstrip(_OPENERS)
    if word == ET_CETERA or word.endswith("." + ET_CETERA):
        following = line[match.end() : match.end() + 1]
        return following.isupper()
    if word in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isupper())


def _fit(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    clauses = [c for c in _CLAUSE_BREAK.split(sentence) if c]
    pieces: list[str] = []
    for clause in _pack(clauses, max_chars):
        if len(clause) <= max_chars:
            pieces.append(clause)
        else:
            pieces.extend(_pack(_words(clause, max_chars), max_chars))
    return pieces


def _words(text: str, max_chars: int) -> list[str]:
    """Words of ``text``; a word longer than ``max_chars`` is cut into pieces that fit."""
    words: list[str] = []
    for word in text.split():
        words.extend(word[i : i + max_chars] for i in range(0, len(word), max_chars))
    return words


def _pack(parts: list[str], max_chars: int) -> list[str]:
    """Join consecutive parts with spaces while the result stays within ``max_chars``."""
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + 1 + len(part) <= max_chars:
            packed[-1] = f"{packed[-1]} {part}"
        else:
            packed.append(part)
    return packed
