"""gTTS engine against a local fake of Google's endpoint, in every mode."""

import os
import time

import pytest

from controller.tts.engines import EngineError, GttsEngine
from controller.tts.engines.gtts_engine import looks_like_mp3
from tests.controller.tts.fakes.gtts_server import FakeGoogleTts, make_tone_mp3, refused_url

TEXT = "Thông báo của Ủy ban nhân dân xã về lịch tiêm chủng."


@pytest.fixture(scope="module")
def tone_mp3():
    return make_tone_mp3(0.6)


@pytest.fixture
def fake(tone_mp3):
    server = FakeGoogleTts(tone_mp3).start()
    yield server
    server.stop()


def test_ok_mode_returns_decoded_audio_and_sends_vietnamese(fake):
    audio = GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 1.0, timeout_s=5)
    assert 500 < len(audio) < 800  # the 0.6 s tone the fake sent
    assert [(r.text, r.lang, r.slow) for r in fake.received] == [(TEXT, "vi", False)]


def test_slow_speed_asks_for_slow_reading(fake):
    GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 0.7, timeout_s=5)
    assert fake.received[0].slow is True


def test_long_text_is_sent_in_several_requests_and_joined(fake):
    text = ", ".join(["bà con thôn Một đến nhà văn hóa"] * 8)  # > 100 chars
    audio = GttsEngine(base_url=fake.base_url).synthesize(text, None, 1.0, timeout_s=5)
    assert len(fake.received) >= 3
    assert len(audio) > 0.5 * 600 * len(fake.received)


def test_server_error_raises_engine_error(fake):
    fake.mode = "error500"
    with pytest.raises(EngineError, match="500"):
        GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 1.0, timeout_s=5)


def test_connection_refused_raises_engine_error():
    with pytest.raises(EngineError, match="Failed to connect"):
        GttsEngine(base_url=refused_url()).synthesize(TEXT, None, 1.0, timeout_s=5)


def test_slow_server_times_out_within_budget(fake):
    fake.mode = "slow"
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out") as caught:
        GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 1.0, timeout_s=0.5)
    assert time.monotonic() - started < 3
    assert fake.held.is_set()
    assert caught.value.engine == "gtts"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("garbage", "no audio"), ("garbage_audio", "not MP3"), ("garbage_frame", "not decodable")],
)
def test_garbage_answers_raise_engine_error(fake, mode, reason):
    fake.mode = mode
    with pytest.raises(EngineError, match=reason):
        GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 1.0, timeout_s=5)


def test_failure_leaves_no_file_behind(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake.mode = "error500"
    with pytest.raises(EngineError):
        GttsEngine(base_url=fake.base_url).synthesize(TEXT, None, 1.0, timeout_s=5)
    assert os.listdir(tmp_path) == []


def test_mp3_sniffing(tone_mp3):
    assert looks_like_mp3(tone_mp3)
    assert looks_like_mp3(b"ID3\x04rest")
    assert not looks_like_mp3(b"<html>")
    assert not looks_like_mp3(b"")
