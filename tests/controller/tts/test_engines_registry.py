"""Building the engine chain from configuration."""

from dataclasses import dataclass, field

import pytest

from controller.tts.engines import (
    CommandEngine,
    EspeakEngine,
    GttsEngine,
    build_engines,
    engine_timeout,
    prefer_engine,
)


def test_default_order_is_gtts_then_espeak():
    engines = build_engines(None)
    assert [type(e) for e in engines] == [GttsEngine, EspeakEngine]
    assert [e.name for e in engines] == ["gtts", "espeak"]


def test_options_and_named_command_engine():
    engines = build_engines(
        {
            "engines": ["piper", "gtts", "espeak"],
            "options": {
                "piper": {"type": "command", "argv": ["piper", "-f", "{out}"], "stdin_text": True},
                "gtts": {"base_url": "http://127.0.0.1:9"},
                "espeak": {"default_voice": "vi-vn-x-south", "base_wpm": 150},
            },
        }
    )
    piper, gtts, espeak = engines
    assert isinstance(piper, CommandEngine) and piper.name == "piper" and piper.stdin_text
    assert gtts.base_url == "http://127.0.0.1:9"
    assert espeak.command(None, 1.0)[:5] == ["espeak-ng", "-v", "vi-vn-x-south", "-s", "150"]


def test_flat_keys_of_the_controller_config_dataclass():
    @dataclass
    class TtsConfig:  # the shape controller.config.TtsConfig has
        engines: list[str] = field(default_factory=lambda: ["command", "gtts"])
        timeout_s: float = 7.0
        gtts_base_url: str = "http://127.0.0.1:5"
        command: list[str] = field(default_factory=lambda: ["piper", "-f", "{out}"])

    command, gtts = build_engines(TtsConfig())
    assert command.argv == ["piper", "-f", "{out}"]
    assert gtts.base_url == "http://127.0.0.1:5"
    assert engine_timeout(TtsConfig()) == 7.0


@pytest.mark.parametrize(
    "config",
    [
        {"engines": ["festival"]},
        {"engines": ["espeak"], "options": {"espeak": {"colour": "blue"}}},
        {"engines": ["command"]},  # no argv
    ],
)
def test_bad_configuration_is_a_value_error(config):
    with pytest.raises(ValueError):
        build_engines(config)


def test_timeout_defaults_and_validation():
    assert engine_timeout({}) == 15.0
    with pytest.raises(ValueError):
        engine_timeout({"timeout_s": 0})


def test_prefer_engine_moves_the_requested_one_first():
    engines = build_engines({"engines": ["gtts", "espeak"]})
    assert [e.name for e in prefer_engine(engines, "espeak")] == ["espeak", "gtts"]
    assert [e.name for e in prefer_engine(engines, None)] == ["gtts", "espeak"]
    with pytest.raises(ValueError, match="unknown TTS engine"):
        prefer_engine(engines, "festival")
