"""Benchmark: ingest a 10-minute speech-like MP3 (target under 15 s on the 2-core server).

Run: .venv/bin/python bench/ingest.py [--minutes 10]
Prints `name: value unit` lines: the whole ingest, then each stage timed on its own, each as
wall time and as CPU seconds (this process plus its ffmpeg children).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from controller.library.compose import LIMITER_MARGIN_DB, encode_samples
from controller.library.decode import decode_file
from controller.library.ingest import ingest_file
from controller.library.loudness import normalize_loudness
from controller.library.probe import probe_file
from controller.library.settings import AudioSettings
from controller.library.store import MediaStore

# Pink noise gated on and off at syllable rate, band-limited like a voice: close enough to
# speech for the limiter and loudness passes to do real work.
SPEECH_LIKE = (
    "anoisesrc=color=pink:amplitude=0.3:sample_rate=44100,"
    "highpass=f=120,lowpass=f=5000,"
    "volume='0.15+0.85*gt(sin(2*PI*4*t)*sin(2*PI*0.3*t),0)':eval=frame"
)


def make_source(path: Path, minutes: float) -> None:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-t", str(minutes * 60), "-i", SPEECH_LIKE]
        + ["-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", str(path)],
        check=True,
    )


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (ffmpeg): load-independent."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, func, *args):  # noqa: ANN001, ANN202 - tiny bench helper
    start, cpu = time.perf_counter(), cpu_seconds()
    result = func(*args)
    print(f"ingest.{label}: {time.perf_counter() - start:.2f} s")
    print(f"ingest.{label}_cpu: {cpu_seconds() - cpu:.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    settings = AudioSettings()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.mp3"
        make_source(source, args.minutes)
        print(f"ingest.source_bytes: {source.stat().st_size} B")
        # Wall time depends on what else the 2 cores run; CPU time and load make it comparable.
        print(f"ingest.load_average_1min: {os.getloadavg()[0]:.2f}")
        result = timed("total", ingest_file, source, MediaStore(Path(tmp) / "s"), settings)
        print(f"ingest.delivered_lufs: {result.lufs:.2f} LUFS")
        print(f"ingest.delivered_true_peak: {result.true_peak_db:.2f} dBTP")
        print(f"ingest.delivered_bytes: {result.bytes} B")
        info = timed("stage_probe", probe_file, source)
        decoded = timed(
            "stage_decode", decode_file, source, info, settings.sample_rate, settings.max_duration_s
        )
        ceiling = settings.true_peak_db - LIMITER_MARGIN_DB
        normalized = timed(
            "stage_normalize",
            normalize_loudness,
            decoded.samples,
            decoded.rate,
            settings.target_lufs,
            ceiling,
        )
        timed("stage_encode_and_verify", encode_samples, normalized, decoded.rate, settings)


if __name__ == "__main__":
    main()
