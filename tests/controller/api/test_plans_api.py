"""GET /api/v1/plans/{node}: the plan as last published, 404 until there is one."""

from __future__ import annotations

import pytest

from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SHA, seed_commune

pytestmark = pytest.mark.postgres
ITEM = {
    "id": "p1@20270128T0600",
    "start": "2027-01-28T06:00:00+07:00",
    "priority": 100,
    "title": "Bản tin sáng",
    "kind": "clip",
    "volume": 80,
    "media": [
        {"url": "http://c/api/v1/media/1/audio", "sha256": SHA, "bytes": 1, "duration_ms": 1000}
    ],
}


def test_plan_404_before_publishing_then_as_published(app, database, api_as) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    viewer = api_as("viewer")
    r = viewer.get("/api/v1/plans/thon-1-a")
    assert r.status_code == 404 and r.json["error"]["code"] == "plan_not_published"
    assert viewer.get("/api/v1/plans/khong-co").json["error"]["code"] == "not_found"
    service = DispatchService(app, link=FakeLink())
    seqs = service.publish_plans({"thon-1-a": [ITEM]})
    r = viewer.get("/api/v1/plans/thon-1-a")
    assert r.status_code == 200
    assert r.json["node"] == "thon-1-a" and r.json["seq"] == seqs["thon-1-a"]
    assert r.json["items"] == [ITEM]
    assert r.json["node_seq"] is None  # the node has not reported holding it yet
