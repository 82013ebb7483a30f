"""Building blocks for delivered audio: joining segments, loudness matching and encoding.

The TTS pipeline uses the same three helpers as the library ingest, so synthesized speech
plays at the same loudness as uploaded clips.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pydub import AudioSegment

from controller.library.loudness import integrated_loudness, normalize_loudness
from controller.library.pcm import mono_to_segment, resample, segment_to_mono
from controller.library.settings import DELIVERY_FORMATS
from controller.library.truepeak import true_peak_db

# The limiter aims this far under the true-peak limit, because lossy encoding adds a little
# overshoot; encode_delivery measures the encoded result and turns it down if still needed.
LIMITER_MARGIN_DB = 1.5
# Meters disagree by a few tenths of a dB on true peak (different interpolation filters), so
# the encoded file is checked against a slightly stricter limit than configured.
PEAK_SAFETY_DB = 0.2
ENCODE_PASSES = 4
# LAME at 64 kbit/s plays ~0.45 LU quieter than its input: inside the +-1 LU tolerance, so
# only a larger drift is worth a second encode of a long file.
DRIFT_LU = 0.5
_OVERSHOOT_STEP_DB = 0.1
# Same bytes for the same input: no encoder version string or timestamps in the output.
_BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
# Encoder options per codec. LAME's quality 5 encodes about 1.6x faster than ffmpeg's
# default with no audible difference on speech at 64 kbit/s.
_CODEC_OPTIONS = {"libmp3lame": ["-compression_level", "5"]}


class DeliveryFormat(Protocol):
    """What encode_delivery needs; AudioSettings provides it."""

    format: str
    sample_rate: int
    bitrate: str
    true_peak_db: float


@dataclass(frozen=True)
class Encoded:
    """Encoded delivery audio with figures measured on its decoded form."""

    data: bytes
    ext: str
    duration_ms: int
    lufs: float
    true_peak_db: float


def concat_with_pauses(segments: Sequence[AudioSegment], pause_ms: int) -> AudioSegment:
    """Join segments with `pause_ms` of silence between them (not before or after)."""
    if pause_ms < 0:
        raise ValueError("pause_ms must not be negative")
    if not segments:
        return AudioSegment.empty()
    rate = max(seg.frame_rate for seg in segments)
    out = segments[0]
    for seg in segments[1:]:
        out = out + AudioSegment.silent(duration=pause_ms, frame_rate=rate) + seg
    return out


def normalize_segment(seg: AudioSegment, target_lufs: float, true_peak_db: float) -> AudioSegment:
    """Mono copy of `seg` at `target_lufs`, limited under `true_peak_db` with codec headroom.

    Raises ValueError for a silent segment.
    """
    samples = segment_to_mono(seg)
    ceiling = true_peak_db - LIMITER_MARGIN_DB
    return mono_to_segment(
        normalize_loudness(samples, seg.frame_rate, target_lufs, ceiling), seg.frame_rate
    )


def encode_delivery(seg: AudioSegment, fmt_cfg: DeliveryFormat) -> bytes:
    """Encode `seg` (mono, resampled) in the delivery format, true peak kept under the limit."""
    return encode_samples(segment_to_mono(seg), seg.frame_rate, fmt_cfg).data


def encode_samples(samples: np.ndarray, rate: int, fmt_cfg: DeliveryFormat) -> Encoded:
    """Encode mono float samples, then check the decoded result: if the codec pushed the true
    peak over `fmt_cfg.true_peak_db`, or moved the loudness by more than DRIFT_LU, correct the
    gain and encode again."""
    out_rate = fmt_cfg.sample_rate
    x = resample(samples, rate, out_rate)
    wanted_lufs = integrated_loudness(x, out_rate)
    for _ in range(ENCODE_PASSES):
        data = _encode(x, fmt_cfg)
        decoded = _decode(data, fmt_cfg)
        peak = true_peak_db(decoded, out_rate)
        lufs = integrated_loudness(decoded, out_rate)
        correction = _gain_correction(
            wanted_lufs, lufs, peak, fmt_cfg.true_peak_db - PEAK_SAFETY_DB
        )
        if correction == 0.0:
            break
        x = x * np.float32(10 ** (correction / 20))
    return Encoded(
        data=data,
        ext=DELIVERY_FORMATS[fmt_cfg.format][2],
        duration_ms=round(decoded.size * 1000 / out_rate),
        lufs=lufs,
        true_peak_db=peak,
    )


def _gain_correction(wanted_lufs: float, lufs: float, peak_db: float, limit_db: float) -> float:
    """dB to add before re-encoding (0.0: the encoded file is good as it is)."""
    correction = 0.0
    if math.isfinite(wanted_lufs) and math.isfinite(lufs) and abs(wanted_lufs - lufs) > DRIFT_LU:
        correction = wanted_lufs - lufs
    if peak_db + correction > limit_db:
        correction = limit_db - peak_db - _OVERSHOOT_STEP_DB
    return correction


def _encode(samples: np.ndarray, fmt_cfg: DeliveryFormat) -> bytes:
    container, codec, _ = DELIVERY_FORMATS[fmt_cfg.format]
    seg = mono_to_segment(samples, fmt_cfg.sample_rate)
    buf = io.BytesIO()
    if codec is None:  # PCM WAV: pydub writes it directly
        seg.export(buf, format=container)
    else:
        seg.export(
            buf,
            format=container,
            codec=codec,
            bitrate=fmt_cfg.bitrate,
            parameters=_BITEXACT + _CODEC_OPTIONS.get(codec, []),
        )
    return buf.getvalue()


def _decode(data: bytes, fmt_cfg: DeliveryFormat) -> np.ndarray:
    container, codec, _ = DELIVERY_FORMATS[fmt_cfg.format]
    decoder = {"libmp3lame": "mp3", "libopus": "opus"}.get(codec or "", None)
    seg = AudioSegment.from_file(io.BytesIO(data), format=container, codec=decoder)
    return resample(segment_to_mono(seg), seg.frame_rate, fmt_cfg.sample_rate)
