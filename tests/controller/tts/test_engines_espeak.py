"""espeak-ng engine, run for real."""

import os

import pytest

from controller.tts.engines import EngineError, EspeakEngine
from controller.tts.engines.espeak import VOICES, words_per_minute

TEXT = "Xin chào bà con thôn Một. Tối nay họp lúc bảy giờ."


@pytest.mark.parametrize("voice", VOICES)
def test_each_vietnamese_voice_speaks(voice):
    audio = EspeakEngine().synthesize(TEXT, voice, 1.0, timeout_s=10)
    assert 1500 < len(audio) < 10000
    assert audio.rms > 100  # not silence


def test_faster_speed_gives_shorter_audio():
    engine = EspeakEngine()
    normal = engine.synthesize(TEXT, "vi", 1.0, timeout_s=10)
    fast = engine.synthesize(TEXT, "vi", 1.6, timeout_s=10)
    assert len(fast) < 0.8 * len(normal)


def test_unknown_voice_falls_back_to_default():
    assert EspeakEngine().command("piper-hanoi", 1.0)[:3] == ["espeak-ng", "-v", "vi"]


def test_text_starting_with_dash_is_spoken_not_parsed_as_option():
    audio = EspeakEngine().synthesize("-v en --help xin chào", None, 1.0, timeout_s=10)
    assert len(audio) > 500


def test_speed_maps_to_words_per_minute_within_limits():
    assert words_per_minute(165, 1.0) == 165
    assert words_per_minute(165, 0.1) == 80
    assert words_per_minute(165, 10) == 450


def test_missing_binary_raises_engine_error():
    with pytest.raises(EngineError, match="cannot run"):
        EspeakEngine(binary="/nonexistent/espeak-ng").synthesize(TEXT, None, 1.0, 5)


def test_empty_text_raises_engine_error():
    with pytest.raises(EngineError, match="no text"):
        EspeakEngine().synthesize("   ", None, 1.0, 5)


def test_leaves_no_files_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    EspeakEngine().synthesize(TEXT, None, 1.0, 10)
    assert os.listdir(tmp_path) == []
