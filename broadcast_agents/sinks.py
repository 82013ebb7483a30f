"""Where PCM goes: ALSA (aplay), a directory of WAV files with timing sidecars, or nowhere.

The player owns timing; a sink only takes 16-bit little-endian mono PCM in order.
"""

from __future__ import annotations

import json
import re
import subprocess
import wave
from datetime import datetime
from pathlib import Path
from typing import Protocol

from .protocol import format_time


class SinkSession(Protocol):
    def started(self, first_sample_at: datetime) -> None: ...
    def write(self, pcm: bytes) -> None: ...
    def close(self) -> None: ...


class Sink(Protocol):
    def open(self, item_id: str, sample_rate: int) -> SinkSession: ...


class NullSession:
    def started(self, first_sample_at: datetime) -> None:
        pass

    def write(self, pcm: bytes) -> None:
        pass

    def close(self) -> None:
        pass


class NullSink:
    def open(self, item_id: str, sample_rate: int) -> SinkSession:
        return NullSession()


class AlsaSession:
    def __init__(self, device: str | None, sample_rate: int) -> None:
        args = ["aplay", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(sample_rate)]
        if device:
            args += ["-D", device]
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE)

    def started(self, first_sample_at: datetime) -> None:
        pass

    def write(self, pcm: bytes) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(pcm)

    def close(self) -> None:
        # Killing (rather than draining) stops the sound at once when preempted or stopped.
        self._proc.kill()
        self._proc.wait()


class AlsaSink:
    def __init__(self, device: str | None = None) -> None:
        self.device = device

    def open(self, item_id: str, sample_rate: int) -> SinkSession:
        return AlsaSession(self.device, sample_rate)


class FileSession:
    """One WAV per played item plus `<name>.json` with the first sample's wall-clock time."""

    def __init__(self, wav_path: Path, item_id: str, node: str, sample_rate: int) -> None:
        self.wav_path = wav_path
        self.sidecar = wav_path.with_suffix(".json")
        self._meta = {"item": item_id, "node": node, "sample_rate": sample_rate}
        self._wav = wave.open(str(wav_path), "wb")  # noqa: SIM115 - closed in close()
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self._samples = 0

    def started(self, first_sample_at: datetime) -> None:
        self._meta["first_sample_at"] = format_time(first_sample_at)
        self._write_sidecar()

    def write(self, pcm: bytes) -> None:
        self._wav.writeframes(pcm)
        self._samples += len(pcm) // 2

    def close(self) -> None:
        self._wav.close()
        self._meta["samples"] = self._samples
        self._write_sidecar()

    def _write_sidecar(self) -> None:
        tmp = self.sidecar.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self._meta), encoding="utf-8")
        tmp.replace(self.sidecar)


class FileSink:
    def __init__(self, directory: Path, node: str = "") -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.node = node

    def open(self, item_id: str, sample_rate: int) -> SinkSession:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", item_id)[:100] or "item"
        n = 1
        path = self.dir / f"{safe}.wav"
        while path.exists():  # a relay that resumes gets a second file
            n += 1
            path = self.dir / f"{safe}.{n}.wav"
        return FileSession(path, item_id, self.node, sample_rate)


def make_sink(spec: str, node: str = "") -> Sink:
    """`alsa`, `alsa:DEVICE`, `file:DIR` or `null`."""
    kind, _, arg = spec.partition(":")
    if kind == "alsa":
        return AlsaSink(arg or None)
    if kind == "file" and arg:
        return FileSink(Path(arg), node)
    if kind == "null":
        return NullSink()
    raise ValueError(f"unknown sink {spec!r} (alsa, alsa:DEVICE, file:DIR or null)")
