"""``/api/v1/tts``: synthesis into the library, the cache, refusals, engines and rights.

Speech comes from a local stand-in program (``tests/controller/tts/scripts/tone_tts.py``,
through the command engine) that records every text it was asked to speak, so the tests can
count real synthesis calls; espeak-ng and the local fake of Google's endpoint cover the real
engines. Google itself is never contacted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from controller.db.models import AuditLog, TtsCacheEntry
from tests.controller.tts.fakes.gtts_server import FakeGoogleTts, make_tone_mp3

TONE_TTS = Path(__file__).resolve().parents[1] / "tts" / "scripts" / "tone_tts.py"
NOTICE = "UBND xã thông báo: họp thôn lúc 7h30 ngày 15/3."


def tone_engine(config, record: Path) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["command"]
    config.tts.command = [
        sys.executable, str(TONE_TTS), "--text-file", "{text_file}", "--out", "{out}",
        "--record", str(record),
    ]  # fmt: skip
    config.tts.timeout_s = 20


def spoken(record: Path) -> list[str]:
    """Texts the stand-in engine was asked to speak (one line per call)."""
    if not record.exists():
        return []
    return [line.split("\t", 1)[1] for line in record.read_text("utf-8").splitlines()]


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return tmp_path / "spoken.txt"


@pytest.fixture
def config(config, record):  # type: ignore[no-untyped-def]
    tone_engine(config, record)
    return config


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


def test_create_returns_a_loudness_matched_media_item(officer, app, config, record) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts", json={"text": NOTICE, "title": "Họp thôn", "repeat": 2})
    assert r.status_code == 201, r.json
    body = r.json
    assert body["engine"] == "command"
    assert body["title"] == "Họp thôn" and body["category"] == "announcement"
    assert "Ủy ban nhân dân" in body["normalized_text"]
    assert "bảy giờ ba mươi" in body["normalized_text"]
    assert body["source"] == "tts" and body["format"] == "mp3"
    # Same loudness target as uploads (the library's ingest path).
    assert abs(body["lufs"] - config.audio.target_lufs) < 1.0
    # Two readings with the chime around them: longer than the speech alone twice.
    speech_ms = 40 * len(spoken(record)[0])
    assert body["duration_ms"] > 2 * speech_ms
    audio = officer.get(body["url"])
    assert audio.status_code == 200 and len(audio.data) == body["bytes"]
    with app.extensions["tt.db"].session() as s:
        actions = [a.action for a in s.query(AuditLog).filter_by(target_id=str(body["id"]))]
    assert actions == ["tts.create"]


def test_repeat_request_is_served_from_the_cache_without_synthesis(officer, app, record) -> None:  # type: ignore[no-untyped-def]
    first = officer.post("/api/v1/tts", json={"text": NOTICE})
    assert first.status_code == 201
    calls = len(spoken(record))
    assert calls >= 1
    # Same notice typed with decomposed accents and extra spaces: same words, same cache key.
    import unicodedata

    again = unicodedata.normalize("NFD", NOTICE.replace(" ", "  "))
    second = officer.post("/api/v1/tts", json={"text": again})
    assert second.status_code == 201
    assert second.json["id"] == first.json["id"]
    assert len(spoken(record)) == calls  # the engine was not called again
    with app.extensions["tt.db"].session() as s:
        assert s.query(TtsCacheEntry).count() == 1
    # Other options are another notice: synthesized anew.
    third = officer.post("/api/v1/tts", json={"text": NOTICE, "chime": False})
    assert third.json["id"] != first.json["id"]
    assert len(spoken(record)) > calls


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("", "empty_text", "Chưa nhập nội dung"),
        ("   \n ", "empty_text", "Chưa nhập nội dung"),
        ("a" * 20_001, "text_too_long", "tối đa 20.000 ký tự"),
    ],
)
def test_empty_or_too_long_text_is_refused(officer, record, text, code, words) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts", json={"text": text})
    assert r.status_code == 422
    assert r.json["error"]["code"] == code
    assert words in r.json["error"]["message"]
    assert spoken(record) == []


def test_refusal_in_english_on_request(api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as("officer", lang="en").post("/api/v1/tts", json={"text": ""})
    assert r.status_code == 422 and r.json["error"]["message"] == "There is no text to read."


def test_unknown_engine_and_bad_options_are_refused(officer) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts", json={"text": NOTICE, "engine": "piper"})
    assert r.status_code == 422 and r.json["error"]["code"] == "unknown_engine"
    assert "command" in r.json["error"]["message"]
    r = officer.post("/api/v1/tts", json={"text": NOTICE, "repeat": 9})
    assert r.status_code == 422 and r.json["error"]["code"] == "validation"
    r = officer.post("/api/v1/tts", json={"text": NOTICE, "category": "music"})
    assert r.status_code == 422


def test_every_engine_failing_is_reported(officer, config) -> None:  # type: ignore[no-untyped-def]
    config.tts.command = [*config.tts.command, "--mode", "fail"]
    r = officer.post("/api/v1/tts", json={"text": NOTICE})
    assert r.status_code == 502
    assert r.json["error"]["code"] == "tts_failed"
    assert "mọi bộ đọc đều lỗi" in r.json["error"]["message"]


def test_normalize_endpoint(officer) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/tts/normalize", json={"text": "HĐND xã họp ngày 2/9"})
    assert r.status_code == 200
    assert r.json["normalized_text"].startswith("Hội đồng nhân dân xã họp ngày")
    assert "tháng chín" in r.json["normalized_text"]


def test_rights(api_as) -> None:  # type: ignore[no-untyped-def]
    for role in ("viewer", "approver", "node"):
        client = api_as(role)
        assert client.post("/api/v1/tts", json={"text": NOTICE}).status_code == 403
        assert client.post("/api/v1/tts/normalize", json={"text": "x"}).status_code == 403
    unauthenticated = api_as("officer")
    unauthenticated.headers = {}
    assert unauthenticated.post("/api/v1/tts", json={"text": NOTICE}).status_code == 401


def test_espeak_engine_speaks_offline(officer, config) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["espeak"]
    r = officer.post("/api/v1/tts", json={"text": "Kính mời bà con đi họp.", "chime": False})
    assert r.status_code == 201, r.json
    assert r.json["engine"] == "espeak"
    assert r.json["duration_ms"] > 500


@pytest.fixture
def fake_google():  # type: ignore[no-untyped-def]
    server = FakeGoogleTts(make_tone_mp3(0.6)).start()
    yield server
    server.stop()


def test_gtts_through_the_local_fake_then_fallback(officer, config, fake_google) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["gtts", "espeak"]
    config.tts.gtts_base_url = fake_google.base_url
    r = officer.post("/api/v1/tts", json={"text": "Thông báo mất điện.", "chime": False})
    assert r.status_code == 201, r.json
    assert r.json["engine"] == "gtts"
    assert [q.lang for q in fake_google.received] == ["vi"]
    # Google down: the offline engine speaks, and says so.
    fake_google.mode = "error500"
    r = officer.post("/api/v1/tts", json={"text": "Thông báo có điện trở lại.", "chime": False})
    assert r.status_code == 201, r.json
    assert r.json["engine"] == "espeak"
