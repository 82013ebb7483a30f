"""Decoding a playlist: files joined in one PCM stream, with the pauses between readings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from broadcast_agents.decoder import decode_files
from broadcast_agents.protocol.messages import parse_plan_item
from tests.support.audio import make_tone

RATE = 8000


def _samples(source) -> int:  # type: ignore[no-untyped-def]
    total = 0
    while chunk := source.read(65536):
        total += len(chunk)
    source.close()
    return total // 2


def test_gaps_are_silence_inserted_after_the_given_files(tmp_path: Path) -> None:
    a = make_tone(tmp_path / "a.wav", 1.0, fmt="wav")
    plain = _samples(decode_files([a, a], RATE))
    padded = decode_files([a, a], RATE, [500, 0])
    assert plain == 2 * RATE
    assert _samples(padded) == 2 * RATE + RATE // 2


def test_plan_item_repeats_with_a_gap_between_blocks() -> None:
    media = {"url": "http://c/m", "sha256": "a" * 64, "bytes": 1, "duration_ms": 1000}
    item = parse_plan_item(
        {
            "id": "p1-20270206T0600",
            "start": "2027-02-06T06:00:00+07:00",
            "priority": 100,
            "title": "Thông báo",
            "kind": "tts",
            "volume": 80,
            "media": [media] * 4,
            "block_size": 2,
            "block_gap_ms": 3000,
        }
    )
    assert item.gaps_ms() == (0, 3000, 0, 0)
    assert item.duration.total_seconds() == 7.0
    assert item.to_dict()["block_gap_ms"] == 3000
    assert parse_plan_item(item.to_dict()) == item
    assert item.start < datetime(2027, 2, 6, tzinfo=UTC)
