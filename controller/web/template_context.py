"""Values every template sees: the text lookup, the commune, the user and their role name."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_login import current_user

from controller.auth.roles import ROLE_NAMES_VI
from controller.i18n import request_locale
from controller.web.navigation import menu_for_current_user
from controller.web.ui_text import t


def _context() -> dict[str, Any]:
    cfg = current_app.extensions["tt.config"]
    role = getattr(current_user, "role", None)
    return {
        "t": t,
        "menu": menu_for_current_user(),
        "locale": request_locale(),
        "site_name": cfg.site.name,
        "zone_label": cfg.site.zone_label,
        "role_name": ROLE_NAMES_VI.get(role, role) if role else "",
    }


def init_template_context(app: Flask) -> None:
    app.context_processor(_context)
