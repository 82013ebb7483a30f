"""GET /api/v1/audit: the audit log with filters, for administrators and approvers only."""

from __future__ import annotations

from datetime import UTC, datetime

from controller.db.models import AuditLog


def _seed(database, names: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ("2027-01-10T02:00:00", names["officer"], "media.create", "media", "7"),
        ("2027-01-20T16:59:00", names["officer"], "broadcast.create", "broadcast", "b1"),
        ("2027-01-20T17:01:00", names["approver"], "program.approve", "program", "3"),
        ("2027-01-21T00:00:00", "stranger", "user.create", "user", "x"),  # not this commune's
    ]
    with database.session() as s:
        for at, who, action, kind, target in rows:
            s.add(
                AuditLog(
                    at=datetime.fromisoformat(at).replace(tzinfo=UTC),
                    username=who,
                    action=action,
                    target_type=kind,
                    target_id=target,
                    detail={"k": 1},
                )
            )


def test_filters_by_user_action_and_local_days(app, api_as, make_user, database) -> None:  # type: ignore[no-untyped-def]
    admin = api_as("admin")
    names = {"officer": make_user("officer"), "approver": make_user("approver")}
    _seed(database, names)
    r = admin.get("/api/v1/audit?from=2027-01-01&to=2027-01-31")
    assert r.status_code == 200
    assert [i["action"] for i in r.json["items"]] == [
        "program.approve",
        "broadcast.create",
        "media.create",
    ]
    first = r.json["items"][0]
    assert first["at"] == "2027-01-21T00:01:00+07:00" and first["detail"] == {"k": 1}
    # 20/01 16:59 UTC is 20/01 23:59 local: inside the day; 17:01 UTC is already the 21st.
    day = admin.get("/api/v1/audit?from=2027-01-20&to=2027-01-20").json["items"]
    assert [i["action"] for i in day] == ["broadcast.create"]
    mine = admin.get(f"/api/v1/audit?user={names['officer']}&action=media").json["items"]
    assert [i["target_id"] for i in mine] == ["7"]
    assert admin.get("/api/v1/audit?action=media.create").json["items"][0]["target_id"] == "7"
    assert admin.get("/api/v1/audit?action=med").json["items"] == []  # a prefix is a whole part
    assert len(admin.get("/api/v1/audit?limit=1").json["items"]) == 1


def test_who_may_read_and_bad_filters(api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as("approver").get("/api/v1/audit").status_code == 200
    for role in ("officer", "viewer", "node"):
        assert api_as(role).get("/api/v1/audit").status_code == 403
    admin = api_as("admin")
    for query in ("from=hôm-qua", "limit=0", "from=2027-02-01&to=2027-01-01"):
        r = admin.get(f"/api/v1/audit?{query}")
        assert r.status_code == 422 and r.json["error"]["code"] == "validation", query
