"""Shared fixtures: a controller app on a throw-away database, users, tokens, API clients.

Storage tests marked ``postgres`` run against SQLite and PostgreSQL. PostgreSQL comes from
``TT_TEST_PG_URL`` (default: the local server as the postgres user); in CI an unreachable
PostgreSQL fails the run instead of skipping silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from controller.app import create_app
from controller.bootstrap import ensure_site
from controller.config import Config
from controller.db.session import Database
from controller.users import create_token, create_user

PG_ADMIN_URL = os.environ.get(
    "TT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "mat-khau-thu-nghiem"


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_server() -> str:
    problem = _pg_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL required in CI but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable here: {problem}")
    return PG_ADMIN_URL


def _make_pg_database(admin_url: str) -> tuple[str, Any]:
    name = f"tt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database URL; tests marked ``postgres`` also get a PostgreSQL one."""
    if getattr(request, "param", "sqlite") == "postgresql":
        admin_url = request.getfixturevalue("pg_server")
        url, drop = _make_pg_database(admin_url)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'tt.db'}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("postgres"):
        metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Config:
    cfg = Config()
    cfg.base_dir = tmp_path
    cfg.database.url = db_url
    cfg.server.secret_key_file = str(tmp_path / "secret_key")
    cfg.signing.private_key = str(tmp_path / "signing_key")
    cfg.storage.media_dir = str(tmp_path / "media")
    cfg.mqtt.port = 1  # nothing listens there: tests that need a broker start their own
    return cfg


@pytest.fixture
def app(config: Config):  # type: ignore[no-untyped-def]
    application = create_app(config)
    application.config["TESTING"] = True
    ensure_site(application.extensions["tt.db"], config)
    yield application
    application.extensions["tt.db"].dispose()


@pytest.fixture
def database(app) -> Database:  # type: ignore[no-untyped-def]
    return app.extensions["tt.db"]


class ApiClient:
    """A test client that sends a bearer token and JSON bodies."""

    def __init__(self, client: Any, token: str, lang: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        if lang:
            self.headers["Accept-Language"] = lang

    def __getattr__(self, method: str) -> Any:
        def call(path: str, **kwargs: Any) -> Any:
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self.client, method)(path, headers=headers, **kwargs)

        return call


@pytest.fixture
def make_user(app, config):  # type: ignore[no-untyped-def]
    def make(role: str, username: str | None = None) -> str:
        username = username or f"{role}-{uuid.uuid4().hex[:6]}"
        with app.extensions["tt.db"].session() as session:
            create_user(session, username, role, PASSWORD, config.site.id)
        return username

    return make


@pytest.fixture
def api_as(app, make_user):  # type: ignore[no-untyped-def]
    """``api_as("officer")`` -> an ApiClient with a fresh token of that role."""

    def build(role: str, lang: str | None = None) -> ApiClient:
        username = make_user(role)
        with app.extensions["tt.db"].session() as session:
            token = create_token(session, username)
        return ApiClient(app.test_client(), token, lang)

    return build


@pytest.fixture
def admin_api(api_as) -> ApiClient:  # type: ignore[no-untyped-def]
    return api_as("admin")
