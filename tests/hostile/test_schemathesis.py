"""schemathesis against ``/api/v1/openapi.json``: generated requests to every documented
operation, in-process on the WSGI app with a real admin token. No answer may be a 5xx, and every
answer must match what the document promises (status code, content type, body schema).

Bounded and deterministic: 15 examples per operation, derandomized, so it runs in about a
minute. The dispatcher runs on a FakeLink (broadcasts are accepted) and TTS on espeak-ng only
(no network).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from controller.config import Config
from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from controller.users import create_token
from tests.controller.dispatch.commune import seed_commune

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def config(config: Config) -> Config:
    config.tts.engines = ["espeak"]  # never reach for Google from a test
    return config


@pytest.fixture
def admin_auth(app, database, make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return {"Authorization": f"Bearer {create_token(session, make_user('admin'))}"}


@pytest.fixture
def api_schema(app, database, admin_auth) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    seed_commune(database)  # something to find: zones, nodes, media
    service = DispatchService(app, link=FakeLink())
    service.start()
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=admin_auth)
    service.stop()


schema = schemathesis.pytest.from_fixture("api_schema")
pytestmark = pytest.mark.postgres  # SQLite and PostgreSQL


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_document(case: Any, admin_auth: dict[str, str]) -> None:
    case.call_and_validate(headers=admin_auth, checks=CHECKS)
