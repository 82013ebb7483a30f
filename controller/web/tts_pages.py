"""Page: Soạn thông báo (TTS composer): live reading preview, listen, save, dictionary.

Rendered here with the choices the server knows (engines from config, voices, speeds);
``static/js/tts.js`` calls ``/api/v1/tts`` (normalize, synthesize, dictionary) and
``/api/v1/jobs`` for long notices.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from controller.auth.gate import requires
from controller.web.library_pages import category_options, script_words
from controller.web.ui_text import t

bp = Blueprint("tts_pages", __name__)

# Voice id -> text key; ids are what the engines understand (espeak-ng's Vietnamese voices).
VOICES: tuple[tuple[str, str], ...] = (
    ("vi", "tts_voice_vi"),
    ("vi-vn-x-central", "tts_voice_central"),
    ("vi-vn-x-south", "tts_voice_south"),
)
SPEEDS: tuple[tuple[float, str], ...] = (
    (0.8, "tts_speed_slow"),
    (0.9, "tts_speed_slower"),
    (1.0, "tts_speed_normal"),
    (1.15, "tts_speed_faster"),
    (1.3, "tts_speed_fast"),
)
DEFAULT_REPEAT = 2
MAX_REPEAT = 5


def engine_label(name: str) -> str:
    """The officer's word for an engine; an engine without one shows its configured name."""
    key = f"tts_engine_{name}"
    label = t(key)
    return name if label == key else label


def engine_options(engines: list[str]) -> list[tuple[str, str]]:
    """``(value, label)``: automatic first (empty value: the configured fallback order)."""
    return [("", t("tts_engine_auto"))] + [(name, engine_label(name)) for name in engines]


def voice_options(default_voice: str) -> list[tuple[str, str]]:
    """Known voices; the configured default is offered too when it is not one of them."""
    options = [(voice, t(key)) for voice, key in VOICES]
    if default_voice not in {v for v, _ in VOICES}:
        options.insert(0, (default_voice, default_voice))
    return options


def speed_options(default_speed: float) -> list[tuple[float, str]]:
    options = [(speed, t(key)) for speed, key in SPEEDS]
    if all(abs(speed - default_speed) > 1e-9 for speed, _ in SPEEDS):
        options.append((default_speed, f"×{default_speed:g}"))
        options.sort()
    return options


@bp.get("/tts")
@requires("tts", read="tts")
def composer():  # type: ignore[no-untyped-def]
    tts = current_app.extensions["tt.config"].tts
    return render_template(
        "tts.html",
        categories=category_options(),
        engines=engine_options(list(tts.engines)),
        voices=voice_options(tts.voice),
        default_voice=tts.voice,
        speeds=speed_options(tts.speed),
        default_speed=tts.speed,
        default_repeat=DEFAULT_REPEAT,
        max_repeat=MAX_REPEAT,
        words=script_words("lib_", "tts_"),
    )
