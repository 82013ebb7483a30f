"""Abbreviation dictionary for commune notices: load the shipped TOML once and expand entries.

The shipped file is `controller/tts/data/abbreviations.toml`; officers' own entries are passed
in at call time and win over shipped ones. Matching is exact (case-sensitive) on whole words,
longest key first, so "KT-XH" wins over "XH" and "TP.HCM" over "TP".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

_DATA_PACKAGE = "controller.tts"
_DATA_FILE = ("data", "abbreviations.toml")


def parse(toml_text: str) -> dict[str, str]:
    """Parse dictionary TOML (a `[abbreviations]` table of strings); raise ValueError if bad."""
    table = tomllib.loads(toml_text).get("abbreviations")
    if not isinstance(table, dict):
        raise ValueError("missing [abbreviations] table")
    entries: dict[str, str] = {}
    for key, value in table.items():
        if not key.strip() or not isinstance(value, str) or not value.strip():
            raise ValueError(f"bad abbreviation entry: {key!r}")
        entries[key] = value
    return entries


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[str, str], ...]:
    path = resources.files(_DATA_PACKAGE).joinpath(*_DATA_FILE)
    return tuple(parse(path.read_text(encoding="utf-8")).items())


def load_shipped() -> dict[str, str]:
    """Return a fresh copy of the shipped dictionary (read from disk only once per process)."""
    return dict(_shipped())


def merged(extra: Mapping[str, str] | None) -> dict[str, str]:
    """Shipped entries overlaid with `extra` (blank keys or values in `extra` are ignored)."""
    entries = load_shipped()
    for key, value in (extra or {}).items():
        if key.strip() and value.strip():
            entries[key.strip()] = value.strip()
    return entries


@lru_cache(maxsize=32)
def _matcher(items: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    keys = sorted((k for k, _ in items), key=len, reverse=True)
    # A key ending in punctuation ("Tp.") may touch the next word ("Tp.Hà Nội").
    alternation = "|".join(re.escape(k) + ("(?!\\w)" if k[-1].isalnum() else "") for k in keys)
    return re.compile(rf"(?<![\w.])(?:{alternation})")


def _capital_or_digit_follows(text: str, end: int) -> bool:
    rest = text[end:].lstrip()
    return bool(rest) and (rest[0].isdigit() or rest[0].isupper())


def expand(text: str, entries: Mapping[str, str]) -> str:
    """Replace every whole-word occurrence of a key in `text` with its reading."""
    if not entries:
        return text
    items = tuple(sorted(entries.items()))

    def replace(m: re.Match[str]) -> str:
        key = m.group(0)
        # A dotted key ("P.") ends a sentence unless a number or a capitalised word follows.
        if key.endswith(".") and not _capital_or_digit_follows(text, m.end()):
            return key
        return f" {entries[key]} "

    return _matcher(items).sub(replace, text)
