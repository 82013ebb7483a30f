"""Error pages for people: a Vietnamese (or English) HTML page in the site's layout.

``controller.errors`` calls ``wants_html_page`` to choose between this page and the JSON error
of the API, and ``render_error_page`` to draw it. A page that cannot be drawn with the full
layout (the database is down, so the menu cannot load the user) falls back to a bare page.
"""

from __future__ import annotations

import logging

from flask import Response, render_template, request
from markupsafe import escape

from controller.i18n import request_locale
from controller.web.ui_text import t

log = logging.getLogger(__name__)

# Statuses with their own heading and advice; any other status uses the generic ones.
KNOWN_STATUSES = frozenset({400, 403, 404, 405, 413, 429, 500, 503})
MACHINE_PATHS = ("/api/",)


def wants_html_page() -> bool:
    """Whether the caller is a person's browser asking for a page (not the API, not a script)."""
    if request.path.startswith(MACHINE_PATHS) or request.path == "/healthz":
        return False
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "text/html"


def _key(status: int, part: str) -> str:
    return f"err_{part}_{status if status in KNOWN_STATUSES else 'other'}"


def render_error_page(status: int, message: str | None = None) -> Response:
    """The error page for ``status``; ``message`` (already in the UI language) adds detail."""
    title, advice = t(_key(status, "title")), t(_key(status, "advice"))
    detail = message if message and message not in (title, advice) else None
    try:
        html = render_template(
            "error.html", status=status, title=title, advice=advice, detail=detail
        )
    except Exception:  # noqa: BLE001 - the page of last resort must not fail itself
        log.exception("error page could not use the layout")
        html = (
            f'<!doctype html><html lang="{request_locale()}"><meta charset="utf-8">'
            f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(advice)}</p>"
        )
    return Response(html, status=status, mimetype="text/html")
