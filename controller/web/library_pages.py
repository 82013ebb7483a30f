"""Page: Thư viện âm thanh (audio library): upload with progress, search, play, edit, delete.

The page is a shell rendered here; its list and actions call ``/api/v1/media`` from
``static/js/library.js``. The helpers below (category choices, words for the scripts) are shared
with the TTS composer and greeting recorder pages.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires
from controller.library.catalog import CATEGORIES
from controller.web.ui_text import TEXT, t

bp = Blueprint("library_pages", __name__)

SOURCES: tuple[str, ...] = ("upload", "recording", "tts")


def category_options() -> list[tuple[str, str]]:
    """``(value, label)`` for every library category, in the catalogue's order."""
    return [(c, t(f"lib_cat_{c}")) for c in CATEGORIES]


def script_words(*prefixes: str) -> dict[str, str]:
    """Every UI word whose key starts with one of ``prefixes``, in the request's language.

    The pages' scripts get their words from this (rendered as JSON), never hard-coded.
    """
    return {key: t(key) for key in TEXT if key.startswith(prefixes)}


@bp.get("/library")
@requires("library", read="library")
def library():  # type: ignore[no-untyped-def]
    return render_template(
        "library.html",
        categories=category_options(),
        words=script_words("lib_"),
    )
