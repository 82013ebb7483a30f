"""Roles and what each may do (pure).

``admin`` may do everything; the other roles get the capabilities listed here. Views declare the
capability they need; ``allowed`` answers whether a role has it.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("admin", "officer", "approver", "viewer", "node")

# Capability -> roles that hold it (admin holds all of them implicitly).
CAPABILITIES: dict[str, frozenset[str]] = {
    "read": frozenset({"officer", "approver", "viewer"}),
    "library": frozenset({"officer", "approver"}),
    "tts": frozenset({"officer"}),
    # The chairman schedules his own greetings (and approves them); officers schedule the rest.
    "schedule": frozenset({"officer", "approver"}),
    "broadcast": frozenset({"officer"}),
    "approve": frozenset({"approver"}),
    "record": frozenset({"approver", "officer"}),
    "fetch_media": frozenset({"node", "officer", "approver", "viewer"}),
    "admin": frozenset(),
}

ROLE_NAMES_VI: dict[str, str] = {
    "admin": "Quản trị hệ thống",
    "officer": "Cán bộ văn hóa - xã hội",
    "approver": "Lãnh đạo duyệt",
    "viewer": "Người xem",
    "node": "Cụm loa",
}


def is_role(name: str) -> bool:
    return name in ROLES


def allowed(role: str, capability: str) -> bool:
    """Whether ``role`` holds ``capability``; unknown capabilities are denied."""
    if capability not in CAPABILITIES:
        return False
    return role == "admin" or role in CAPABILITIES[capability]
