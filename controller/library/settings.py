"""Audio processing settings: loudness target, limits and delivery format, with their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

#: Where the media store lives when config `storage.media_dir` is not set.
DEFAULT_MEDIA_DIR = Path("audio_library/store")

#: Delivery formats we can encode: name -> (pydub/ffmpeg container, codec, file extension).
DELIVERY_FORMATS: dict[str, tuple[str, str | None, str]] = {
    "mp3": ("mp3", "libmp3lame", "mp3"),
    "opus": ("ogg", "libopus", "opus"),
    "wav": ("wav", None, "wav"),
}


@dataclass(frozen=True)
class AudioSettings:
    """How uploads are checked and processed (config section `audio`)."""

    target_lufs: float = -16.0
    true_peak_db: float = -1.0
    max_duration_s: float = 3600.0
    max_upload_bytes: int = 200 * 1024 * 1024
    format: str = "mp3"
    sample_rate: int = 48000
    bitrate: str = "64k"
    # Peak level under which a whole upload counts as silent; also the floor for trimming.
    silence_threshold_dbfs: float = -60.0

    def __post_init__(self) -> None:
        if self.format not in DELIVERY_FORMATS:
            raise ValueError(f"unsupported delivery format {self.format!r}")
        if not -40.0 <= self.target_lufs <= -5.0:
            raise ValueError("target_lufs must be between -40 and -5")
        if not -9.0 <= self.true_peak_db <= 0.0:
            raise ValueError("true_peak_db must be between -9 and 0")
        if self.max_duration_s <= 0 or self.max_upload_bytes <= 0:
            raise ValueError("limits must be positive")
        if self.sample_rate not in (8000, 16000, 22050, 24000, 32000, 44100, 48000):
            raise ValueError(f"unsupported sample rate {self.sample_rate}")
        if self.format == "opus" and self.sample_rate not in (8000, 16000, 24000, 48000):
            raise ValueError("opus needs a sample rate of 8, 16, 24 or 48 kHz")

    @property
    def extension(self) -> str:
        """File extension of the delivery format."""
        return DELIVERY_FORMATS[self.format][2]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> AudioSettings:
        """Build settings from a config section; unknown keys are an error (typos fail loudly)."""
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown audio settings: {', '.join(sorted(unknown))}")
        return cls(**values)
