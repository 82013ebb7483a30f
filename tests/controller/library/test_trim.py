import numpy as np

from controller.library.trim import PAD_S, trim_silence

RATE = 48000


def tone(seconds: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_trims_digital_silence_keeping_padding():
    x = np.concatenate([np.zeros(RATE), tone(1.0), np.zeros(2 * RATE)])
    out = trim_silence(x, RATE, -60)
    assert abs(out.size / RATE - (1.0 + 2 * PAD_S)) < 0.02
    assert np.abs(out[: int(PAD_S * RATE) - 480]).max() == 0  # the pad is the original silence


def test_trims_room_noise_relative_to_the_speech():
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(RATE) * 0.001).astype(np.float32)  # about -60 dBFS RMS
    x = np.concatenate([noise, tone(1.0) + noise, noise])
    out = trim_silence(x, RATE, -70)
    assert out.size < 1.4 * RATE


def test_all_silence_is_returned_unchanged():
    x = np.zeros(RATE, dtype=np.float32)
    assert trim_silence(x, RATE, -60) is x


def test_nothing_to_trim():
    x = tone(0.5)
    assert trim_silence(x, RATE, -60).size == x.size
