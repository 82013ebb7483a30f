"""The fallback chain: in-memory engines for the logic, then gTTS (local fake) → real espeak."""

import time

import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from controller.tts.chain import AllEnginesFailed, synthesize_with_fallback
from controller.tts.engines import EngineError, EspeakEngine, GttsEngine
from tests.controller.tts.fakes.gtts_server import FakeGoogleTts, make_tone_mp3, refused_url

NOTICE = (
    "Thông báo của Ủy ban nhân dân xã. Ngày mai thôn Một cắt điện từ bảy giờ đến mười giờ. "
    "Đề nghị bà con chủ động sắp xếp công việc. Xin cảm ơn bà con."
)


class ToneEngine:
    """Speaks 10 ms of tone per character; fails from chunk ``fail_at`` on, if given."""

    def __init__(self, name, fail_at=None):
        self.name = name
        self.fail_at = fail_at
        self.spoken = []

    def synthesize(self, text, voice, speed, timeout_s):
        if self.fail_at is not None and len(self.spoken) >= self.fail_at:
            raise EngineError(self.name, "broken on purpose")
        self.spoken.append(text)
        return Sine(440).to_audio_segment(duration=10 * len(text)).set_channels(1)


def test_first_engine_speaks_every_sentence_with_pauses():
    first, second = ToneEngine("a"), ToneEngine("b")
    audio, engine, attempts = synthesize_with_fallback(
        "Một hai ba. Bốn năm! Sáu?", [first, second], pause_ms=300
    )
    assert (engine, attempts) == ("a", [])
    assert first.spoken == ["Một hai ba.", "Bốn năm!", "Sáu?"] and second.spoken == []
    assert abs(len(audio) - (10 * (11 + 8 + 4) + 2 * 300)) <= 2


def test_failure_midway_restarts_the_whole_text_on_the_next_engine():
    broken, backup = ToneEngine("a", fail_at=2), ToneEngine("b")
    result = synthesize_with_fallback(NOTICE, [broken, backup])
    assert result.engine == "b"
    assert [(a.engine, a.error) for a in result.attempts] == [("a", "broken on purpose")]
    assert len(backup.spoken) == 4  # one voice for the whole notice


def test_all_engines_failing_lists_every_attempt():
    with pytest.raises(AllEnginesFailed) as caught:
        synthesize_with_fallback(NOTICE, [ToneEngine("a", 0), ToneEngine("b", 0)])
    assert [a.engine for a in caught.value.attempts] == ["a", "b"]
    assert "mọi bộ đọc" in caught.value.message_vi


def test_progress_is_monotonic_and_ends_at_one_even_across_a_fallback():
    seen = []
    synthesize_with_fallback(
        NOTICE, [ToneEngine("a", fail_at=3), ToneEngine("b")], progress=seen.append
    )
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert seen[-1] == 1.0 and seen[0] > 0


def test_bad_input():
    with pytest.raises(ValueError):
        synthesize_with_fallback(" \n ", [ToneEngine("a")])
    with pytest.raises(ValueError):
        synthesize_with_fallback("Chào.", [ToneEngine("a")], speed=0)


@pytest.fixture(scope="module")
def fake_google():
    server = FakeGoogleTts(make_tone_mp3(0.5)).start()
    yield server
    server.stop()


def test_gtts_speaks_when_google_answers(fake_google):
    fake_google.mode = "ok"
    result = synthesize_with_fallback(
        NOTICE, [GttsEngine(base_url=fake_google.base_url), EspeakEngine()], timeout_s=5
    )
    assert (result.engine, result.attempts) == ("gtts", [])
    assert isinstance(result.audio, AudioSegment) and len(result.audio) > 4 * 450


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("error500", "500"), ("slow", "timed out"), ("garbage", "no audio"), ("refused", "connect")],
)
def test_espeak_speaks_when_gtts_fails(fake_google, mode, reason):
    base_url = refused_url() if mode == "refused" else fake_google.base_url
    fake_google.mode = mode
    started = time.monotonic()
    audio, engine, attempts = synthesize_with_fallback(
        NOTICE, [GttsEngine(base_url=base_url), EspeakEngine()], timeout_s=0.7
    )
    assert engine == "espeak"
    assert len(attempts) == 1 and attempts[0].engine == "gtts"
    assert reason in attempts[0].error
    assert len(audio) > 5000 and audio.rms > 100
    assert time.monotonic() - started < 5  # one timeout at most, not one per sentence
