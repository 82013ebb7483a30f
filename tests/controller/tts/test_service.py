"""``synthesize_to_media``: text to a library item, with the cache, progress and dictionary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from controller.db.models import MediaItem, Pronunciation, TtsCacheEntry
from controller.tts import service
from controller.tts.service import TtsError, check_text, default_title, synthesize_to_media

TONE_TTS = Path(__file__).resolve().parent / "scripts" / "tone_tts.py"
SITE = "xa-binh-yen"


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return tmp_path / "spoken.txt"


@pytest.fixture
def config(config, record):  # type: ignore[no-untyped-def]
    config.tts.engines = ["command", "espeak"]
    config.tts.command = [
        sys.executable, str(TONE_TTS), "--text-file", "{text_file}", "--out", "{out}",
        "--speed", "{speed}", "--record", str(record),
    ]  # fmt: skip
    return config


def calls(record: Path) -> int:
    return len(record.read_text("utf-8").splitlines()) if record.exists() else 0


def test_result_is_a_catalogued_item_and_the_cache_answers_the_repeat(  # type: ignore[no-untyped-def]
    database, config, record
) -> None:
    seen: list[float] = []
    with database.session() as s:
        item, normalized, engine = synthesize_to_media(
            s, config, "Họp lúc 14h.", title="Họp", chime=False, progress=seen.append,
            created_by="can-bo",
        )  # fmt: skip
        assert isinstance(item, MediaItem) and item.id is not None
        assert (normalized, engine) == ("Họp lúc mười bốn giờ.", "command")
        assert (item.title, item.source, item.engine, item.created_by) == (
            "Họp", "tts", "command", "can-bo",
        )  # fmt: skip
        assert item.normalized_text == normalized
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert calls(record) == 1
    with database.session() as s:
        again, _, engine = synthesize_to_media(s, config, "Họp  lúc 14h.", chime=False)
        assert again.id == item.id and engine == "command"
        assert s.query(TtsCacheEntry).count() == 1
    assert calls(record) == 1


def test_options_that_change_the_audio_change_the_key(database, config, record) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        one, *_ = synthesize_to_media(s, config, "Mời họp.", chime=False)
        two, *_ = synthesize_to_media(s, config, "Mời họp.", chime=False, repeat=2)
        three, *_ = synthesize_to_media(s, config, "Mời họp.", chime=False, speed=1.25)
    assert len({one.id, two.id, three.id}) == 3
    assert two.duration_ms > one.duration_ms > three.duration_ms
    assert calls(record) == 3


def test_preferred_engine_and_fallback(database, config) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        _, _, engine = synthesize_to_media(s, config, "Mời họp.", engine="espeak", chime=False)
        assert engine == "espeak"
        config.tts.command = [*config.tts.command, "--mode", "fail"]
        item, _, engine = synthesize_to_media(s, config, "Mời đi họp.", chime=False)
        assert engine == "espeak" and item.engine == "espeak"


def test_site_dictionary_is_used(database, config) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        s.add(Pronunciation(site_id=SITE, term="NVH", reading="nhà văn hóa"))
        s.flush()
        _, normalized, _ = synthesize_to_media(s, config, "Họp ở NVH.", chime=False)
    assert normalized == "Họp ở nhà văn hóa."


def test_every_engine_failing_raises_a_tts_error(database, config) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["command"]
    config.tts.command = [*config.tts.command, "--mode", "fail"]
    with database.session() as s, pytest.raises(TtsError) as caught:
        synthesize_to_media(s, config, "Mời họp.", chime=False)
    assert (caught.value.code, caught.value.status) == ("tts_failed", 502)
    assert "mọi bộ đọc đều lỗi" in caught.value.message_vi


def test_unknown_engine(database, config) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s, pytest.raises(TtsError) as caught:
        synthesize_to_media(s, config, "Mời họp.", engine="piper")
    assert caught.value.code == "unknown_engine" and "command, espeak" in caught.value.message_vi


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty_text"), (" \t\n", "empty_text"), ("a" * 20_001, "text_too_long")]
)
def test_check_text_refusals(text: str, code: str) -> None:
    with pytest.raises(TtsError) as caught:
        check_text(text)
    assert caught.value.code == code and caught.value.status == 422


def test_check_text_accepts_the_limit() -> None:
    assert check_text(" " + "a" * 20_000 + " ") == "a" * 20_000


def test_default_title_cuts_at_a_word() -> None:
    assert default_title("Thông báo họp thôn.") == "Thông báo họp thôn."
    long = default_title(
        "Ủy ban nhân dân xã thông báo lịch tiêm chủng mở rộng cho trẻ em dưới năm tuổi"
    )
    assert long.endswith("…") and len(long) <= service.TITLE_CHARS + 1
    assert long[:-1] == long[:-1].strip()


def test_a_job_left_running_by_a_dead_process_reads_as_interrupted() -> None:
    from datetime import UTC, datetime, timedelta

    from controller.db.models import Job
    from controller.tts.jobs import job_dict

    now = datetime(2027, 2, 5, 8, 0, tzinfo=UTC)
    job = Job(
        id="j1",
        kind="tts",
        status="running",
        progress=0.4,
        created_at=now - timedelta(hours=1),
        updated_at=now - timedelta(minutes=11),
    )
    shown = job_dict(job, now)
    assert shown["status"] == "failed" and shown["error"]["code"] == "interrupted"
    job.updated_at = now - timedelta(seconds=30)
    assert job_dict(job, now)["status"] == "running"
