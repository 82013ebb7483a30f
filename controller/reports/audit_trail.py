"""The audit trail (who did what, when) with filters, scoped to one commune's people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from controller.db.models import AuditLog, User

DEFAULT_LIMIT = 200
MAX_LIMIT = 2000


@dataclass(frozen=True)
class AuditFilter:
    """``action`` matches a whole action (``user.create``) or its prefix (``user``)."""

    username: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = DEFAULT_LIMIT


def find_entries(session: Session, site_id: str, filt: AuditFilter) -> list[AuditLog]:
    """Newest first; only actions of the commune's own users (rows carry a username, no site)."""
    people = select(User.username).where(User.site_id == site_id)
    query = select(AuditLog).where(AuditLog.username.in_(people))
    if filt.username:
        query = query.where(AuditLog.username == filt.username)
    if filt.action:
        action = filt.action.strip()
        query = query.where(
            (AuditLog.action == action)
            | AuditLog.action.startswith(action.rstrip(".") + ".", autoescape=True)
        )
    if filt.since is not None:
        query = query.where(AuditLog.at >= filt.since)
    if filt.until is not None:
        query = query.where(AuditLog.at < filt.until)
    query = query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(filt.limit)
    return list(session.scalars(query))


def usernames(session: Session, site_id: str) -> list[str]:
    return list(
        session.scalars(
            select(User.username).where(User.site_id == site_id).order_by(User.username)
        )
    )


def actions(session: Session, site_id: str) -> list[str]:
    """The distinct action prefixes seen (``user``, ``media``, ``broadcast`` ...)."""
    people = select(User.username).where(User.site_id == site_id)
    rows = session.scalars(select(AuditLog.action).where(AuditLog.username.in_(people)).distinct())
    return sorted({a.split(".")[0] for a in rows})
