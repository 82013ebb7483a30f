"""An original intro/outro chime, synthesized in code: four soft bell tones rising on a
pentatonic figure, each with inharmonic partials and an exponential decay.

`python -m controller.library.chime [OUT]` renders it loudness-matched to the library
(default settings) into OUT, by default `audio_library/chime.mp3`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from pydub import AudioSegment

from controller.library.compose import encode_delivery, normalize_segment
from controller.library.pcm import mono_to_segment
from controller.library.settings import AudioSettings

RATE = 48000
# (start s, frequency Hz, level): G4 C5 D5 G5, a rising do-re-sol figure common to
# Vietnamese pentatonic melodies; the last note rings longest.
NOTES = ((0.00, 392.00, 0.8), (0.30, 523.25, 0.8), (0.60, 587.33, 0.8), (0.95, 783.99, 1.0))
# Bell partials: (frequency ratio, relative level, decay time constant s). The non-integer
# ratios give a struck-metal colour; the high partials die away first, as in a real bell.
PARTIALS = ((1.0, 1.0, 0.9), (2.0, 0.4, 0.55), (2.76, 0.22, 0.35), (5.4, 0.08, 0.15))
ATTACK_S = 0.008  # soft mallet: a short raised-cosine onset instead of a click
LENGTH_S = 3.2
FADE_S = 0.3
PEAK = 0.5


def bell(freq: float, seconds: float, rate: int = RATE) -> np.ndarray:
    """One bell stroke at `freq`, peak-normalized to 1."""
    t = np.arange(int(seconds * rate)) / rate
    tone = sum(
        level * np.exp(-t / decay) * np.sin(2 * np.pi * freq * ratio * t)
        for ratio, level, decay in PARTIALS
    )
    attack = int(ATTACK_S * rate)
    tone[:attack] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    return tone / np.abs(tone).max()


def chime_samples(rate: int = RATE) -> np.ndarray:
    """The chime as mono float samples (deterministic)."""
    out = np.zeros(int(LENGTH_S * rate))
    for start, freq, level in NOTES:
        offset = int(start * rate)
        stroke = bell(freq, LENGTH_S - start, rate)[: out.size - offset]
        out[offset : offset + stroke.size] += level * stroke
    fade = int(FADE_S * rate)
    out[-fade:] *= np.linspace(1.0, 0.0, fade)
    return (PEAK * out / np.abs(out).max()).astype(np.float32)


def make_chime() -> AudioSegment:
    """The chime as a 48 kHz mono 16-bit AudioSegment (not loudness-normalized)."""
    return mono_to_segment(chime_samples(RATE), RATE)


def render_chime(settings: AudioSettings) -> bytes:
    """The chime encoded for delivery at the library's loudness."""
    seg = normalize_segment(make_chime(), settings.target_lufs, settings.true_peak_db)
    return encode_delivery(seg, settings)


def main() -> None:
    parser = argparse.ArgumentParser(description="Render the intro/outro chime.")
    parser.add_argument("out", nargs="?", type=Path, default=Path("audio_library/chime.mp3"))
    args = parser.parse_args()
    args.out.write_bytes(render_chime(AudioSettings()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
