"""Volume scaling of s16le PCM chunks."""

from __future__ import annotations

import sys
from array import array


def apply_gain(pcm: bytes, gain: float) -> bytes:
    """Scale samples by `gain` (0..1), clipping; unity gain returns the input untouched."""
    if gain >= 0.999:
        return pcm
    if gain <= 0.0:
        return bytes(len(pcm))
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    scaled = array("h", [int(s * gain) for s in samples])  # |s*gain| <= |s|: no clipping needed
    if sys.byteorder == "big":
        scaled.byteswap()
    return scaled.tobytes()
