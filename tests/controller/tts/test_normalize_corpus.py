"""Corpus check: realistic commune notices against hand-written full readings."""

import re
import tomllib
from pathlib import Path

import pytest

from controller.tts.normalize import normalize

CORPUS = Path(__file__).parent / "corpus" / "commune_notices.toml"
CASES = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]


def _speech(text: str) -> str:
    # Case and spacing do not change what is spoken.
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len({c["topic"] for c in CASES}) >= 15


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c['topic']}" for i, c in enumerate(CASES)])
def test_notice_reads_as_written_by_hand(case):
    assert _speech(normalize(case["text"])) == _speech(case["expected"])


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_no_digits_left(case):
    assert not re.search(r"[0-9]", normalize(case["text"]))
