"""Loudness (ITU-R BS.1770 integrated, gated), a true-peak limiter and loudness normalization.

Pure numpy on mono float samples in [-1, 1]. The K-weighting filters are pyloudnorm's; the
gating is vectorised here because pyloudnorm loops over blocks in Python and copies the
signal to float64, which made a 10-minute file take seconds per measurement. The tests check
both against pyloudnorm and ffmpeg's ebur128 filter.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from pyloudnorm.iirfilter import IIRfilter
from scipy import ndimage, signal

from controller.library.truepeak import BlockPeaks

BLOCK_S = 0.4  # BS.1770 gating block, 75 % overlap
STEP_S = 0.1
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LIMITER_HOLD_S = 0.015  # gain reductions start this early and last at least this long
LIMITER_RAMP_S = 0.010  # half-length of the smoothing that turns the holds into ramps
MAX_PASSES = 6
TOLERANCE_LU = 0.1
_CHUNK = 1 << 20


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """The signal through the BS.1770 K-weighting (high shelf, then high pass)."""
    return signal.sosfilt(_k_sections(rate), np.asarray(samples, dtype=np.float32))


def gated_loudness(weighted: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS of an already K-weighted signal; -inf when all is gated."""
    step = int(round(STEP_S * rate))
    return _loudness_from_blocks(_block_sums(np.square(weighted), step), rate, step)


def _gate(power: np.ndarray) -> float:
    # BS.1770 two-stage gating over the mean-square power of each 400 ms window.
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(power)
    above = power[levels > ABSOLUTE_GATE_LUFS]
    if above.size == 0:
        return -math.inf
    relative_gate = -0.691 + 10 * math.log10(float(above.mean())) + RELATIVE_GATE_LU
    kept = power[(levels > relative_gate) & (levels > ABSOLUTE_GATE_LUFS)]
    return -0.691 + 10 * math.log10(float(kept.mean()))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS; -inf for silence."""
    return gated_loudness(k_weighted(samples, rate), rate)


def limiter_gain(block_peaks: np.ndarray, ceiling_db: float, block_s: float) -> np.ndarray:
    """Smooth gain (<= 1) per block of `block_s` seconds keeping `block_peaks * gain` under the
    ceiling, including between two block centres (see `expand_gain`).

    A centred minimum filter spreads every needed reduction over a hold window; a shorter
    box average then ramps into and out of it. Every average only contains values <= the
    gain needed at its own block and its neighbours, so the ceiling holds exactly while the
    gain never jumps (no clicks, look-ahead attack). Working per block of about a
    millisecond keeps the passes over a one-hour file cheap.
    """
    ceiling = 10 ** (ceiling_db / 20)
    need = np.minimum(1.0, ceiling / np.maximum(block_peaks, 1e-12))
    if float(need.min()) >= 1.0:
        return need
    hold = max(2, round(LIMITER_HOLD_S / block_s))
    ramp = min(hold - 1, round(LIMITER_RAMP_S / block_s))
    held = ndimage.minimum_filter1d(need, size=2 * hold + 1, mode="nearest")
    return ndimage.uniform_filter1d(held, size=2 * ramp + 1, mode="nearest")


def expand_gain(block_gain: np.ndarray, block: int, n: int) -> np.ndarray:
    """Per-sample gain, linearly interpolated between block centres."""
    centres = np.arange(block_gain.size) * block + (block - 1) / 2
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        out[start:stop] = np.interp(np.arange(start, stop, dtype=np.float64), centres, block_gain)
    return out


def normalize_loudness(
    samples: np.ndarray, rate: int, target_lufs: float, ceiling_db: float
) -> np.ndarray:
    """Gain to `target_lufs` with a true-peak limiter at `ceiling_db`.

    Plain gain would clip quiet speech with sharp peaks, so peaks are limited and the lost
    loudness made up over a few passes. The passes work on per-block energies of one
    K-weighted copy: the filter is linear and the limiter gain moves slowly, so weighting
    commutes with it closely enough, and each pass costs almost nothing.
    Raises ValueError for silence (there is no loudness to match).
    """
    x = np.asarray(samples, dtype=np.float32)
    block = _block_size(rate)
    energies = _block_sums(np.square(k_weighted(x, rate)), block)
    measured = _loudness_from_blocks(energies, rate, block)
    if not math.isfinite(measured):
        raise ValueError("silent signal has no loudness")
    peaks = BlockPeaks(x, rate, block)
    ceiling = 10 ** (ceiling_db / 20)
    gain_db = target_lufs - measured
    for _ in range(MAX_PASSES):
        level = 10 ** (gain_db / 20)
        # Only blocks that could reach the ceiling at this gain need their exact peak.
        gain = level * limiter_gain(
            peaks.refine_above(ceiling / level) * level, ceiling_db, block / rate
        )
        error = target_lufs - _loudness_from_blocks(energies * gain**2, rate, block)
        if abs(error) <= TOLERANCE_LU:
            break
        gain_db += error
    return x * expand_gain(gain, block, x.size)


def _block_size(rate: int) -> int:
    # The largest block of at most ~1 ms that divides the 100 ms gating step evenly, so the
    # 400 ms gating blocks are exact sums of limiter blocks.
    step = int(round(STEP_S * rate))
    return next(b for b in range(max(1, rate // 1000), 0, -1) if step % b == 0)


def _block_sums(values: np.ndarray, block: int) -> np.ndarray:
    # float64 sums: a float32 running total would lose the quiet blocks of a long file.
    n = values.size - values.size % block
    tail = values[n:].sum(keepdims=True, dtype=np.float64) if n < values.size else values[:0]
    whole = values[:n].reshape(-1, block).sum(axis=1, dtype=np.float64)
    return np.concatenate((whole, tail))


def _loudness_from_blocks(energies: np.ndarray, rate: int, block: int) -> float:
    # Gated loudness from per-block sums of squared K-weighted samples (same gating as
    # gated_loudness; 400 ms windows every 100 ms are sums of whole blocks).
    per_window = int(round(BLOCK_S * rate)) // block
    per_step = int(round(STEP_S * rate)) // block
    cumulative = np.concatenate(([0.0], np.cumsum(energies)))
    count = max(1, energies.size - per_window + 1)
    starts = np.arange(0, count, per_step)
    ends = np.minimum(starts + per_window, energies.size)
    return _gate((cumulative[ends] - cumulative[starts]) / (per_window * block))


@lru_cache(maxsize=8)
def _k_sections(rate: int) -> np.ndarray:
    # The same two biquads pyloudnorm's Meter uses for "K-weighting", as second-order
    # sections (sosfilt runs both in one pass, several times faster than two lfilter calls).
    stages = (
        IIRfilter(4.0, 1 / math.sqrt(2), 1500.0, rate, "high_shelf"),
        IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
    )
    return np.vstack([np.concatenate([stage.b, stage.a]) for stage in stages]).astype(np.float32)
