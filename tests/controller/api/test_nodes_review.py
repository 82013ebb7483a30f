"""Zones and nodes after review: writes republish plans; provisioned nodes keep their zone;
deleting a node revokes what it was given."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from controller.db.models import ApiToken, AuditLog, MediaItem, Node, Program, User
from controller.dispatch.node_access import pending_usernames
from controller.web.admin_credentials import PENDING_FILE
from tests.conftest import ApiClient

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


# --- provisioned nodes keep their zone; deletion revokes ------------------------------------


@pytest.fixture
def two_zones(admin_api, dispatch) -> None:  # type: ignore[no-untyped-def]
    for zone in ("thon-1", "thon-2"):
        assert admin_api.post("/api/v1/zones", json={"id": zone, "name": zone}).status_code == 201


def add_node(admin_api, node_id: str, zone: str = "thon-1") -> None:  # type: ignore[no-untyped-def]
    assert admin_api.post("/api/v1/nodes", json={"id": node_id, "zone": zone}).status_code == 201


def issue_credentials(admin_api, node_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The admin page's real provisioning: mosquitto_passwd line + ``node-<id>`` token."""
    r = admin_api.post(f"/admin/nodes/{node_id}/credentials")
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json


def pending_file(config) -> Path:  # type: ignore[no-untyped-def]
    return config.path(PENDING_FILE)


def test_node_that_connected_or_has_credentials_cannot_change_zone(  # type: ignore[no-untyped-def]
    admin_api, api_as, database, config, two_zones
) -> None:
    for node_id in ("moi", "da-ket-noi", "co-mat-khau", "cho-gop"):
        add_node(admin_api, node_id)
    with database.session() as s:
        s.get(Node, "da-ket-noi").last_seen = datetime(2027, 1, 3, 20, 0, tzinfo=TZ)
    issue_credentials(admin_api, "co-mat-khau")
    pending_file(config).write_text("cho-gop:$7$hash\n", encoding="utf-8")  # issued elsewhere

    for node_id in ("da-ket-noi", "co-mat-khau", "cho-gop"):
        r = admin_api.put(f"/api/v1/nodes/{node_id}", json={"zone": "thon-2"})
        assert r.status_code == 409, (node_id, r.json)
        assert r.json["error"]["code"] == "node_provisioned"
        assert "xóa cụm loa" in r.json["error"]["message"]
        assert "thông tin kết nối mới" in r.json["error"]["message"]
        assert admin_api.get(f"/api/v1/nodes/{node_id}").json["zone"] == "thon-1"
    english = api_as("admin", lang="en").put("/api/v1/nodes/da-ket-noi", json={"zone": "thon-2"})
    assert "Delete it" in english.json["error"]["message"]
    # Renaming, or naming the zone it is already in, is fine.
    r = admin_api.put("/api/v1/nodes/da-ket-noi", json={"zone": "thon-1", "name": "Nhà văn hóa"})
    assert r.status_code == 200 and r.json["name"] == "Nhà văn hóa"
    r = admin_api.put("/api/v1/nodes/moi", json={"zone": "thon-2"})
    assert r.status_code == 200 and r.json["zone"] == "thon-2"


def test_deleting_a_node_revokes_its_account_tokens_and_pending_password(  # type: ignore[no-untyped-def]
    app, admin_api, database, config, two_zones
) -> None:
    add_node(admin_api, "cum-a")
    add_node(admin_api, "cum-b")
    creds = issue_credentials(admin_api, "cum-a")
    issue_credentials(admin_api, "cum-b")
    node_api = ApiClient(app.test_client(), creds["token"])
    assert node_api.get("/api/v1/signing-key").status_code == 200
    assert pending_usernames(pending_file(config)) == {"cum-a", "cum-b"}

    assert admin_api.delete("/api/v1/nodes/cum-a").status_code == 204

    assert node_api.get("/api/v1/signing-key").status_code == 401
    assert pending_usernames(pending_file(config)) == {"cum-b"}  # the other node keeps its line
    assert oct(pending_file(config).stat().st_mode & 0o777) == "0o600"
    with database.session() as s:
        account = s.scalars(select(User).where(User.username == "node-cum-a")).one()
        assert account.active is False
        live = select(ApiToken).where(ApiToken.user_id == account.id, ApiToken.revoked.is_(False))
        assert s.scalars(live).all() == []
        assert s.scalars(select(User).where(User.username == "node-cum-b")).one().active
        [entry] = s.scalars(
            select(AuditLog).where(AuditLog.action == "node.delete", AuditLog.target_id == "cum-a")
        )
    assert entry.detail == {
        "account_deactivated": True, "tokens_revoked": 1, "pending_line_removed": True,
    }  # fmt: skip


def test_a_deleted_node_added_again_is_provisioned_afresh(  # type: ignore[no-untyped-def]
    app, admin_api, config, two_zones
) -> None:
    """The remedy the 409 names: delete, add again in the new zone, issue new credentials."""
    add_node(admin_api, "cum-a")
    old = issue_credentials(admin_api, "cum-a")
    assert admin_api.delete("/api/v1/nodes/cum-a").status_code == 204
    add_node(admin_api, "cum-a", zone="thon-2")
    # Not provisioned until new credentials are issued: it may still change zone.
    assert admin_api.put("/api/v1/nodes/cum-a", json={"zone": "thon-1"}).status_code == 200
    new = issue_credentials(admin_api, "cum-a")
    assert ApiClient(app.test_client(), new["token"]).get("/api/v1/signing-key").status_code == 200
    assert ApiClient(app.test_client(), old["token"]).get("/api/v1/signing-key").status_code == 401
    assert admin_api.put("/api/v1/nodes/cum-a", json={"zone": "thon-2"}).status_code == 409
