"""Assemble a spoken notice: chime → speech → (gap → speech) × (repeat − 1) → chime.

Input text is already normalized (:mod:`controller.tts.normalize`). Speech is synthesized once
and repeated. Loudness matching and the chime come in as parameters, so this module needs no
storage and no particular audio library module: the caller passes
``controller.library`` functions (or test stand-ins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydub import AudioSegment

from .chain import (
    DEFAULT_CLAUSE_PAUSE_MS,
    DEFAULT_SENTENCE_PAUSE_MS,
    Attempt,
    Progress,
    synthesize_with_fallback,
)
from .engines.base import TtsEngine
from .split import DEFAULT_MAX_CHARS

DEFAULT_REPEAT_GAP_MS = 2000
CHIME_GAP_MS = 400  # breathing room between the chime and the voice
SYNTHESIS_SHARE = 0.95  # progress fraction given to synthesis; assembly takes the rest
MAX_REPEAT = 5


@dataclass(frozen=True)
class ComposedNotice:
    audio: AudioSegment
    engine: str
    duration_ms: int
    attempts: list[Attempt] = field(default_factory=list)


def compose_notice(
    normalized_text: str,
    engines: Sequence[TtsEngine],
    *,
    voice: str | None = None,
    speed: float = 1.0,
    repeat: int = 1,
    chime: AudioSegment | None = None,
    pause_ms: int = DEFAULT_SENTENCE_PAUSE_MS,
    repeat_gap_ms: int = DEFAULT_REPEAT_GAP_MS,
    timeout_s: float = 15.0,
    progress: Progress | None = None,
    loudness: Callable[[AudioSegment], AudioSegment] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> ComposedNotice:
    """Speak the notice with the engine chain and assemble it (see module docstring).

    ``loudness`` is applied to the speech before assembly; the chime is used as given.
    ``progress`` receives non-decreasing fractions, the last being exactly 1.0.
    Raises ValueError for a bad ``repeat`` or empty text, AllEnginesFailed from the chain.
    """
    if not 1 <= repeat <= MAX_REPEAT:
        raise ValueError(f"repeat must be between 1 and {MAX_REPEAT}")
    result = synthesize_with_fallback(
        normalized_text,
        engines,
        voice,
        speed,
        timeout_s,
        max_chars=max_chars,
        pause_ms=pause_ms,
        clause_pause_ms=min(pause_ms, DEFAULT_CLAUSE_PAUSE_MS),
        progress=_scaled(progress, SYNTHESIS_SHARE),
    )
    speech = loudness(result.audio) if loudness else result.audio
    audio = assemble(speech, repeat=repeat, chime=chime, repeat_gap_ms=repeat_gap_ms)
    if progress is not None:
        progress(1.0)
    return ComposedNotice(audio, result.engine, len(audio), result.attempts)


def assemble(
    speech: AudioSegment,
    *,
    repeat: int = 1,
    chime: AudioSegment | None = None,
    repeat_gap_ms: int = DEFAULT_REPEAT_GAP_MS,
    chime_gap_ms: int = CHIME_GAP_MS,
) -> AudioSegment:
    """chime, gap, speech (repeated with gaps), gap, chime; no chime parts without a chime."""
    rate = speech.frame_rate
    body = speech
    for _ in range(repeat - 1):
        body = body + AudioSegment.silent(repeat_gap_ms, frame_rate=rate) + speech
    if chime is None:
        return body
    breath = AudioSegment.silent(chime_gap_ms, frame_rate=rate)
    return chime + breath + body + breath + chime


def expected_duration_ms(
    speech_ms: int, repeat: int, chime_ms: int | None, repeat_gap_ms: int, chime_gap_ms: int
) -> int:
    """Length :func:`assemble` produces (pure; for tests and job estimates)."""
    body = speech_ms * repeat + repeat_gap_ms * (repeat - 1)
    return body if chime_ms is None else body + 2 * (chime_ms + chime_gap_ms)


def _scaled(progress: Progress | None, share: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction: progress(fraction * share)
