"""Conversions between pydub AudioSegments and mono float sample arrays, and resampling."""

from __future__ import annotations

import math

import numpy as np
from pydub import AudioSegment
from scipy import signal

_INT_TYPES = {1: np.uint8, 2: np.int16, 4: np.int32}


def segment_to_mono(seg: AudioSegment) -> np.ndarray:
    """Samples of `seg` as mono float32 in [-1, 1] (channels averaged)."""
    width = seg.sample_width
    raw = np.frombuffer(seg.raw_data, dtype=_INT_TYPES[width])
    if width == 1:  # 8-bit PCM is unsigned
        data = (raw.astype(np.float32) - 128.0) / 128.0
    else:
        data = raw.astype(np.float32) / float(2 ** (8 * width - 1))
    if seg.channels > 1:
        data = data[: data.size - data.size % seg.channels]
        data = data.reshape(-1, seg.channels).mean(axis=1, dtype=np.float32)
    return data


def mono_to_segment(samples: np.ndarray, rate: int) -> AudioSegment:
    """A 16-bit mono AudioSegment from float samples (clipped to full scale)."""
    pcm = np.clip(np.asarray(samples, dtype=np.float32) * 32768.0, -32768, 32767)
    return AudioSegment(
        data=np.round(pcm).astype("<i2").tobytes(), sample_width=2, frame_rate=rate, channels=1
    )


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited polyphase resampling (pydub's own resampler aliases audibly)."""
    if rate_in == rate_out:
        return samples
    common = math.gcd(rate_in, rate_out)
    out = signal.resample_poly(samples, rate_out // common, rate_in // common)
    return out.astype(np.float32, copy=False)
