"""Migrations and column types, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select

from controller.db import migrate
from controller.db.models import AuditLog, Node, Site, Zone
from controller.db.session import Database

pytestmark = pytest.mark.postgres


def test_upgrade_creates_every_table_and_is_idempotent(db_url: str) -> None:
    db = Database(db_url)
    migrate.upgrade(db)
    migrate.upgrade(db)  # a second run (another process starting) changes nothing
    tables = set(inspect(db.engine).get_table_names())
    for name in (
        "sites",
        "zones",
        "nodes",
        "users",
        "api_tokens",
        "audit_log",
        "media",
        "programs",
        "plans",
        "commands",
        "command_acks",
        "play_events",
    ):
        assert name in tables
    db.dispose()


def test_instants_come_back_aware_and_equal(db_url: str) -> None:
    db = Database(db_url)
    migrate.upgrade(db)
    ict = timezone(timedelta(hours=7))
    at = datetime(2027, 2, 6, 6, 0, 0, 123000, tzinfo=ict)
    with db.session() as s:
        s.add(Site(id="xa-a", name="Xã A"))
        s.add(Zone(id="thon-1", site_id="xa-a", name="Thôn 1"))
        s.flush()
        s.add(Node(id="n1", site_id="xa-a", zone_id="thon-1", last_seen=at))
        s.add(AuditLog(username="u", action="x", at=at))
    with db.session() as s:
        node = s.get(Node, "n1")
        assert node.last_seen == at
        assert node.last_seen.tzinfo is not None
        assert node.last_seen.utcoffset() == timedelta(0)
        row = s.scalars(select(AuditLog)).one()
        assert row.at.astimezone(UTC) == at.astimezone(UTC)
    db.dispose()


def test_naive_datetimes_are_refused(db_url: str) -> None:
    db = Database(db_url)
    migrate.upgrade(db)
    with pytest.raises(Exception, match="naive"), db.session() as s:
        s.add(AuditLog(username="u", action="x", at=datetime(2027, 1, 1)))
        s.flush()
    db.dispose()
