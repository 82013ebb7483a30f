"""The main menu: pages in officer order, each shown only when it exists and the role may open it.

Whether a role may open a page is the page's own ``@requires(..., read=...)`` declaration, so the
menu never links to a page that would answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

from controller.auth.roles import allowed


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label_key: str


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("pages.dashboard", "dashboard"),
    MenuEntry("library_pages.library", "nav_library"),
    MenuEntry("tts_pages.composer", "nav_tts"),
    MenuEntry("greeting_pages.recorder", "nav_greeting"),
    MenuEntry("schedule_pages.calendar", "nav_schedule"),
    MenuEntry("approval_pages.queue", "nav_approval"),
    MenuEntry("broadcast_pages.broadcast", "nav_broadcast"),
    MenuEntry("report_pages.reports", "nav_reports"),
    MenuEntry("admin_pages.admin", "nav_admin"),
)


def page_capability(endpoint: str) -> str:
    """The capability a GET of ``endpoint`` needs (the gate's default is ``read``)."""
    view = current_app.view_functions[endpoint]
    return getattr(view, "_tt_capability", {}).get("read", "read")


def menu_for_current_user() -> list[MenuEntry]:
    role = getattr(current_user, "role", None)
    if role is None:
        return []
    views = current_app.view_functions
    return [e for e in MENU if e.endpoint in views and allowed(role, page_capability(e.endpoint))]
