"""Offline engine: espeak-ng with its Vietnamese voices, run as a subprocess writing WAV to stdout.

Text goes in on stdin (never on the command line, where a leading '-' would read as an option);
the WAV comes back on stdout, so nothing is ever written to disk.
"""

from __future__ import annotations

from pydub import AudioSegment

from .base import EngineError
from .decode import wav_to_segment
from .process import ProcessTimeout, run_bounded

VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")
DEFAULT_WPM = 165  # a little under espeak's 175: loudspeakers in the open need clear diction
MIN_WPM, MAX_WPM = 80, 450


class EspeakEngine:
    """espeak-ng speaking Vietnamese (northern ``vi``, central, southern voices)."""

    def __init__(
        self,
        name: str = "espeak",
        binary: str = "espeak-ng",
        default_voice: str = "vi",
        base_wpm: int = DEFAULT_WPM,
        pitch: int | None = None,
    ) -> None:
        self.name = name
        self.binary = binary
        self.default_voice = default_voice
        self.base_wpm = base_wpm
        self.pitch = pitch

    def synthesize(
        self, text: str, voice: str | None, speed: float, timeout_s: float
    ) -> AudioSegment:
        if not text.strip():
            raise EngineError(self.name, "no text to speak")
        argv = self.command(voice, speed)
        try:
            result = run_bounded(argv, timeout_s, stdin_data=text.encode("utf-8"))
        except ProcessTimeout as exc:
            raise EngineError(self.name, f"timed out: {exc}") from exc
        except OSError as exc:
            raise EngineError(self.name, f"cannot run {self.binary}: {exc}") from exc
        if result.returncode != 0:
            raise EngineError(self.name, f"exit status {result.returncode}: {result.stderr_tail()}")
        return wav_to_segment(self.name, result.stdout)

    def command(self, voice: str | None, speed: float) -> list[str]:
        """The espeak-ng argv for a voice and speed factor (pure; exposed for tests/docs)."""
        chosen = voice if voice in VOICES else self.default_voice
        argv = [self.binary, "-v", chosen, "-s", str(words_per_minute(self.base_wpm, speed))]
        if self.pitch is not None:
            argv += ["-p", str(self.pitch)]
        return argv + ["-b", "1", "--stdin", "--stdout"]


def words_per_minute(base_wpm: int, speed: float) -> int:
    """Map a speed factor onto espeak's ``-s`` words per minute, within what espeak accepts."""
    return max(MIN_WPM, min(MAX_WPM, round(base_wpm * speed)))
