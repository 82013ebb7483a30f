"""True peak (ITU-R BS.1770-4 Annex 2: 4x oversampling), computed only where it can matter.

Oversampling a whole one-hour file is the most expensive step of the pipeline, yet the peaks
that decide anything are few. Each block first gets a cheap upper bound (the largest sample
nearby times the interpolator's largest gain); blocks are oversampled exactly only when that
bound is above the level being asked about.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import signal

TAPS_PER_PHASE = 12  # a 48-tap, 4-phase interpolator, as in BS.1770-4 Annex 2
PHASES = 4
_HALF = TAPS_PER_PHASE // 2
_BLOCKS_PER_STEP = 16384  # exact oversampling works on this many blocks at a time
_MEASURE_BLOCK = 64


class BlockPeaks:
    """Per-block peak levels (linear) of a mono signal.

    `values` holds an upper bound for every block until the block is refined, then its exact
    true peak; `exact` says which. Blocks must be at least half the interpolator long.
    """

    def __init__(self, samples: np.ndarray, rate: int, block: int) -> None:
        if block < _HALF:
            raise ValueError(f"block must be at least {_HALF} samples")
        x = np.asarray(samples, dtype=np.float32)
        self.block = block
        self._x = np.pad(x, (0, -x.size % block))  # zeros never raise a peak
        self.sample_peaks = np.abs(self._x).reshape(-1, block).max(axis=1)
        self._oversample = rate < 96000  # at 96 kHz and above samples already show the peaks
        if not self._oversample:
            self.values = self.sample_peaks.copy()
            self.exact = np.ones(self.values.size, dtype=bool)
            return
        self._padded = np.pad(self._x, (_HALF, TAPS_PER_PHASE - _HALF - 1))
        # An interpolated value depends on samples up to 6 away: within the neighbour blocks.
        near = self.sample_peaks.copy()
        near[1:] = np.maximum(near[1:], self.sample_peaks[:-1])
        near[:-1] = np.maximum(near[:-1], self.sample_peaks[1:])
        self.values = near * _max_gain()
        self.exact = np.zeros(self.values.size, dtype=bool)

    def refine_above(self, level: float) -> np.ndarray:
        """Make exact every block whose bound is above `level`; returns `values`."""
        todo = np.flatnonzero(~self.exact & (self.values > level))
        for start in range(0, todo.size, _BLOCKS_PER_STEP):
            blocks = todo[start : start + _BLOCKS_PER_STEP]
            self.values[blocks] = self._exact(blocks)
        self.exact[todo] = True
        return self.values

    def _exact(self, blocks: np.ndarray) -> np.ndarray:
        span = np.arange(self.block + TAPS_PER_PHASE - 1)
        rows = self._padded[blocks[:, None] * self.block + span]
        taps = _interpolator()
        peak = self.sample_peaks[blocks].copy()
        for phase in range(PHASES):
            # Plain multiply-adds rather than a BLAS product: BLAS threads spin and slow down
            # badly when the server's two cores are busy with other work.
            acc = np.zeros((blocks.size, self.block), dtype=np.float32)
            for tap in range(TAPS_PER_PHASE):
                acc += taps[tap, phase] * rows[:, tap : tap + self.block]
            np.maximum(peak, np.abs(acc).max(axis=1), out=peak)
        return peak


def block_peaks(samples: np.ndarray, rate: int, block: int) -> np.ndarray:
    """Exact true peak (linear) of every run of `block` samples."""
    return BlockPeaks(samples, rate, block).refine_above(-1.0)


def true_peak_db(samples: np.ndarray, rate: int) -> float:
    """True peak in dBTP; -inf for silence."""
    if np.size(samples) == 0:
        return -math.inf
    peaks = BlockPeaks(samples, rate, _MEASURE_BLOCK)
    sample_peak = float(peaks.sample_peaks.max())
    # Blocks whose bound is under the largest sample cannot hold the true peak.
    values = peaks.refine_above(sample_peak)
    peak = max(sample_peak, float(values[peaks.exact].max(initial=0.0)))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


@lru_cache(maxsize=1)
def _interpolator() -> np.ndarray:
    # A windowed-sinc 4x interpolator split into its phases: a (12, 4) matrix whose columns
    # are the time-reversed taps producing each position between two samples.
    taps = signal.firwin(PHASES * TAPS_PER_PHASE, 1 / PHASES, window=("kaiser", 5.0)) * PHASES
    return np.stack([taps[k::PHASES][::-1] for k in range(PHASES)], axis=1).astype(np.float32)


@lru_cache(maxsize=1)
def _max_gain() -> float:
    # No interpolated value can exceed the largest nearby sample times this.
    return max(1.0, float(np.abs(_interpolator()).sum(axis=0).max())) * 1.0001
