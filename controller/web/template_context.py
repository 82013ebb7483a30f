"""Values every template sees: the text lookup, the commune, the user and their role name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user

from controller.auth.roles import ROLE_NAMES_VI
from controller.i18n import request_locale
from controller.reports.records import format_duration
from controller.web.navigation import menu_for_current_user
from controller.web.ui_text import TEXT, t, tn


def _context() -> dict[str, Any]:
    cfg = current_app.extensions["tt.config"]
    role = getattr(current_user, "role", None)
    return {
        "t": t,
        "tn": tn,
        "menu": menu_for_current_user(),
        "locale": request_locale(),
        "site_name": cfg.site.name,
        "zone_label": cfg.site.zone_label,
        "site_timezone": cfg.site.timezone,
        "role_name": _role_name(role),
    }


def _role_name(role: str | None) -> str:
    if not role:
        return ""
    key = f"rep_value_{role}"
    return t(key) if key in TEXT else ROLE_NAMES_VI.get(role, role)


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    zone = ZoneInfo(current_app.extensions["tt.config"].site.timezone)
    return value.astimezone(zone) if value.tzinfo else value


def vn_date(value: datetime | date | None) -> str:
    """dd/mm/yyyy in the commune's time zone."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM (24-hour) in the commune's time zone."""
    local = _local(value)
    return local.strftime("%d/%m/%Y %H:%M") if local else "—"


def mmss(duration_ms: int | None) -> str:
    """A media length in ms as ``mm:ss`` (the format of every page)."""
    return format_duration((duration_ms or 0) / 1000)


def init_template_context(app: Flask) -> None:
    app.context_processor(_context)
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(mmss, "mmss")
