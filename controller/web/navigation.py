"""The main menu: pages in officer order, each shown only when it exists and the role may use it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

from controller.auth.roles import allowed


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label_key: str
    capability: str


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("pages.dashboard", "dashboard", "read"),
    MenuEntry("library_pages.library", "nav_library", "read"),
    MenuEntry("tts_pages.composer", "nav_tts", "tts"),
    MenuEntry("greeting_pages.recorder", "nav_greeting", "record"),
    MenuEntry("schedule_pages.calendar", "nav_schedule", "read"),
    MenuEntry("approval_pages.queue", "nav_approval", "approve"),
    MenuEntry("broadcast_pages.broadcast", "nav_broadcast", "broadcast"),
    MenuEntry("report_pages.reports", "nav_reports", "read"),
    MenuEntry("admin_pages.admin", "nav_admin", "admin"),
)


def menu_for_current_user() -> list[MenuEntry]:
    role = getattr(current_user, "role", None)
    if role is None:
        return []
    views = current_app.view_functions
    return [e for e in MENU if e.endpoint in views and allowed(role, e.capability)]
