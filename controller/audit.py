"""The audit log: every write records who did what to which object, and when."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy.orm import Session

from controller.db.models import AuditLog


def record(
    session: Session,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """Add an audit row to ``session`` (committed together with the change it describes)."""
    if username is None:
        principal = getattr(g, "principal", None) if has_request_context() else None
        username = principal.username if principal else "system"
    request_id = getattr(g, "request_id", "") if has_request_context() else ""
    session.add(
        AuditLog(
            username=username,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail or {},
            request_id=request_id,
        )
    )
