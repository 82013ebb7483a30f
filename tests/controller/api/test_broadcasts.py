"""POST/GET /api/v1/broadcasts: phát ngay to zones or everyone, emergencies, stop, status."""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from broadcast_agents.protocol import parse_command, parse_time
from controller.db.models import AuditLog, Command, MediaItem, Node, Zone
from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SITE, seed_commune

pytestmark = pytest.mark.postgres
P = f"tt/v1/{SITE}"


@pytest.fixture
def commune(database, config):  # type: ignore[no-untyped-def]
    # Quiet hours off by default, so these tests pass at any hour; the quiet-hour tests below
    # set windows around the real current time.
    config.quiet_hours.start = config.quiet_hours.end = "00:00"
    return seed_commune(database)


def quiet_window_around_now(hours_before: int = 2, hours_after: int = 2) -> tuple[str, str]:
    """A quiet-hours window (site civil times) that contains the current instant."""
    local = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    start = local - timedelta(hours=hours_before)
    end = local + timedelta(hours=hours_after)
    return f"{start:%H:%M}", f"{end:%H:%M}"


def set_zone_quiet(database, zone: str, window: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        row = s.get(Zone, zone)
        row.quiet_start, row.quiet_end = window


@pytest.fixture
def dispatch(app, commune):  # type: ignore[no-untyped-def]
    service = DispatchService(app, link=FakeLink())
    service.start()
    yield service
    service.stop()


@pytest.fixture
def link(dispatch) -> FakeLink:  # type: ignore[no-untyped-def]
    return dispatch.link


def _command(link, index: int = -1):  # type: ignore[no-untyped-def]
    return parse_command(json.loads(link.published[index].payload))


def test_officer_broadcasts_a_clip_to_one_zone(api_as, dispatch, link, database) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    before = datetime.now(UTC)
    r = officer.post(
        "/api/v1/broadcasts", json={"media_ids": [2, 1], "zones": ["thon-1"], "volume": 70}
    )
    after = datetime.now(UTC)
    assert r.status_code == 201, r.json
    assert link.topics() == [f"{P}/zone/thon-1/cmd"]
    cmd = _command(link)
    assert cmd.op == "play_now" and cmd.id == r.json["id"] == cmd.item.id
    start = parse_time(r.json["start"])
    assert r.json["start"].endswith("+07:00") and start == cmd.item.start
    # start = (the moment the request was handled) + dispatch.lead_ms (3000)
    lead = timedelta(milliseconds=3000)
    assert before + lead - timedelta(milliseconds=1) <= start <= after + lead
    assert [m.duration_ms for m in cmd.item.media] == [3000, 30000]
    assert cmd.item.media[1].url == "http://127.0.0.1:8080/api/v1/media/1/audio"
    assert cmd.item.kind == "clip" and cmd.item.volume == 70 and cmd.item.priority == 199
    assert cmd.item.title == "Nhạc hiệu + Tin bão số 3"
    with database.session() as s:
        row = s.get(Command, r.json["id"])
        assert row.node_ids == ["thon-1-a", "thon-1-b"] and row.scope == "zone"
        assert row.created_by.startswith("officer-")
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "broadcast.create")).one()
        assert audit.target_id == r.json["id"]


def test_emergency_to_everyone(api_as, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    r = api_as("officer").post(
        "/api/v1/broadcasts", json={"media_ids": [1], "all": True, "emergency": True}
    )
    assert r.status_code == 201, r.json
    assert link.topics() == [f"{P}/all/cmd"] and len(r.json["nodes"]) == 4
    item = _command(link).item
    assert item.kind == "emergency" and item.priority == 399 and item.volume == 100


INVALID_BODIES = [
    {"media_ids": [1], "text": "x", "all": True},
    {"all": True},
    {"media_ids": [1]},
    {"media_ids": [1], "zones": ["thon-1"], "all": True},
    {"media_ids": [1], "all": True, "priority": "very-high"},
    {"media_ids": [1], "all": True, "volume": 101},
    {"media_ids": [], "all": True},
]


def test_invalid_bodies_are_422(admin_api, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    for body in INVALID_BODIES:
        r = admin_api.post("/api/v1/broadcasts", json=body)
        assert r.status_code == 422 and r.json["error"]["code"] == "validation", body
    assert link.published == []


def test_unknown_zone_or_media_is_named(admin_api, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-9"]})
    assert r.status_code == 422 and "thon-9" in r.json["error"]["message"]
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1, 77], "all": True})
    assert r.status_code == 422 and "77" in r.json["error"]["message"]
    assert link.published == []


def test_normal_broadcast_in_a_zones_quiet_hours_is_refused_emergency_goes(  # type: ignore[no-untyped-def]
    api_as, dispatch, link, database
) -> None:
    set_zone_quiet(database, "thon-1", quiet_window_around_now())
    officer = api_as("officer")
    for body in (
        {"media_ids": [1], "zones": ["thon-1"]},
        {"media_ids": [1], "zones": ["thon-2", "thon-1"], "priority": "priority"},
        {"media_ids": [1], "all": True},
    ):
        r = officer.post("/api/v1/broadcasts", json=body)
        assert r.status_code == 422, (body, r.json)
        error = r.json["error"]
        assert error["code"] == "quiet_hours" and error["zones"] == ["thon-1"]
        assert "giờ yên tĩnh của Thôn 1" in error["message"]
        assert "chỉ được phát tin khẩn cấp" in error["message"]
    assert link.published == []
    assert officer.post(
        "/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-2"]}
    ).status_code == 201  # fmt: skip
    for emergency in ({"emergency": True}, {"priority": "emergency"}):
        r = officer.post("/api/v1/broadcasts", json={"media_ids": [1], "all": True, **emergency})
        assert r.status_code == 201, r.json
    assert len(link.published) == 3


def test_default_quiet_hours_apply_where_a_zone_has_none(  # type: ignore[no-untyped-def]
    admin_api, dispatch, link, database, config
) -> None:
    config.quiet_hours.start, config.quiet_hours.end = quiet_window_around_now()
    set_zone_quiet(database, "thon-2", quiet_window_around_now(-3, 4))  # quiet later today
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-1"]})
    assert r.status_code == 422 and r.json["error"]["code"] == "quiet_hours"
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-2"]})
    assert r.status_code == 201, r.json


def test_text_in_quiet_hours_is_refused_before_it_is_spoken(  # type: ignore[no-untyped-def]
    admin_api, dispatch, link, database, monkeypatch
) -> None:
    spoken: list[str] = []
    stub = types.ModuleType("controller.tts.service")
    stub.synthesize_to_media = lambda session, config, text, **kw: spoken.append(text)  # type: ignore[attr-defined]
    stub.TtsError = type("TtsError", (Exception,), {})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "controller.tts.service", stub)
    set_zone_quiet(database, "thon-2", quiet_window_around_now())
    r = admin_api.post("/api/v1/broadcasts", json={"text": "Họp thôn", "zones": ["thon-2"]})
    assert r.status_code == 422 and r.json["error"]["code"] == "quiet_hours"
    assert spoken == [] and link.published == []


def test_zones_and_all_together_or_zones_without_nodes_are_refused(  # type: ignore[no-untyped-def]
    admin_api, dispatch, link, database
) -> None:
    both = {"media_ids": [1], "zones": ["thon-1"], "all": True}
    r = admin_api.post("/api/v1/broadcasts", json=both)
    assert r.status_code == 422 and "không chọn cả hai" in r.json["error"]["message"]
    with database.session() as s:
        s.add(Zone(id="thon-moi", site_id=SITE, name="Thôn Mới"))
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-moi"]})
    assert r.status_code == 422 and r.json["error"]["code"] == "no_nodes"
    assert r.json["error"]["message"] == "Thôn đã chọn chưa có cụm loa nào."
    # A zone with nodes next to an empty one is fine: only the reachable zones count.
    r = admin_api.post(
        "/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-moi", "thon-1"]}
    )
    assert r.status_code == 201 and r.json["nodes"] == ["thon-1-a", "thon-1-b"]
    sent = r.json["id"]
    with database.session() as s:
        for node in s.scalars(select(Node)):
            s.delete(node)
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "all": True})
    assert r.status_code == 422 and r.json["error"]["code"] == "no_nodes"
    assert {json.loads(m.payload)["id"] for m in link.published} == {sent}  # only the one


def test_roles_without_broadcast_are_refused(api_as, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    for role in ("viewer", "approver"):
        r = api_as(role).post("/api/v1/broadcasts", json={"media_ids": [1], "all": True})
        assert r.status_code == 403
    assert link.published == []


def test_broker_down_is_503_and_nothing_is_stored(admin_api, dispatch, link, database) -> None:  # type: ignore[no-untyped-def]
    link.connected = False
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "all": True})
    assert r.status_code == 503 and r.json["error"]["code"] == "broker_unavailable"
    assert "MQTT" in r.json["error"]["message"]
    with database.session() as s:
        assert s.scalars(select(Command)).first() is None


def test_without_dispatch_service_is_503(admin_api, commune) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.post("/api/v1/broadcasts", json={"media_ids": [1], "all": True})
    assert r.status_code == 503 and r.json["error"]["code"] == "dispatch_unavailable"


def test_text_without_tts_service_is_422(admin_api, dispatch, link, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "controller.tts.service", types.ModuleType("stub"))
    r = admin_api.post("/api/v1/broadcasts", json={"text": "Thông báo họp", "all": True})
    assert r.status_code == 422 and r.json["error"]["code"] == "tts_unsupported"
    assert "chưa hỗ trợ" in r.json["error"]["message"]


def test_text_uses_the_tts_service_when_present(admin_api, dispatch, link, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, dict]] = []

    def synthesize_to_media(session, config, text, **options):  # type: ignore[no-untyped-def]
        calls.append((text, options))
        return session.get(MediaItem, 2), text, "fake"

    stub = types.ModuleType("controller.tts.service")
    stub.synthesize_to_media = synthesize_to_media  # type: ignore[attr-defined]
    stub.TtsError = type("TtsError", (Exception,), {})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "controller.tts.service", stub)
    body = {"text": "Thông báo họp", "zones": ["thon-2"], "emergency": True, "title": "Họp"}
    r = admin_api.post("/api/v1/broadcasts", json=body)
    assert r.status_code == 201, r.json
    [(text, options)] = calls
    assert text == "Thông báo họp" and options["title"] == "Họp"
    assert options["category"] == "emergency" and options["site_id"] == SITE
    item = _command(link).item
    assert item.kind == "emergency" and item.media[0].sha256 == "cd" * 32


def test_text_is_spoken_by_the_real_tts_service(admin_api, dispatch, link, config) -> None:  # type: ignore[no-untyped-def]
    config.tts.engines = ["espeak"]  # offline engine: no network in tests
    r = admin_api.post("/api/v1/broadcasts", json={"text": "Mời bà con họp lúc 8h", "all": True})
    assert r.status_code == 201, r.json
    item = _command(link).item
    assert item.kind == "tts" and len(item.media) == 1
    assert item.media[0].duration_ms > 500 and item.media[0].bytes > 1000
    empty = admin_api.post("/api/v1/broadcasts", json={"text": "...", "all": True})
    assert empty.status_code == 422 and empty.json["error"]["code"] != "tts_unsupported"


def test_stop_everything_or_one_item(api_as, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    r = officer.post("/api/v1/broadcasts/stop", json={})
    assert r.status_code == 201 and r.json["target"] == "all"
    cmd = _command(link)
    assert cmd.op == "stop" and cmd.target == "all" and cmd.id == r.json["id"]
    r = officer.post("/api/v1/broadcasts/stop", json={"item": "abc", "zones": ["thon-2"]})
    assert r.status_code == 201 and link.topics()[-1] == f"{P}/zone/thon-2/cmd"
    assert _command(link).target == "abc"
    assert officer.post("/api/v1/broadcasts/stop").status_code == 201  # no body: stop all


def test_status_shows_acks_and_events_per_node(api_as, dispatch, link) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    bid = officer.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-1"]}).json[
        "id"
    ]
    at = "2027-01-28T07:00:00.000+07:00"
    ack = {"node": "thon-1-a", "cmd": bid, "result": "ok", "at": at}
    started = {"node": "thon-1-a", "type": "started", "item": bid, "at": at}
    dispatch.handle(f"{P}/node/thon-1-a/ack", json.dumps(ack).encode())
    dispatch.handle(f"{P}/node/thon-1-a/event", json.dumps(started).encode())
    r = officer.get(f"/api/v1/broadcasts/{bid}")
    assert r.status_code == 200
    nodes = {n["node"]: n for n in r.json["nodes"]}
    assert nodes["thon-1-a"]["acknowledged"] and nodes["thon-1-a"]["result"] == "ok"
    assert nodes["thon-1-a"]["started"] is not None and nodes["thon-1-a"]["finished"] is None
    assert nodes["thon-1-b"]["acknowledged"] is False
    assert r.json["summary"] == {
        "nodes": 2,
        "acknowledged": 1,
        "started": 1,
        "finished": 0,
        "failed": 0,
    }
    assert r.json["item"]["title"] == "Tin bão số 3"
    listed = officer.get("/api/v1/broadcasts").json["items"]
    assert [c["id"] for c in listed] == [bid]
    assert officer.get("/api/v1/broadcasts/none").status_code == 404
