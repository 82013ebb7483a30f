"""Locale choice: Vietnamese by default, English on request (session, user or header)."""

from __future__ import annotations

from flask import has_request_context, request, session

LOCALES = ("vi", "en")


def request_locale() -> str:
    """The locale of the current request: ``?lang=``, the session choice, then Accept-Language."""
    if not has_request_context():
        return "vi"
    lang = request.args.get("lang") or session.get("lang")
    if lang in LOCALES:
        return lang
    if not request.path.startswith("/api/"):
        # Pages are Vietnamese unless the person picks English with the switch: commune
        # laptops often run an English browser, which must not turn the UI English.
        return "vi"
    header = request.accept_languages.best_match(LOCALES)
    # API clients: only an explicit preference for English switches; else Vietnamese.
    if header == "en" and request.accept_languages.best_match(["vi"]) is None:
        return "en"
    return "vi"
