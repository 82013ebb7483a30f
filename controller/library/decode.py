"""Decode an uploaded file (already probed) to mono float samples with ffmpeg through pydub."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError

from controller.library import errors
from controller.library.pcm import resample, segment_to_mono
from controller.library.probe import ProbeInfo

# A shorter decode than the container declares means the file was cut off. Allow for
# encoder padding and rounding; estimated durations (no header) are not trusted at all.
TRUNCATION_RATIO = 0.9
TRUNCATION_SLACK_S = 0.5


@dataclass(frozen=True)
class Decoded:
    samples: np.ndarray  # mono float32
    rate: int

    @property
    def duration_s(self) -> float:
        return self.samples.size / self.rate


def decode_file(path: Path, info: ProbeInfo, rate: int, max_duration_s: float) -> Decoded:
    """Decode to mono at `rate`. Raises IngestError corrupt / too_long.

    The demuxer and decoder found by the probe are forced, so ffmpeg cannot be talked into
    another format by the content; `-xerror` turns any decoding error into a refusal, and
    decoding stops just past the duration limit so a file without a declared duration cannot
    expand without bound.
    """
    try:
        seg = AudioSegment.from_file(
            str(path),
            format=info.demuxer,
            codec=info.codec,
            duration=max_duration_s + 1,
            parameters=["-xerror"],
        )
    except (CouldntDecodeError, IndexError, ValueError) as exc:
        raise errors.corrupt() from exc
    if seg.frame_count() == 0:
        raise errors.corrupt()
    decoded = Decoded(resample(segment_to_mono(seg), seg.frame_rate, rate), rate)
    if decoded.duration_s > max_duration_s:
        raise errors.too_long(None, max_duration_s)
    if _looks_truncated(info, decoded.duration_s):
        raise errors.corrupt()
    return decoded


def _looks_truncated(info: ProbeInfo, decoded_s: float) -> bool:
    if info.duration_s is None or info.duration_estimated:
        return False
    return decoded_s < info.duration_s * TRUNCATION_RATIO - TRUNCATION_SLACK_S
