"""Users API: administrators only; passwords never echoed; every change audited."""

import pytest
from sqlalchemy import select

from controller.db.models import AuditLog

pytestmark = pytest.mark.postgres


def test_admin_creates_lists_and_changes_users(admin_api) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.post(
        "/api/v1/users",
        json={
            "username": "canbo2",
            "role": "officer",
            "password": "mat-khau-123",
            "full_name": "Lê Văn B",
        },
    )
    assert r.status_code == 201, r.json
    assert "password" not in r.json and "password_hash" not in r.json
    uid = r.json["id"]
    names = [u["username"] for u in admin_api.get("/api/v1/users").json["items"]]
    assert "canbo2" in names
    r = admin_api.put(f"/api/v1/users/{uid}", json={"role": "approver", "active": False})
    assert r.json["role"] == "approver" and r.json["active"] is False


def test_duplicates_and_bad_roles_are_refused(admin_api) -> None:  # type: ignore[no-untyped-def]
    body = {"username": "x1", "role": "viewer", "password": "mat-khau-123"}
    assert admin_api.post("/api/v1/users", json=body).status_code == 201
    dup = admin_api.post("/api/v1/users", json=body)
    assert dup.status_code == 409 and "đã tồn tại" in dup.json["error"]["message"]
    bad = admin_api.post("/api/v1/users", json={**body, "username": "x2", "role": "vua"})
    assert bad.status_code == 422
    short = admin_api.post("/api/v1/users", json={**body, "username": "x3", "password": "1"})
    assert short.status_code == 422


def test_officer_cannot_see_or_change_users(api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    assert officer.get("/api/v1/users").status_code == 403
    r = officer.post("/api/v1/users", json={"username": "h", "role": "admin", "password": "x" * 9})
    assert r.status_code == 403


def test_password_change_is_audited_without_the_password(admin_api, database) -> None:  # type: ignore[no-untyped-def]
    uid = admin_api.post(
        "/api/v1/users", json={"username": "y", "role": "viewer", "password": "mat-khau-123"}
    ).json["id"]
    admin_api.put(f"/api/v1/users/{uid}", json={"password": "mat-khau-moi-456"})
    with database.session() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "user.update")).one()
        assert row.detail == {"password": "changed"}
