"""ffmpeg as a PCM source: decode media files (in order) or pull a live HTTP stream."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class PcmSource(Protocol):
    def read(self, size: int) -> bytes:
        """Up to `size` bytes of s16le mono PCM; b"" at the end."""
        ...

    def close(self) -> None: ...


class FfmpegSource:
    def __init__(self, args: list[str]) -> None:
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def read(self, size: int) -> bytes:
        assert self._proc.stdout is not None
        out = bytearray()
        while len(out) < size:  # a pipe read may return less than asked before the end
            chunk = self._proc.stdout.read1(size - len(out))
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    @property
    def returncode(self) -> int | None:
        return self._proc.poll()


def _output_args(sample_rate: int) -> list[str]:
    return ["-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate), "-"]


def decode_files(
    paths: Sequence[Path], sample_rate: int, gaps_ms: Sequence[int] = ()
) -> FfmpegSource:
    """One PCM stream of all files in order, whatever their formats and rates.

    ``gaps_ms[i]`` milliseconds of silence follow file ``i`` (the pause between two readings
    of a notice), padded inside the same stream so timing stays sample-exact.
    """
    args = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error"]
    for path in paths:
        args += ["-i", str(path)]
    gaps = list(gaps_ms) + [0] * (len(paths) - len(gaps_ms))
    chains = "".join(
        f"[{i}:a]aresample={sample_rate},aformat=sample_fmts=s16:channel_layouts=mono"
        + (f",apad=pad_dur={gaps[i] / 1000:.3f}" if gaps[i] > 0 else "")
        + f"[a{i}];"
        for i in range(len(paths))
    )
    inputs = "".join(f"[a{i}]" for i in range(len(paths)))
    graph = f"{chains}{inputs}concat=n={len(paths)}:v=0:a=1[out]"
    return FfmpegSource(
        args + ["-filter_complex", graph, "-map", "[out]"] + _output_args(sample_rate)
    )


def open_stream(url: str, sample_rate: int) -> FfmpegSource:
    """A live stream read at its own pace (-re), with ffmpeg's HTTP reconnects."""
    args = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-re"]
    if url.startswith(("http://", "https://")):
        args += ["-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_delay_max", "5"]
    return FfmpegSource(args + ["-i", url] + _output_args(sample_rate))
