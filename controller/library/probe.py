"""Find what an uploaded file really is with ffprobe, before anything decodes it in full."""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from controller.library import errors

# Demuxers allowed to open uploads. Everything else (playlists such as HLS or concat, which
# would make ffmpeg open other files or URLs, images, subtitles...) is refused unread.
ALLOWED_DEMUXERS = ("mp3", "wav", "mov", "aac", "ogg", "matroska", "flac", "amr")
PROBE_TIMEOUT_S = 30


@dataclass(frozen=True)
class ProbeInfo:
    """What ffprobe found: the demuxer, the first audio stream, and the declared duration."""

    demuxer: str  # the short name to force when decoding, e.g. "mov"
    format_names: tuple[str, ...]  # ffprobe's format_name split, e.g. ("mov", "mp4", "m4a", ...)
    codec: str
    sample_rate: int
    channels: int
    duration_s: float | None  # None when the container does not say (browser webm)
    duration_estimated: bool  # True when ffmpeg guessed it from the bitrate (unreliable)


def probe_file(path: Path) -> ProbeInfo:
    """Probe `path`; raises IngestError("not_audio") when it is not an audio file we accept."""
    cmd = [
        "ffprobe",
        "-v",
        "warning",
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        ",".join(ALLOWED_DEMUXERS),
        "-of",
        "json",
        "-show_format",
        "-show_streams",
        "-i",
        str(path),
    ]
    proc = subprocess.run(cmd, capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        raise errors.not_audio()
    return parse_probe(proc.stdout, proc.stderr.decode(errors="replace"))


def parse_probe(stdout: bytes, stderr: str) -> ProbeInfo:
    """Turn ffprobe's JSON into ProbeInfo (pure; raises not_audio when there is no audio)."""
    try:
        data = json.loads(stdout or b"{}")
    except ValueError as exc:
        raise errors.not_audio() from exc
    fmt = data.get("format") or {}
    names = tuple(n for n in str(fmt.get("format_name", "")).split(",") if n)
    demuxer = next((n for n in names if n in ALLOWED_DEMUXERS), None)
    audio = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if demuxer is None or not audio:
        raise errors.not_audio()
    stream = audio[0]
    return ProbeInfo(
        demuxer=demuxer,
        format_names=names,
        codec=str(stream.get("codec_name", "")),
        sample_rate=_to_int(stream.get("sample_rate")),
        channels=_to_int(stream.get("channels")),
        duration_s=_duration(fmt, stream),
        duration_estimated="Estimating duration from bitrate" in stderr,
    )


def original_extension(info: ProbeInfo) -> str:
    """The extension we store the original under, chosen from the probed format (whitelist)."""
    if info.demuxer == "ogg":
        return "opus" if info.codec == "opus" else "ogg"
    if info.demuxer == "matroska":
        return "webm" if "webm" in info.format_names else "mka"
    if info.demuxer == "mov":
        # Phones save AMR speech in 3GP; everything else in this family is MP4 audio.
        return "3gp" if info.codec.startswith("amr") else "m4a"
    return info.demuxer  # mp3, wav, aac, flac, amr: the demuxer name is the usual extension


def _duration(fmt: dict, stream: dict) -> float | None:
    for raw in (fmt.get("duration"), stream.get("duration")):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            continue
        if math.isfinite(value) and value >= 0:
            return value
    return None


def _to_int(raw: object) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return 0
