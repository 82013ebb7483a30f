"""Composition: chime, speech, repeats, loudness hook, progress; with real espeak."""

import pytest
from pydub.generators import Sine

from controller.tts.compose import (
    CHIME_GAP_MS,
    assemble,
    compose_notice,
    expected_duration_ms,
)
from controller.tts.engines import EspeakEngine, GttsEngine
from tests.controller.tts.fakes.gtts_server import refused_url

TEXT = "Kính thưa bà con. Chiều nay xã tổ chức tiêm phòng cho gia súc. Xin cảm ơn."
CHIME = Sine(880).to_audio_segment(duration=700).set_channels(1).set_frame_rate(22050)


@pytest.fixture(scope="module")
def speech():
    return compose_notice(TEXT, [EspeakEngine()]).audio


def test_plain_notice_is_just_the_speech(speech):
    notice = compose_notice(TEXT, [EspeakEngine()])
    assert notice.engine == "espeak"
    assert notice.duration_ms == len(notice.audio) == len(speech)


@pytest.mark.parametrize("repeat", [1, 2, 3])
def test_chime_and_repeats_give_the_expected_duration(speech, repeat):
    notice = compose_notice(TEXT, [EspeakEngine()], repeat=repeat, chime=CHIME, repeat_gap_ms=1500)
    expected = expected_duration_ms(len(speech), repeat, len(CHIME), 1500, CHIME_GAP_MS)
    assert abs(notice.duration_ms - expected) <= 5
    assert notice.audio[:700].rms > 1000  # starts with the chime
    assert notice.audio[-700:].rms > 1000  # ends with it


def test_loudness_hook_is_applied_to_the_speech(speech):
    quieter = compose_notice(TEXT, [EspeakEngine()], loudness=lambda seg: seg - 12)
    assert quieter.audio.dBFS == pytest.approx(speech.dBFS - 12, abs=0.1)


def test_progress_reports_each_sentence_then_one():
    seen = []
    compose_notice(TEXT, [EspeakEngine()], repeat=2, progress=seen.append)
    assert len(seen) == 4  # three sentences, then assembly
    assert seen == sorted(seen) and seen[-1] == 1.0 and seen[-2] < 1.0


def test_fallback_is_reported(speech):
    notice = compose_notice(TEXT, [GttsEngine(base_url=refused_url()), EspeakEngine()])
    assert notice.engine == "espeak"
    assert [a.engine for a in notice.attempts] == ["gtts"]


def test_repeat_out_of_range():
    with pytest.raises(ValueError):
        compose_notice(TEXT, [EspeakEngine()], repeat=0)


def test_assemble_without_chime_has_only_gaps():
    tone = Sine(440).to_audio_segment(duration=1000).set_channels(1)
    assert len(assemble(tone, repeat=3, repeat_gap_ms=500)) == 4000
