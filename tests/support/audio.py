"""Small real audio files for tests, made with ffmpeg (sine tones), plus their media refs."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def make_tone(path: Path, seconds: float, freq: int = 440, fmt: str = "mp3") -> Path:
    path = path.with_suffix(f".{fmt}")
    subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"),
            f"sine=frequency={freq}:duration={seconds}:sample_rate=22050",
            *("-ac", "1", str(path)),
        ],
        check=True,
    )
    return path


def media_ref(path: Path, url: str, duration_ms: int) -> dict:
    data = path.read_bytes()
    return {
        "url": url,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "duration_ms": duration_ms,
    }
