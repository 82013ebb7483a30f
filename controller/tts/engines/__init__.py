"""Text-to-speech engines behind one interface (:class:`TtsEngine`), built from config."""

from .base import EngineError, TtsEngine
from .command import CommandEngine
from .cooldown import CooldownEngine
from .espeak import EspeakEngine
from .gtts_engine import GttsEngine
from .registry import build_engines, engine_timeout, prefer_engine

__all__ = [
    "CommandEngine",
    "CooldownEngine",
    "EngineError",
    "EspeakEngine",
    "GttsEngine",
    "TtsEngine",
    "build_engines",
    "engine_timeout",
    "prefer_engine",
]
