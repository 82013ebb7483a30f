"""Skip an engine for a while after it failed, so an unreachable online engine does not cost a
full timeout on every notice (a village whose internet is down for the day).

Wrap engines that live as long as the application (built once at start-up); the wrapper keeps
the inner engine's name, so results and cache keys are unchanged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pydub import AudioSegment

from .base import EngineError, TtsEngine


class CooldownEngine:
    """Raises EngineError at once for ``cooldown_s`` seconds after the inner engine failed."""

    def __init__(
        self,
        inner: TtsEngine,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._resume_at = float("-inf")
        self._last_reason = ""

    def synthesize(
        self, text: str, voice: str | None, speed: float, timeout_s: float
    ) -> AudioSegment:
        with self._lock:
            wait = self._resume_at - self._clock()
            last = self._last_reason
        if wait > 0:
            raise EngineError(self.name, f"skipped for {wait:.0f} s more after: {last}")
        try:
            audio = self.inner.synthesize(text, voice, speed, timeout_s)
        except EngineError as exc:
            with self._lock:
                self._resume_at = self._clock() + self.cooldown_s
                self._last_reason = exc.reason
            raise
        return audio
