"""Build the ordered engine list from the ``tts`` section of the controller's config.

Shape (YAML or dict)::

    tts:
      engines: [gtts, espeak]        # fallback order; the first that succeeds speaks
      timeout_s: 15                  # per engine call
      cooldown_s: 60                 # skip an engine this long after it failed (0/absent: off)
      options:                       # per-engine keyword options, keyed by engine name
        gtts: {tld: com, base_url: null}
        espeak: {default_voice: vi, base_wpm: 165}
        piper:                       # any name; "type" picks the implementation
          type: command
          argv: [piper, --model, /opt/voices/vi.onnx, --output_file, "{out}"]
          stdin_text: true

The flat keys of ``controller.config.TtsConfig`` are understood too: ``gtts_base_url`` (the
gtts engine's ``base_url``) and ``command`` (the ``argv`` of the engine named ``command``).
A TtsConfig dataclass instance may be passed as it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .base import TtsEngine
from .command import CommandEngine
from .cooldown import CooldownEngine
from .espeak import EspeakEngine
from .gtts_engine import GttsEngine

DEFAULT_ORDER = ("gtts", "espeak")
DEFAULT_TIMEOUT_S = 15.0

FACTORIES: dict[str, Callable[..., TtsEngine]] = {
    "gtts": GttsEngine,
    "espeak": EspeakEngine,
    "command": CommandEngine,
}


def build_engines(tts_config: Mapping[str, Any] | object | None) -> list[TtsEngine]:
    """Engines in fallback order; ValueError on an unknown type or a bad option."""
    config = _as_mapping(tts_config)
    names = list(config.get("engines") or DEFAULT_ORDER)
    all_options = _engine_options(config)
    engines = [_build_one(name, dict(all_options.get(name) or {})) for name in names]
    cooldown_s = float(config.get("cooldown_s") or 0)
    if cooldown_s > 0:
        return [CooldownEngine(engine, cooldown_s) for engine in engines]
    return engines


def engine_timeout(tts_config: Mapping[str, Any] | object | None) -> float:
    """Seconds one engine call may take (``tts.timeout_s``)."""
    value = float(_as_mapping(tts_config).get("timeout_s", DEFAULT_TIMEOUT_S))
    if value <= 0:
        raise ValueError("tts.timeout_s must be positive")
    return value


def prefer_engine(engines: Sequence[TtsEngine], name: str | None) -> list[TtsEngine]:
    """Put the engine a request asked for first, keeping the others as fallbacks."""
    if not name:
        return list(engines)
    chosen = [e for e in engines if e.name == name]
    if not chosen:
        known = ", ".join(e.name for e in engines)
        raise ValueError(f"unknown TTS engine {name!r} (configured: {known})")
    return chosen + [e for e in engines if e.name != name]


def _as_mapping(tts_config: Mapping[str, Any] | object | None) -> Mapping[str, Any]:
    if tts_config is None:
        return {}
    if dataclasses.is_dataclass(tts_config) and not isinstance(tts_config, type):
        return dataclasses.asdict(tts_config)
    if isinstance(tts_config, Mapping):
        return tts_config
    raise TypeError(f"tts config must be a mapping or dataclass, not {type(tts_config)}")


def _engine_options(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    options = {name: dict(opts or {}) for name, opts in (config.get("options") or {}).items()}
    if config.get("gtts_base_url"):
        options.setdefault("gtts", {}).setdefault("base_url", config["gtts_base_url"])
    if config.get("command"):
        options.setdefault("command", {}).setdefault("argv", list(config["command"]))
    return options


def _build_one(name: str, options: dict[str, Any]) -> TtsEngine:
    kind = options.pop("type", name)
    factory = FACTORIES.get(kind)
    if factory is None:
        raise ValueError(f"unknown TTS engine type {kind!r} for engine {name!r}")
    try:
        return factory(name=name, **options)
    except TypeError as exc:  # unexpected or missing option names
        raise ValueError(f"bad options for TTS engine {name!r}: {exc}") from exc
