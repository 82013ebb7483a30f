"""Zones and nodes after review: writes republish plans; provisioned nodes keep their zone;
deleting a node revokes what it was given."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from controller.db.models import MediaItem, Program

pytestmark = pytest.mark.postgres

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)
SITE = "xa-binh-yen"


class FakeDispatch:
    """The dispatcher's ``publish_plans``: keeps the last plan of every node and each call."""

    def __init__(self) -> None:
        self.plans: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[set[str]] = []

    def publish_plans(self, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        self.calls.append(set(plans))
        self.plans.update(plans)
        return {node: len(self.calls) for node in plans}


@pytest.fixture
def dispatch(app) -> FakeDispatch:  # type: ignore[no-untyped-def]
    app.extensions["tt.clock"] = lambda: NOW
    fake = FakeDispatch()
    app.extensions["tt.dispatch"] = fake
    return fake


def add_evening_program(database) -> None:  # type: ignore[no-untyped-def]
    """An approved whole-commune notice every day at 21:30 (90 s)."""
    with database.session() as s:
        media = MediaItem(site_id=SITE, title="Bản tin tối", category="tuyen-truyen",
                          sha256="ab" * 32, bytes=4096, duration_ms=90_000,
                          original_sha256="cd" * 32)  # fmt: skip
        s.add(media)
        s.flush()
        s.add(Program(site_id=SITE, title="Bản tin tối", status="approved", kind="clip",
                      schedule={"type": "daily", "time": "21:30"}, media_ids=[media.id],
                      all_zones=True, zone_ids=[], priority="normal"))  # fmt: skip


def starts(dispatch: FakeDispatch, node: str) -> list[str]:
    return [item["start"] for item in dispatch.plans[node]]


def test_zone_and_node_writes_republish_plans(admin_api, database, dispatch) -> None:  # type: ignore[no-untyped-def]
    assert (
        admin_api.post("/api/v1/zones", json={"id": "thon-1", "name": "Thôn 1"}).status_code == 201
    )
    assert admin_api.post("/api/v1/zones", json={"id": "thon-2", "name": "Thôn 2",
                                                 "quiet_start": "21:00", "quiet_end": "05:00"}
                          ).status_code == 201  # fmt: skip
    assert admin_api.post("/api/v1/nodes", json={"id": "t2-a", "zone": "thon-2"}).status_code == 201
    assert admin_api.post("/api/v1/nodes", json={"id": "t1-a", "zone": "thon-1"}).status_code == 201
    assert dispatch.calls[-1] == {"t1-a", "t2-a"}  # a new node gets its (empty) plan at once
    add_evening_program(database)
    evenings = ["2027-01-04T21:30:00+07:00", "2027-01-05T21:30:00+07:00"]

    assert admin_api.put("/api/v1/zones/thon-1", json={"name": "Thôn Một"}).status_code == 200
    assert starts(dispatch, "t1-a") == evenings
    # Quiet hours from 21:00: the 21:30 notice is now quiet there and leaves the plan.
    r = admin_api.put("/api/v1/zones/thon-1", json={"quiet_start": "21:00", "quiet_end": "06:00"})
    assert r.status_code == 200
    assert starts(dispatch, "t1-a") == []
    admin_api.put("/api/v1/zones/thon-1", json={"quiet_start": None, "quiet_end": None})
    assert starts(dispatch, "t1-a") == evenings  # back to the default 22:00-05:00

    # A node never connected may move: its plan follows the new zone's quiet hours.
    r = admin_api.put("/api/v1/nodes/t1-a", json={"zone": "thon-2"})
    assert r.status_code == 200, r.json
    assert starts(dispatch, "t1-a") == []
    calls = len(dispatch.calls)
    assert admin_api.delete("/api/v1/nodes/t1-a").status_code == 204
    assert len(dispatch.calls) == calls + 1 and dispatch.calls[-1] == {"t2-a"}
    assert (
        admin_api.post("/api/v1/zones", json={"id": "thon-3", "name": "Thôn 3"}).status_code == 201
    )
    assert admin_api.delete("/api/v1/zones/thon-3").status_code == 204
    assert len(dispatch.calls) == calls + 3
