"""PostgreSQL becomes unreachable under a running controller: the API answers 503
``database_unavailable`` with a Vietnamese message (English on request), the health check names
the database, and everything works again once it is back, without a restart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.support.waiting import wait_until


@pytest.fixture
def db_url(pg_server: str) -> Iterator[str]:
    """A database of our own on the test PostgreSQL server (the app fixture migrates it)."""
    name = f"tt_down_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def set_reachable(pg_server: str, db_url: str, reachable: bool) -> None:
    """Open or close the database to new connections; closing also ends the current ones."""
    name = db_url.rsplit("/", 1)[1]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(reachable).lower()}'))
        if not reachable:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
    admin.dispose()


def test_api_answers_503_while_the_database_is_down_and_recovers(
    app, api_as, admin_api, pg_server, db_url
) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    officer_en = api_as("officer", lang="en")
    assert officer.get("/api/v1/nodes").status_code == 200  # pooled connections exist now
    set_reachable(pg_server, db_url, False)
    try:
        for path in ("/api/v1/nodes", "/api/v1/plays", "/api/v1/programs"):
            r = officer.get(path)
            assert r.status_code == 503, (path, r.status_code, r.get_data(as_text=True)[:300])
            assert r.json["error"]["code"] == "database_unavailable"
            assert "Cơ sở dữ liệu" in r.json["error"]["message"]
        r = officer_en.get("/api/v1/media")
        assert r.status_code == 503 and "database" in r.json["error"]["message"].lower()
        health = app.test_client().get("/healthz")
        assert health.status_code == 503 and health.json["database"] != "ok"
    finally:
        set_reachable(pg_server, db_url, True)
    wait_until(lambda: officer.get("/api/v1/nodes").status_code == 200, 15, "API back")
    r = admin_api.post("/api/v1/zones", json={"id": "thon-9", "name": "Thôn 9"})
    assert r.status_code == 201, r.json  # writes work again too
    assert app.test_client().get("/healthz").json["database"] == "ok"
