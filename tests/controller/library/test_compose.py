import io

import pytest
from pydub import AudioSegment
from pydub.generators import Sine, WhiteNoise

from controller.library.compose import concat_with_pauses, encode_delivery, normalize_segment
from controller.library.loudness import integrated_loudness
from controller.library.pcm import segment_to_mono
from controller.library.settings import AudioSettings
from controller.library.truepeak import true_peak_db

from .conftest import ebur128, stream_info


def speech_like(ms: int = 2000, rate: int = 24000) -> AudioSegment:
    # TTS engines typically produce 22-24 kHz mono; a bed of noise with loud tonal bursts.
    bed = WhiteNoise(sample_rate=rate).to_audio_segment(duration=ms, volume=-45)
    burst = Sine(300, sample_rate=rate).to_audio_segment(duration=150, volume=-12)
    for start in range(0, ms, 400):
        bed = bed.overlay(burst, position=start)
    return bed.set_channels(1)


def test_concat_inserts_pauses_between_only():
    a = AudioSegment.silent(1000, frame_rate=24000)
    b = Sine(440, sample_rate=24000).to_audio_segment(duration=500)
    out = concat_with_pauses([a, b, a], 300)
    assert len(out) == 1000 + 300 + 500 + 300 + 1000
    assert len(concat_with_pauses([b], 300)) == 500


def test_concat_mixed_rates_and_empty():
    a = AudioSegment.silent(100, frame_rate=16000)
    b = AudioSegment.silent(100, frame_rate=48000)
    assert concat_with_pauses([a, b], 50).frame_rate == 48000
    assert len(concat_with_pauses([], 100)) == 0
    with pytest.raises(ValueError):
        concat_with_pauses([a], -1)


def test_normalize_segment_matches_library_loudness():
    seg = normalize_segment(speech_like(), -16.0, -1.0)
    samples = segment_to_mono(seg)
    assert seg.channels == 1 and seg.frame_rate == 24000
    assert integrated_loudness(samples, 24000) == pytest.approx(-16.0, abs=0.3)
    assert true_peak_db(samples, 24000) <= -1.0


def test_normalize_segment_refuses_silence():
    with pytest.raises(ValueError):
        normalize_segment(AudioSegment.silent(1000), -16, -1)


def test_encode_delivery_is_mono_48k_mp3_under_the_peak_limit(tmp_path):
    settings = AudioSettings()
    data = encode_delivery(normalize_segment(speech_like(), -16, -1), settings)
    path = tmp_path / "tts.mp3"
    path.write_bytes(data)
    stream = stream_info(path)["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "48000")
    assert stream["bit_rate"] == "64000"
    lufs, peak = ebur128(path)
    assert lufs == pytest.approx(-16, abs=1.0) and peak <= -1.0


def test_encode_delivery_is_deterministic():
    seg = normalize_segment(speech_like(1000), -16, -1)
    assert encode_delivery(seg, AudioSettings()) == encode_delivery(seg, AudioSettings())


def test_encode_delivery_opus(tmp_path):
    settings = AudioSettings(format="opus", bitrate="32k")
    data = encode_delivery(normalize_segment(speech_like(), -16, -1), settings)
    decoded = AudioSegment.from_file(io.BytesIO(data), format="ogg")
    assert decoded.frame_rate == 48000 and decoded.channels == 1
    path = tmp_path / "x.opus"
    path.write_bytes(data)
    assert ebur128(path)[1] <= -1.0
