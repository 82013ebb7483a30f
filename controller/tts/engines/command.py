"""Engine that runs any locally installed TTS program from a configured argv template.

A commune can plug in a better offline voice (e.g. Piper with a Vietnamese model) by config
alone. Placeholders, substituted inside each argument in a single pass (text that itself
contains "{out}" stays literal): ``{text}``, ``{text_file}`` (a UTF-8 file holding the text),
``{out}`` (where the program must write its audio; without it, audio is read from stdout),
``{voice}``, ``{speed}`` (factor, 1 = normal) and ``{length_scale}`` (1/speed, what Piper's
``--length-scale`` wants). No shell is involved. Everything happens in a private temporary
directory (also the program's working directory) that is removed afterwards.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydub import AudioSegment

from .base import EngineError
from .decode import decode_audio
from .process import ProcessTimeout, run_bounded

PLACEHOLDER = re.compile(r"\{(text|text_file|out|voice|speed|length_scale)\}")


class CommandEngine:
    """A local TTS program described by an argv template (see module docstring)."""

    def __init__(
        self,
        argv: Sequence[str],
        name: str = "command",
        stdin_text: bool = False,
        out_suffix: str = ".wav",
        audio_format: str | None = None,
        default_voice: str = "",
        voices: Mapping[str, str] | None = None,
    ) -> None:
        if not argv:
            raise ValueError("command engine needs a non-empty argv template")
        self.argv = list(argv)
        self.name = name
        self.stdin_text = stdin_text
        self.out_suffix = out_suffix
        self.audio_format = audio_format
        self.default_voice = default_voice
        self.voices = dict(voices or {})

    def synthesize(
        self, text: str, voice: str | None, speed: float, timeout_s: float
    ) -> AudioSegment:
        if not text.strip():
            raise EngineError(self.name, "no text to speak")
        with tempfile.TemporaryDirectory(prefix="tts-cmd-") as workdir:
            paths = _work_paths(Path(workdir), self.out_suffix)
            paths["text_file"].write_text(text, encoding="utf-8")
            values = {
                "text": text,
                "text_file": str(paths["text_file"]),
                "out": str(paths["out"]),
                "voice": self.voices.get(voice or "", self.default_voice),
                "speed": f"{speed:g}",
                "length_scale": f"{1 / speed:.3g}",
            }
            argv = render_argv(self.argv, values)
            stdin = text.encode("utf-8") if self.stdin_text else None
            audio = self._run(argv, stdin, workdir, paths["out"], timeout_s)
        return decode_audio(self.name, audio, timeout_s, fmt=self.audio_format)

    def _run(
        self, argv: list[str], stdin: bytes | None, workdir: str, out: Path, timeout_s: float
    ) -> bytes:
        try:
            result = run_bounded(argv, timeout_s, stdin_data=stdin, cwd=workdir)
        except ProcessTimeout as exc:
            raise EngineError(self.name, f"timed out: {exc}") from exc
        except FileNotFoundError as exc:
            raise EngineError(self.name, f"program not found: {argv[0]}") from exc
        except OSError as exc:
            raise EngineError(self.name, f"cannot run {argv[0]}: {exc}") from exc
        if result.returncode != 0:
            raise EngineError(self.name, f"exit status {result.returncode}: {result.stderr_tail()}")
        if not self.writes_file:
            return result.stdout
        if not out.exists():
            raise EngineError(self.name, "program wrote no output file")
        return out.read_bytes()

    @property
    def writes_file(self) -> bool:
        return any("{out}" in arg for arg in self.argv)


def render_argv(template: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Substitute placeholders in each argument in one pass (pure)."""
    return [PLACEHOLDER.sub(lambda m: values[m.group(1)], arg) for arg in template]


def _work_paths(workdir: Path, out_suffix: str) -> dict[str, Path]:
    return {"text_file": workdir / "text.txt", "out": workdir / f"speech{out_suffix}"}
