"""Speak text with the first engine of a chain that succeeds, sentence by sentence.

The text is split into chunks (:mod:`controller.tts.split`); one engine must speak every chunk,
so a notice never changes voice half-way. When an engine fails or times out on any chunk, the
next engine starts again from the first chunk. Chunks are joined with a pause: a longer one
after a sentence, a shorter one where an over-long sentence was cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from pydub import AudioSegment

from .engines.base import EngineError, TtsEngine
from .split import DEFAULT_MAX_CHARS, Chunk, split_chunks

DEFAULT_SENTENCE_PAUSE_MS = 350
DEFAULT_CLAUSE_PAUSE_MS = 150

Progress = Callable[[float], None]


class Attempt(NamedTuple):
    """An engine that was tried and failed, with the reason."""

    engine: str
    error: str


class SynthesisResult(NamedTuple):
    """Unpacks as ``(audio, engine_name, attempts)``."""

    audio: AudioSegment
    engine: str
    attempts: list[Attempt]


class AllEnginesFailed(Exception):
    """No engine of the chain could speak the text."""

    message_vi = "Không chuyển được văn bản thành giọng nói: mọi bộ đọc đều lỗi."

    def __init__(self, attempts: list[Attempt]) -> None:
        detail = "; ".join(f"{a.engine}: {a.error}" for a in attempts) or "no engine configured"
        super().__init__(f"all TTS engines failed ({detail})")
        self.attempts = attempts


def synthesize_with_fallback(
    text: str,
    engines: Sequence[TtsEngine],
    voice: str | None = None,
    speed: float = 1.0,
    timeout_s: float = 15.0,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    pause_ms: int = DEFAULT_SENTENCE_PAUSE_MS,
    clause_pause_ms: int = DEFAULT_CLAUSE_PAUSE_MS,
    progress: Progress | None = None,
) -> SynthesisResult:
    """Speak ``text``; ``progress`` gets a non-decreasing fraction after each chunk, ending at 1.

    Raises ValueError for text with nothing to speak or an absurd speed, and AllEnginesFailed
    when every engine failed (``timeout_s`` bounds each engine call, i.e. each chunk).
    """
    if not 0.25 <= speed <= 4.0:
        raise ValueError("speed must be between 0.25 and 4")
    chunks = split_chunks(text, max_chars)
    if not chunks:
        raise ValueError("no text to speak")
    report = MonotonicProgress(progress)
    attempts: list[Attempt] = []
    for engine in engines:
        try:
            pieces = _speak_all(engine, chunks, voice, speed, timeout_s, report)
        except EngineError as exc:
            attempts.append(Attempt(engine.name, exc.reason))
            continue
        report(1.0)
        audio = join_with_pauses(pieces, pause_ms, clause_pause_ms)
        return SynthesisResult(audio, engine.name, attempts)
    raise AllEnginesFailed(attempts)


def _speak_all(
    engine: TtsEngine,
    chunks: list[Chunk],
    voice: str | None,
    speed: float,
    timeout_s: float,
    report: Progress,
) -> list[tuple[AudioSegment, Chunk]]:
    pieces = []
    for index, chunk in enumerate(chunks):
        pieces.append((engine.synthesize(chunk.text, voice, speed, timeout_s), chunk))
        report((index + 1) / len(chunks))
    return pieces


def join_with_pauses(
    pieces: Sequence[tuple[AudioSegment, Chunk]], pause_ms: int, clause_pause_ms: int
) -> AudioSegment:
    """Concatenate spoken chunks with silence between them (none after the last)."""
    audio = pieces[0][0]
    for (_, before), (segment, _) in zip(pieces, pieces[1:], strict=False):
        gap = pause_ms if before.sentence_end else clause_pause_ms
        audio = audio + AudioSegment.silent(gap, frame_rate=audio.frame_rate) + segment
    return audio


class MonotonicProgress:
    """Forwards progress fractions, never going backwards (a fallback restarts the chunks)."""

    def __init__(self, sink: Progress | None) -> None:
        self._sink = sink
        self.value = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, fraction)
        if fraction <= self.value:
            return
        self.value = fraction
        if self._sink is not None:
            self._sink(fraction)
