"""Skipping a recently failed engine for a while."""

import pytest
from pydub import AudioSegment

from controller.tts.engines import CooldownEngine, EngineError, build_engines


class Flaky:
    name = "gtts"

    def __init__(self):
        self.calls = 0
        self.broken = True

    def synthesize(self, text, voice, speed, timeout_s):
        self.calls += 1
        if self.broken:
            raise EngineError(self.name, "Failed to connect")
        return AudioSegment.silent(100)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_failed_engine_is_skipped_until_the_cooldown_ends():
    inner, clock = Flaky(), Clock()
    engine = CooldownEngine(inner, 60, clock=clock)
    with pytest.raises(EngineError, match="Failed to connect"):
        engine.synthesize("a", None, 1.0, 5)
    clock.now += 59
    with pytest.raises(EngineError, match="skipped for 1 s more after: Failed to connect"):
        engine.synthesize("a", None, 1.0, 5)
    assert inner.calls == 1
    inner.broken = False
    clock.now += 2
    assert len(engine.synthesize("a", None, 1.0, 5)) == 100
    assert inner.calls == 2 and engine.name == "gtts"


def test_registry_wraps_engines_when_configured():
    engines = build_engines({"engines": ["gtts", "espeak"], "cooldown_s": 30})
    assert all(isinstance(e, CooldownEngine) for e in engines)
    assert [e.name for e in engines] == ["gtts", "espeak"]
    assert not any(isinstance(e, CooldownEngine) for e in build_engines({}))
