import math

import numpy as np
import pytest
from scipy import signal

from controller.library.truepeak import BlockPeaks, block_peaks, true_peak_db

RATE = 48000


def sine(freq: float, seconds: float, amplitude: float, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def brute_force_db(x: np.ndarray) -> float:
    """Reference: oversample everything 4x with scipy's own polyphase resampler."""
    up = signal.resample_poly(x.astype(np.float64), 4, 1)
    return 20 * math.log10(max(np.abs(up).max(), np.abs(x).max()))


def test_true_peak_sees_between_samples():
    # A quarter-rate sine sampled 45 degrees off its crests: samples at -9 dB, waveform at -6.
    x = sine(RATE / 4, 1, 0.5, phase=np.pi / 4)
    assert 20 * math.log10(np.abs(x).max()) == pytest.approx(-9.03, abs=0.01)
    assert true_peak_db(x, RATE) == pytest.approx(-6.02, abs=0.15)


def test_silence_and_empty():
    assert true_peak_db(np.zeros(RATE, dtype=np.float32), RATE) == -math.inf
    assert true_peak_db(np.zeros(0, dtype=np.float32), RATE) == -math.inf


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lazy_refinement_agrees_with_oversampling_everything(seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(RATE * 2) * 0.05).astype(np.float32)
    x[rng.integers(0, x.size, 20)] = rng.uniform(-0.9, 0.9, 20)
    measured = true_peak_db(x, RATE)
    assert measured == pytest.approx(20 * math.log10(block_peaks(x, RATE, 64).max()), abs=1e-4)
    assert measured == pytest.approx(brute_force_db(x), abs=0.1)


def test_bounds_are_never_below_exact_values():
    rng = np.random.default_rng(9)
    x = (rng.standard_normal(RATE) * 0.2).astype(np.float32)
    peaks = BlockPeaks(x, RATE, 48)
    bounds = peaks.values.copy()
    exact = peaks.refine_above(-1.0)
    assert np.all(bounds >= exact) and peaks.exact.all()


def test_refine_touches_only_blocks_above_the_level():
    x = np.zeros(4800, dtype=np.float32)
    x[1000] = 0.9
    peaks = BlockPeaks(x, RATE, 48)
    peaks.refine_above(0.5)
    assert set(np.flatnonzero(peaks.exact)) <= {19, 20, 21}


def test_block_peaks_cover_every_sample():
    x = np.zeros(1000, dtype=np.float32)
    x[999] = 0.5
    peaks = block_peaks(x, RATE, 48)
    assert peaks.size == 21 and peaks[-1] >= 0.5 and peaks[0] == 0


def test_high_rates_use_samples():
    x = sine(1000, 0.1, 0.5)
    assert true_peak_db(x, 192000) == pytest.approx(20 * math.log10(np.abs(x).max()))
