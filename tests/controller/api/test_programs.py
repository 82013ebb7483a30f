"""Programs API: creation and checks, approval workflow and gating, conflicts, quiet hours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from controller.db.models import AuditLog, MediaItem

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)  # a Monday
REPO = Path(__file__).resolve().parents[3]


class FakeDispatch:
    """The dispatcher's ``publish_plans`` interface: keeps the last plan of every node."""

    def __init__(self) -> None:
        self.plans: dict[str, list[dict[str, Any]]] = {}
        self.calls = 0
        self.seq = 0

    def publish_plans(self, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        self.calls += 1
        changed = {}
        for node, items in plans.items():
            if self.plans.get(node) != items:
                self.seq += 1
                self.plans[node] = items
                changed[node] = self.seq
        return changed


@pytest.fixture
def site(app, admin_api):  # type: ignore[no-untyped-def]
    """Two hamlets with a node each, two clips, a pinned clock and a fake dispatcher."""
    app.extensions["tt.clock"] = lambda: NOW
    dispatch = FakeDispatch()
    app.extensions["tt.dispatch"] = dispatch
    for zone in ("thon-1", "thon-2"):
        assert admin_api.post("/api/v1/zones", json={"id": zone, "name": zone}).status_code == 201
        r = admin_api.post("/api/v1/nodes", json={"id": f"{zone}-a", "zone": zone})
        assert r.status_code == 201
    ids = []
    with app.extensions["tt.db"].session() as session:
        for n, seconds in ((1, 60), (2, 120)):
            item = MediaItem(
                site_id="xa-binh-yen", title=f"Bản tin {n}", category="tuyen-truyen",
                sha256=f"{n:064x}", bytes=1000 * n, duration_ms=seconds * 1000,
                original_sha256=f"{n:064x}",
            )  # fmt: skip
            session.add(item)
            session.flush()
            ids.append(item.id)
    return {"media": ids, "dispatch": dispatch}


def body(site: dict, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Tuyên truyền phòng chống cháy rừng",
        "media_ids": [site["media"][0]],
        "zones": ["thon-1"],
        "priority": "normal",
        "schedule": {"type": "daily", "time": "07:00"},
    }
    data.update(kw)
    return data


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


@pytest.fixture
def approver(api_as):  # type: ignore[no-untyped-def]
    return api_as("approver")


def starts(site: dict, node: str = "thon-1-a") -> list[tuple[str, str]]:
    return [(i["id"], i["start"]) for i in site["dispatch"].plans.get(node, [])]


def create(api: Any, site: dict, **kw: Any) -> dict[str, Any]:
    r = api.post("/api/v1/programs", json=body(site, **kw))
    assert r.status_code == 201, r.json
    return r.json


# --- create, read, validate ------------------------------------------------------------------


@pytest.mark.postgres
def test_create_once_program_is_pending_and_listed(site, officer) -> None:  # type: ignore[no-untyped-def]
    once = {"type": "once", "at": "2027-02-05T20:00:00+07:00"}
    r = officer.post("/api/v1/programs", json=body(site, schedule=once, all=True, zones=None))
    assert r.status_code == 201, r.json
    program = r.json
    assert isinstance(program["id"], int) and program["status"] == "pending"
    assert program["all"] is True and program["zones"] is None
    assert program["schedule"] == {"type": "once", "at": "2027-02-05T20:00:00+07:00"}
    assert program["kind"] == "clip" and program["on_conflict"] == "reject"
    listed = officer.get("/api/v1/programs").json["items"]
    assert [p["id"] for p in listed] == [program["id"]]
    assert officer.get("/api/v1/programs?status=approved").json["items"] == []
    assert officer.get("/api/v1/programs?status=pending").json["items"][0]["id"] == program["id"]
    assert officer.get("/api/v1/programs?status=nonsense").status_code == 422
    assert officer.get(f"/api/v1/programs/{program['id']}").json["title"] == program["title"]
    assert officer.get("/api/v1/programs/99999").status_code == 404


def test_draft_is_kept_as_draft_until_submitted(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    program = create(officer, site, draft=True)
    assert program["status"] == "draft"
    r = officer.post(f"/api/v1/programs/{program['id']}/submit")
    assert r.status_code == 200 and r.json["status"] == "pending"
    again = officer.post(f"/api/v1/programs/{program['id']}/submit")
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    assert "chờ duyệt" in again.json["error"]["message"]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"media_ids": [424242]}, "media_unknown", "424242"),
        ({"zones": ["thon-9"]}, "zone_unknown", "thon-9"),
        ({"zones": []}, "validation", "ít nhất một thôn"),
        ({"schedule": {"type": "fortnightly"}}, "validation", "không được hỗ trợ"),
        ({"schedule": {"type": "cron", "expr": "61 * * * *"}}, "validation", "cron"),
        ({"schedule": {"type": "weekly", "days": [], "time": "07:00"}}, "validation", "ngày"),
        ({"schedule": {"type": "daily", "time": "25:00"}}, "validation", "Giờ phát"),
        ({"schedule": {"type": "holiday", "holiday": "tet-sao-hoa", "time": "07:00"}},
         "validation", "tet-sao-hoa"),
        ({"valid_from": "2027-03-01", "valid_to": "2027-02-01"}, "validation", "sau ngày"),
        ({"priority": "gấp"}, "validation", "Mức ưu tiên"),
        ({"volume": 150}, "validation", "Âm lượng"),
        ({"on_conflict": "merge"}, "validation", "trùng lịch"),
        ({"schedule": {"type": "once", "at": "2026-01-01T07:00:00+07:00"}}, "no_occurrence",
         "không có lượt phát"),
        ({"schedule": {"type": "relay", "time": "18:00", "end_time": "19:00"}}, "validation",
         "Tiếp âm"),
    ],
)  # fmt: skip
def test_invalid_programs_get_clear_vietnamese_422(site, officer, change, code, words) -> None:  # type: ignore[no-untyped-def]
    r = officer.post("/api/v1/programs", json=body(site, **change))
    assert r.status_code == 422, r.json
    assert r.json["error"]["code"] == code
    assert words in r.json["error"]["message"]
    assert officer.get("/api/v1/programs").json["items"] == []


def test_relay_program_with_stream(site, officer) -> None:  # type: ignore[no-untyped-def]
    relay = {"type": "relay", "time": "18:00", "end_time": "18:30"}
    program = create(
        officer, site, media_ids=[], schedule=relay, stream_url="http://vov.example/vov1"
    )
    assert program["kind"] == "relay" and program["stream_url"] == "http://vov.example/vov1"


@pytest.mark.parametrize(
    ("expr", "status"),
    [("* 6-21 * * *", 422), ("*/10 5-21 * * *", 422), ("*/10 6-21 * * *", 201)],
)
def test_schedules_denser_than_every_15_minutes_are_refused(site, officer, expr, status) -> None:  # type: ignore[no-untyped-def]
    """More than 96 occurrences in a day makes plans too big for a node (1.3 MB a day)."""
    r = officer.post("/api/v1/programs", json=body(site, schedule={"type": "cron", "expr": expr}))
    assert r.status_code == status, r.json
    if status == 422:
        assert r.json["error"]["code"] == "too_frequent"
        assert "quá dày" in r.json["error"]["message"] and "15 phút" in r.json["error"]["message"]


def test_frequency_is_counted_from_the_start_of_validity_and_on_edit(site, officer) -> None:  # type: ignore[no-untyped-def]
    # Every minute, but only on Sundays from 2027-01-10: the first day counted is that Sunday.
    sundays = {"type": "cron", "expr": "* 8-9 * * 0"}
    r = officer.post("/api/v1/programs", json=body(site, schedule=sundays, valid_from="2027-01-10"))
    assert r.status_code == 422 and r.json["error"]["code"] == "too_frequent"
    program = create(officer, site)
    r = officer.put(
        f"/api/v1/programs/{program['id']}",
        json={"schedule": {"type": "cron", "expr": "*/5 6-21 * * *"}},
    )
    assert r.status_code == 422 and r.json["error"]["code"] == "too_frequent"
    assert officer.get(f"/api/v1/programs/{program['id']}").json["schedule"]["type"] == "daily"


def test_playlist_times_repeat_over_the_node_limit_is_refused(site, officer) -> None:  # type: ignore[no-untyped-def]
    five = [site["media"][0]] * 5
    assert (
        officer.post("/api/v1/programs", json=body(site, media_ids=five, repeat=10)).status_code
        == 201
    )
    r = officer.post("/api/v1/programs", json=body(site, media_ids=[*five, five[0]], repeat=10))
    assert r.status_code == 422 and r.json["error"]["code"] == "too_many_media"
    assert "6 × 10" in r.json["error"]["message"]


# --- roles and approval ----------------------------------------------------------------------


def test_only_approvers_approve_and_only_schedulers_schedule(site, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    program = create(officer, site)
    path = f"/api/v1/programs/{program['id']}"
    for role in ("viewer", "officer"):
        r = api_as(role).post(f"{path}/approve", json={})
        assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
        assert api_as(role).post(f"{path}/reject").status_code == 403
    assert api_as("viewer").post("/api/v1/programs", json=body(site)).status_code == 403
    # The chairman may schedule his own greetings (capability "schedule"); a viewer may not.
    assert api_as("approver").post("/api/v1/programs", json=body(site)).status_code != 403
    assert api_as("viewer").delete(path).status_code == 403
    assert api_as("viewer").post(f"{path}/pause").status_code == 403
    assert api_as("viewer").get(path).status_code == 200


@pytest.mark.postgres
def test_approval_gates_plans_and_every_step_is_audited(  # type: ignore[no-untyped-def]
    site, officer, approver, database
) -> None:
    program = create(officer, site)
    path = f"/api/v1/programs/{program['id']}"
    # Pending: never in a plan.
    officer.post("/api/v1/programs", json=body(site, title="Khác", zones=["thon-2"]))
    assert starts(site) == []
    r = approver.post(f"{path}/approve", json={"comment": "Đồng ý phát"})
    assert r.status_code == 200 and r.json["status"] == "approved"
    assert r.json["decided_by"].startswith("approver") and r.json["decision_comment"]
    item_id = f"p{program['id']}-20270104T0700"
    assert starts(site)[0] == (f"p{program['id']}-20270105T0700", "2027-01-05T07:00:00+07:00")
    assert item_id not in dict(starts(site))  # 07:00 today is already over at 08:00
    item = site["dispatch"].plans["thon-1-a"][0]
    assert item["media"][0]["url"].endswith(f"/api/v1/media/{site['media'][0]}/audio")
    assert item["priority"] == 100 and item["kind"] == "clip"
    assert site["dispatch"].plans["thon-2-a"] == []  # the other program is still pending
    assert officer.post(f"{path}/pause").json["status"] == "paused"
    assert starts(site) == []
    assert approver.post(f"{path}/resume").json["status"] == "approved"
    assert len(starts(site)) == 2  # 5 and 6 January within the 48 h horizon
    assert officer.delete(path).status_code == 204
    assert starts(site) == []
    with database.session() as session:
        actions = session.scalars(
            select(AuditLog.action)
            .where(AuditLog.target_id == str(program["id"]))
            .order_by(AuditLog.id)
        ).all()
    assert actions == [
        "program.create", "program.approve", "program.pause", "program.resume", "program.delete",
    ]  # fmt: skip


def test_reject_keeps_program_out_and_edit_resubmits(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    program = create(officer, site)
    path = f"/api/v1/programs/{program['id']}"
    r = approver.post(f"{path}/reject", json={"comment": "Sai nội dung"})
    assert r.json["status"] == "rejected" and r.json["decision_comment"] == "Sai nội dung"
    assert approver.post(f"{path}/approve").status_code == 409
    assert officer.put(path, json={"title": "Đã sửa"}).json["status"] == "pending"


def test_back_to_pending_forgets_the_old_decision(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    decision = ("decided_by", "decided_at", "decision_comment")
    rejected = create(officer, site)
    path = f"/api/v1/programs/{rejected['id']}"
    assert approver.post(f"{path}/reject", json={"comment": "Sai nội dung"}).json["decided_by"]
    r = officer.put(path, json={"title": "Đã sửa"})
    assert r.json["status"] == "pending" and [r.json[k] for k in decision] == [None] * 3
    assert [officer.get(path).json[k] for k in decision] == [None] * 3  # stored, not just shown
    approver.post(f"{path}/reject", json={"comment": "Vẫn sai"})
    r = officer.post(f"{path}/submit")
    assert r.json["status"] == "pending" and [r.json[k] for k in decision] == [None] * 3
    approved = create(officer, site, zones=["thon-2"])
    path = f"/api/v1/programs/{approved['id']}"
    assert approver.post(f"{path}/approve", json={"comment": "Đồng ý"}).json["decided_at"]
    r = officer.put(path, json={"volume": 60})
    assert r.json["status"] == "pending" and [r.json[k] for k in decision] == [None] * 3


def test_officer_edit_of_approved_program_sends_it_back(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    program = create(officer, site)
    path = f"/api/v1/programs/{program['id']}"
    approver.post(f"{path}/approve")
    assert len(starts(site)) == 2
    r = officer.put(path, json={"schedule": {"type": "daily", "time": "17:30"}})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "pending" and r.json["schedule"]["time"] == "17:30"
    assert r.json["title"] == program["title"]  # untouched fields keep their value
    assert starts(site) == []
    r = approver.post(f"{path}/approve")
    assert [s for _, s in starts(site)][0] == "2027-01-04T17:30:00+07:00"


# --- quiet hours -----------------------------------------------------------------------------


def test_quiet_hours_refuse_non_emergency(site, officer, admin_api) -> None:  # type: ignore[no-untyped-def]
    r = officer.post(
        "/api/v1/programs", json=body(site, schedule={"type": "daily", "time": "22:30"})
    )
    assert r.status_code == 422
    error = r.json["error"]
    assert error["code"] == "quiet_hours"
    assert "04/01/2027 22:30" in error["message"] and "22:00–05:00" in error["message"]
    # A clip ending after 22:00 also reaches into quiet hours.
    late = body(site, media_ids=[site["media"][1]], schedule={"type": "daily", "time": "21:59"})
    assert officer.post("/api/v1/programs", json=late).json["error"]["code"] == "quiet_hours"
    emergency = body(site, priority="emergency", schedule={"type": "daily", "time": "23:00"})
    r = officer.post("/api/v1/programs", json=emergency)
    assert r.status_code == 201 and r.json["kind"] == "emergency"


def test_quiet_hours_are_per_zone(site, officer, admin_api) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.put("/api/v1/zones/thon-2", json={"quiet_start": "20:00", "quiet_end": "06:00"})
    assert r.status_code == 200
    evening = {"type": "weekly", "days": [2], "time": "21:00"}
    assert officer.post("/api/v1/programs", json=body(site, schedule=evening)).status_code == 201
    r = officer.post("/api/v1/programs", json=body(site, schedule=evening, zones=["thon-2"]))
    assert r.status_code == 422 and r.json["error"]["code"] == "quiet_hours"
    assert "06/01/2027 21:00" in r.json["error"]["message"]
    assert "20:00–06:00" in r.json["error"]["message"] and r.json["error"]["zone"] == "thon-2"


# --- conflicts -------------------------------------------------------------------------------


def test_conflict_rejected_by_default_with_details(site, officer) -> None:  # type: ignore[no-untyped-def]
    first = create(officer, site, title="Bản tin sáng")  # pending programs count too
    r = officer.post("/api/v1/programs", json=body(site, title="Thông báo CCHC"))
    assert r.status_code == 409
    error = r.json["error"]
    assert error["code"] == "conflict" and "Bản tin sáng" in error["message"]
    conflict = error["conflicts"][0]
    assert conflict["program"] == first["id"] and conflict["title"] == "Bản tin sáng"
    assert conflict["zone"] == "thon-1" and conflict["nodes"] == ["thon-1-a"]
    assert conflict["start"] == "2027-01-05T07:00:00+07:00"
    assert conflict["end"] == "2027-01-05T07:01:00+07:00"
    # Another hamlet has no conflict.
    assert officer.post("/api/v1/programs", json=body(site, zones=["thon-2"])).status_code == 201


@pytest.mark.postgres
def test_override_wins_the_overlap_in_the_plan(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    first = create(officer, site, title="Bản tin sáng")
    second = create(officer, site, title="Thông báo khẩn của xã", on_conflict="override")
    assert second["on_conflict"] == "override" and second["conflicts"] == []
    for p in (first, second):
        approver.post(f"/api/v1/programs/{p['id']}/approve")
    assert [i for i, _ in starts(site)] == [
        f"p{second['id']}-20270105T0700",
        f"p{second['id']}-20270106T0700",
    ]


def test_override_cannot_beat_a_higher_level(site, officer) -> None:  # type: ignore[no-untyped-def]
    create(officer, site, title="Cảnh báo bão", priority="emergency")
    second = create(officer, site, title="Bản tin", on_conflict="override")
    assert second["conflicts"] and second["conflicts"][0]["winner"] == "other"


@pytest.mark.postgres
def test_append_moves_occurrences_after_the_other(site, officer, approver) -> None:  # type: ignore[no-untyped-def]
    first = create(officer, site, title="Bản tin sáng", media_ids=[site["media"][1]])
    second = create(officer, site, title="Nhạc hiệu", on_conflict="append")
    assert second["on_conflict"] == "append"
    assert second["shifts"]["20270105T0700"] == 120
    for p in (first, second):
        approver.post(f"/api/v1/programs/{p['id']}/approve")
    assert starts(site) == [
        (f"p{first['id']}-20270105T0700", "2027-01-05T07:00:00+07:00"),
        (f"p{second['id']}-20270105T0700", "2027-01-05T07:02:00+07:00"),
        (f"p{first['id']}-20270106T0700", "2027-01-06T07:00:00+07:00"),
        (f"p{second['id']}-20270106T0700", "2027-01-06T07:02:00+07:00"),
    ]


def test_edit_is_checked_for_conflicts_but_not_against_itself(site, officer) -> None:  # type: ignore[no-untyped-def]
    first = create(officer, site, title="Bản tin sáng")
    second = create(
        officer, site, title="Bản tin chiều", schedule={"type": "daily", "time": "17:00"}
    )
    ok = officer.put(f"/api/v1/programs/{first['id']}", json={"volume": 60})
    assert ok.status_code == 200 and ok.json["volume"] == 60
    clash = officer.put(
        f"/api/v1/programs/{second['id']}", json={"schedule": {"type": "daily", "time": "07:00"}}
    )
    assert clash.status_code == 409
    assert officer.get(f"/api/v1/programs/{second['id']}").json["schedule"]["time"] == "17:00"


# --- time-zone independence ------------------------------------------------------------------

_TZ_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo
    time.tzset()
    from controller.app import create_app
    from controller.bootstrap import ensure_site
    from controller.config import Config
    from controller.db.models import MediaItem
    from controller.users import create_token, create_user

    tmp = Path(sys.argv[1])
    cfg = Config()
    cfg.base_dir = tmp
    cfg.database.url = f"sqlite:///{tmp / 'tt.db'}"
    cfg.server.secret_key_file = str(tmp / "secret")
    app = create_app(cfg)
    ensure_site(app.extensions["tt.db"], cfg)
    app.extensions["tt.clock"] = lambda: datetime(2027, 1, 4, 8, 0, tzinfo=ZoneInfo("UTC"))
    published = {}
    class Dispatch:
        def publish_plans(self, plans):
            published.update(plans)
            return {}
    app.extensions["tt.dispatch"] = Dispatch()
    with app.extensions["tt.db"].session() as s:
        create_user(s, "admin", "admin", "mat-khau-thu-nghiem", cfg.site.id)
    with app.extensions["tt.db"].session() as s:
        token = create_token(s, "admin")
        s.add(MediaItem(site_id=cfg.site.id, title="x", category="c", sha256="a" * 64,
                        bytes=10, duration_ms=60000, original_sha256="a" * 64))
    c = app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    c.post("/api/v1/zones", json={"id": "thon-1", "name": "T"}, headers=h)
    c.post("/api/v1/nodes", json={"id": "n1", "zone": "thon-1"}, headers=h)
    out = {}
    for sched in ({"type": "daily", "time": "21:30"}, {"type": "once", "at": "2027-01-05T06:00"}):
        r = c.post("/api/v1/programs", json={"title": "t", "media_ids": [1], "all": True,
                                               "schedule": sched}, headers=h)
        out[sched["type"]] = {k: v for k, v in r.json.items() if not k.endswith("_at")}
        c.post(f"/api/v1/programs/{r.json['id']}/approve", json={}, headers=h)
    quiet = c.post("/api/v1/programs", json={"title": "t", "media_ids": [1], "all": True,
                   "schedule": {"type": "daily", "time": "04:59"}}, headers=h)
    out["quiet"] = quiet.json
    out["holidays"] = c.get("/api/v1/calendar/holidays?year=2027", headers=h).json
    out["plan"] = published
    print(json.dumps(out, sort_keys=True))
    """
)


def test_api_output_does_not_depend_on_server_time_zone(tmp_path: Path) -> None:
    running = []
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):  # in parallel
        work = tmp_path / zone.replace("/", "_")
        work.mkdir()
        env = {**os.environ, "TZ": zone, "PYTHONPATH": str(REPO)}
        running.append(
            subprocess.Popen(
                [sys.executable, "-c", _TZ_SCRIPT, str(work)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=REPO,
            )  # fmt: skip
        )
    outputs = []
    for proc in running:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1] == outputs[2]
    plan = outputs[0]["plan"]["n1"]
    assert [i["start"] for i in plan] == [
        "2027-01-04T21:30:00+07:00",
        "2027-01-05T06:00:00+07:00",
        "2027-01-05T21:30:00+07:00",
    ]
    assert "05/01/2027 04:59" in outputs[0]["quiet"]["error"]["message"]


def test_put_nulls_and_kind_follow_the_schedule(site, officer) -> None:  # type: ignore[no-untyped-def]
    program = create(officer, site, valid_to="2027-06-30")
    path = f"/api/v1/programs/{program['id']}"
    r = officer.put(path, json={"title": None, "valid_to": None})
    assert r.status_code == 200, r.json
    assert r.json["title"] == program["title"] and r.json["valid_to"] is None
    relay = {"type": "relay", "time": "18:00", "end_time": "18:30"}
    r = officer.put(path, json={"schedule": relay, "media_ids": [], "stream_url": "http://s/1"})
    assert r.status_code == 200, r.json
    assert r.json["kind"] == "relay" and r.json["schedule"]["end_time"] == "18:30"
    r = officer.put(path, json={"zones": None, "all": True})
    assert r.json["all"] is True and r.json["zones"] is None


def test_programs_and_calendar_are_in_the_openapi_document(admin_api) -> None:  # type: ignore[no-untyped-def]
    paths = admin_api.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/programs"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/programs/{program_id}"])
    assert "post" in paths["/api/v1/programs/{program_id}/approve"]
    assert "get" in paths["/api/v1/calendar/holidays"]
