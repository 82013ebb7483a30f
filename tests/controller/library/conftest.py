"""Real audio files made with ffmpeg/sox at test time, and an independent loudness meter."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from controller.library.settings import AudioSettings
from controller.library.store import MediaStore

# Band-limited pink noise switched on and off at syllable rate, with sharp onsets: a hard case
# for loudness matching (quiet on average, peaky), like a speech recording.
SPEECH_LIKE = (
    "anoisesrc=color=pink:amplitude=0.08:sample_rate=44100:seed=7,"
    "highpass=f=120,lowpass=f=5000,"
    "volume='0.1+0.9*gt(sin(2*PI*4*t)*sin(2*PI*0.7*t),0)':eval=frame"
)

# name -> (file name, ffmpeg output options); AMR is made by sox (see make_amr).
FORMATS: dict[str, tuple[str, list[str]]] = {
    "mp3": ("clip.mp3", ["-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k"]),
    "wav": ("clip.wav", ["-ac", "2", "-c:a", "pcm_s16le"]),
    "m4a": ("clip.m4a", ["-ac", "2", "-c:a", "aac", "-b:a", "96k"]),
    "aac": ("clip.aac", ["-ac", "1", "-c:a", "aac", "-b:a", "96k", "-f", "adts"]),
    "ogg_opus": ("clip.opus", ["-ac", "1", "-c:a", "libopus", "-b:a", "48k", "-f", "ogg"]),
    "ogg_vorbis": ("clip.ogg", ["-ac", "2", "-c:a", "libvorbis"]),
    "webm": ("clip.webm", ["-ac", "1", "-c:a", "libopus", "-b:a", "32k", "-f", "webm"]),
    "flac": ("clip.flac", ["-ac", "1", "-c:a", "flac"]),
}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def make_clip(path: Path, options: list[str], seconds: float = 3.0, source: str = "") -> Path:
    ffmpeg("-f", "lavfi", "-t", str(seconds), "-i", source or SPEECH_LIKE, *options, str(path))
    return path


def make_amr(path: Path, seconds: float = 3.0) -> Path:
    """A real AMR-NB file. Debian's ffmpeg can decode AMR but has no AMR encoder; sox encodes
    it through libopencore-amrnb (installed with libsox-fmt-base)."""
    wav = make_clip(path.with_suffix(".src.wav"), ["-ac", "1", "-ar", "8000"], seconds)
    subprocess.run(["sox", str(wav), "-t", "amr-nb", str(path)], check=True)
    wav.unlink()
    return path


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ebur128 filter."""
    proc = subprocess.run(
        ["ffmpeg", "-nostats", "-nostdin", "-i", str(path), "-af", "ebur128=peak=true"]
        + ["-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = proc.stderr[proc.stderr.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return integrated, peak


def stream_info(path: Path) -> dict:
    proc = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format", str(path)],
        capture_output=True,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One short speech-like clip in every accepted format."""
    root = tmp_path_factory.mktemp("clips")
    made = {name: make_clip(root / fname, opts) for name, (fname, opts) in FORMATS.items()}
    made["amr"] = make_amr(root / "clip.amr")
    return made


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "store")


@pytest.fixture
def settings() -> AudioSettings:
    return AudioSettings()


def stored_files(store: MediaStore) -> list[Path]:
    """Every file under the store root (tests compare before/after)."""
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []
