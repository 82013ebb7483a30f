import math

import numpy as np
import pyloudnorm
import pytest

from controller.library.loudness import integrated_loudness, limiter_gain, normalize_loudness
from controller.library.truepeak import true_peak_db

RATE = 48000


def sine(freq: float, seconds: float, amplitude: float, rate: int = RATE, phase: float = 0.0):
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def peaky_noise(seconds: float, rate: int = RATE) -> np.ndarray:
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(int(seconds * rate)) * 0.01).astype(np.float32)
    x[:: rate // 3] = 0.9  # a click three times a second, 35 dB over the bed
    return x


def test_full_scale_1khz_sine_reads_minus_3_lufs():
    # BS.1770: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS.
    assert integrated_loudness(sine(997, 5, 1.0), RATE) == pytest.approx(-3.01, abs=0.05)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_matches_pyloudnorm(rate):
    rng = np.random.default_rng(rate)
    loud = rng.standard_normal(3 * rate) * 0.2
    quiet = rng.standard_normal(int(4.3 * rate)) * 0.002  # gated out by the relative gate
    x = np.concatenate([loud, quiet]).astype(np.float32)
    reference = pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64))
    assert integrated_loudness(x, rate) == pytest.approx(reference, abs=0.01)


def test_silence_is_minus_infinity():
    assert integrated_loudness(np.zeros(RATE, dtype=np.float32), RATE) == -math.inf


def test_clip_shorter_than_a_gating_block_is_measurable():
    assert math.isfinite(integrated_loudness(sine(440, 0.1, 0.5), RATE))


def test_limiter_gain_holds_ceiling_and_moves_smoothly():
    rng = np.random.default_rng(1)
    peaks = rng.uniform(0.05, 0.3, 5000)
    peaks[[100, 101, 2000, 4999]] = [2.0, 1.5, 3.0, 4.0]
    gain = limiter_gain(peaks, -1.0, 0.001)
    assert np.all(peaks * gain <= 10 ** (-1 / 20) + 1e-6)
    # Neighbouring gains sit inside each other's windows, so interpolating between block
    # centres cannot overshoot either.
    assert np.all(np.maximum(peaks[:-1], peaks[1:]) * np.maximum(gain[:-1], gain[1:]) <= 0.9)
    assert np.abs(np.diff(gain)).max() < 0.1  # ramps, no steps
    assert gain[1000] == pytest.approx(1.0)  # far from the peaks nothing changes


def test_normalize_reaches_target_under_ceiling():
    y = normalize_loudness(peaky_noise(20), RATE, -16.0, -2.5)
    assert integrated_loudness(y, RATE) == pytest.approx(-16.0, abs=0.2)
    assert true_peak_db(y, RATE) <= -2.5 + 0.05


@pytest.mark.parametrize("rate", [16000, 24000, 44100])
def test_normalize_other_rates(rate):
    y = normalize_loudness(peaky_noise(5, rate), rate, -18.0, -2.0)
    assert integrated_loudness(y, rate) == pytest.approx(-18.0, abs=0.3)
    assert true_peak_db(y, rate) <= -2.0 + 0.05


def test_normalize_refuses_silence():
    with pytest.raises(ValueError):
        normalize_loudness(np.zeros(RATE, dtype=np.float32), RATE, -16, -1)
