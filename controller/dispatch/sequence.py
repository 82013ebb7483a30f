"""The signing ``seq``: one monotonic counter per controller deployment, kept in the database.

Nodes reject an envelope whose ``seq`` is not above the last one they accepted, so the counter
must never go backwards: not across restarts, not between replicas, and not after the database
is restored from an older backup. Each call is one atomic ``UPDATE ... RETURNING`` (safe with
several processes on PostgreSQL and SQLite) that also lifts the value to at least the current
Unix time in milliseconds, so a restored database still issues numbers above the ones nodes saw.

The row stays locked until the caller's transaction ends: publishers keep it locked until the
broker has acknowledged the message, so envelopes reach the broker in ``seq`` order even when
several replicas publish at once.
"""

from __future__ import annotations

import time

from sqlalchemy import case, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from controller.db.models import Counter

SIGNING_COUNTER = "signing"


def _floor_ms() -> int:
    return int(time.time() * 1000)


def next_seq(session: Session, name: str = SIGNING_COUNTER) -> int:
    """Advance the counter ``name`` and return its new value (inside the caller's transaction)."""
    value = _advance(session, name)
    if value is None:
        _insert_if_missing(session, name)
        value = _advance(session, name)
    if value is None:  # pragma: no cover - the row was just ensured
        raise RuntimeError(f"counter {name!r} could not be created")
    return int(value)


def _advance(session: Session, name: str) -> int | None:
    floor = _floor_ms()
    bumped = Counter.value + 1
    stmt = (
        update(Counter)
        .where(Counter.name == name)
        .values(value=case((bumped > floor, bumped), else_=floor))
        .returning(Counter.value)
    )
    return session.execute(stmt).scalar_one_or_none()


def _insert_if_missing(session: Session, name: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(Counter).values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"])
    )
