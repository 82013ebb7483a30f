"""The interface every text-to-speech engine implements, and the error it raises."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydub import AudioSegment


class EngineError(Exception):
    """An engine could not speak the text; ``reason`` says why in a few words (for logs/API)."""

    def __init__(self, engine: str, reason: str) -> None:
        super().__init__(f"{engine}: {reason}")
        self.engine = engine
        self.reason = reason


@runtime_checkable
class TtsEngine(Protocol):
    """Turns (already normalized) Vietnamese text into audio.

    ``speed`` is a factor (1.0 = the engine's natural rate). ``voice`` is an engine-specific
    voice id or ``None`` for the engine's default; an engine that does not know the voice
    uses its default rather than failing, so one voice setting can travel down a fallback
    chain. Implementations must return within about ``timeout_s`` and raise
    :class:`EngineError` on any failure, including a timeout.
    """

    name: str

    def synthesize(
        self, text: str, voice: str | None, speed: float, timeout_s: float
    ) -> AudioSegment: ...
