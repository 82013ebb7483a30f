"""Zones and nodes API: shapes from DESIGN.md, errors, roles and the audit log."""

import pytest
from sqlalchemy import select

from controller.db.models import AuditLog

pytestmark = pytest.mark.postgres


def test_create_and_list_zone_and_node(admin_api) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.post("/api/v1/zones", json={"id": "thon-1", "name": "Thôn 1"})
    assert r.status_code == 201, r.json
    assert r.json["id"] == "thon-1" and r.json["name"] == "Thôn 1"
    r = admin_api.post(
        "/api/v1/nodes", json={"id": "thon-1-a", "zone": "thon-1", "name": "Cụm loa nhà văn hóa"}
    )
    assert r.status_code == 201, r.json
    items = admin_api.get("/api/v1/nodes").json["items"]
    assert [n["id"] for n in items] == ["thon-1-a"]
    node = items[0]
    for key in ("id", "zone", "online", "last_seen", "plan_seq", "volume", "clock_offset_ms"):
        assert key in node
    assert node["zone"] == "thon-1" and node["online"] is False


def test_duplicate_unknown_zone_and_bad_ids(admin_api) -> None:  # type: ignore[no-untyped-def]
    assert admin_api.post("/api/v1/zones", json={"id": "thon-1", "name": "A"}).status_code == 201
    dup = admin_api.post("/api/v1/zones", json={"id": "thon-1", "name": "B"})
    assert dup.status_code == 409 and dup.json["error"]["code"] == "exists"
    bad = admin_api.post("/api/v1/nodes", json={"id": "n1", "zone": "khong-co"})
    assert bad.status_code == 422 and "Thôn" in bad.json["error"]["message"]
    weird = admin_api.post("/api/v1/zones", json={"id": "../../etc", "name": "x"})
    assert weird.status_code == 422
    assert admin_api.post("/api/v1/zones", data="not json").status_code == 400
    assert admin_api.get("/api/v1/nodes/khong-co").status_code == 404


def test_error_messages_follow_accept_language(api_as) -> None:  # type: ignore[no-untyped-def]
    en = api_as("admin", lang="en").get("/api/v1/zones/none")
    assert en.json["error"]["message"] == "Not found."
    vi = api_as("admin").get("/api/v1/zones/none")
    assert vi.json["error"]["message"] == "Không tìm thấy."


def test_zone_with_nodes_cannot_be_deleted(admin_api) -> None:  # type: ignore[no-untyped-def]
    admin_api.post("/api/v1/zones", json={"id": "thon-2", "name": "Thôn 2"})
    admin_api.post("/api/v1/nodes", json={"id": "n2", "zone": "thon-2"})
    assert admin_api.delete("/api/v1/zones/thon-2").status_code == 409
    assert admin_api.delete("/api/v1/nodes/n2").status_code == 204
    assert admin_api.delete("/api/v1/zones/thon-2").status_code == 204


def test_viewer_token_gets_403_on_every_write(api_as) -> None:  # type: ignore[no-untyped-def]
    viewer = api_as("viewer")
    assert viewer.get("/api/v1/zones").status_code == 200
    r = viewer.post("/api/v1/zones", json={"id": "thon-9", "name": "Thôn 9"})
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_every_write_is_audited(admin_api, database) -> None:  # type: ignore[no-untyped-def]
    admin_api.post("/api/v1/zones", json={"id": "thon-3", "name": "Thôn 3"})
    admin_api.put("/api/v1/zones/thon-3", json={"name": "Thôn Ba"})
    with database.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.target_id == "thon-3")).all()
        assert [r.action for r in rows] == ["zone.create", "zone.update"]
        assert all(r.username.startswith("admin-") and r.request_id for r in rows)
