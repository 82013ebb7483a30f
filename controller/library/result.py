"""The outcome of an ingest and its JSON record (kept next to the media for deduplication)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from controller.library.settings import AudioSettings

# Bump when processing changes in a way that should give new delivery files for old uploads.
PIPELINE_VERSION = 1


@dataclass(frozen=True)
class IngestResult:
    """A stored upload: `sha256`/`bytes`/`duration_ms` describe the delivery file that nodes
    download; the original is kept as uploaded."""

    sha256: str
    bytes: int
    duration_ms: int
    lufs: float
    true_peak_db: float
    original_sha256: str
    original_ext: str
    delivery_path: Path
    original_path: Path

    @property
    def ext(self) -> str:
        """Extension of the delivery file."""
        return self.delivery_path.suffix.lstrip(".")


def processing_profile(settings: AudioSettings, trim_silence: bool) -> str:
    """Short digest of everything that shapes the delivery file, so one original processed
    with different settings is a different result while identical uploads share one."""
    parts = [
        PIPELINE_VERSION,
        settings.target_lufs,
        settings.true_peak_db,
        settings.format,
        settings.sample_rate,
        settings.bitrate,
        settings.silence_threshold_dbfs if trim_silence else None,
        trim_silence,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:12]


def to_record(result: IngestResult) -> bytes:
    """JSON bytes of a result, paths reduced to file names (the store can move)."""
    data = asdict(result)
    data["delivery_path"] = result.delivery_path.name
    data["original_path"] = result.original_path.name
    return json.dumps(data, sort_keys=True).encode()


def from_record(raw: bytes) -> IngestResult:
    """Rebuild a result from `to_record` output; its paths are bare file names."""
    data = json.loads(raw)
    data["delivery_path"] = Path(data["delivery_path"])
    data["original_path"] = Path(data["original_path"])
    return IngestResult(**data)
