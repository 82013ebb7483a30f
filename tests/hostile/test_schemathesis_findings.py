"""Fixed regressions that schemathesis found, pinned as plain tests (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import seed_commune

pytestmark = pytest.mark.postgres
TOO_BIG = 10**20  # more than any database integer


@pytest.fixture
def dispatch(app, database):  # type: ignore[no-untyped-def]
    seed_commune(database)
    service = DispatchService(app, link=FakeLink())
    service.start()
    yield service
    service.stop()


def test_a_media_id_beyond_any_database_integer_is_refused_not_a_500(admin_api, dispatch) -> None:  # type: ignore[no-untyped-def]
    at = "2030-01-07T09:00:00+07:00"
    calls = [
        ("/api/v1/broadcasts", {"media_ids": [TOO_BIG], "all": True}),
        ("/api/v1/programs", {"title": "x", "media_ids": [TOO_BIG], "all": True,
                              "schedule": {"type": "once", "at": at}}),
    ]  # fmt: skip
    for path, body in calls:
        r = admin_api.post(path, json=body)
        assert r.status_code in (400, 422), (path, r.status_code, r.json)
        assert r.json["error"]["code"]


def test_dictionary_update_answers_a_documented_200(admin_api) -> None:  # type: ignore[no-untyped-def]
    body = {"term": "UBND", "reading": "ủy ban nhân dân"}
    assert admin_api.post("/api/v1/tts/dictionary", json=body).status_code == 201
    assert admin_api.post("/api/v1/tts/dictionary", json=body).status_code == 200
    doc = admin_api.get("/api/v1/openapi.json").json
    assert {"200", "201"} <= set(doc["paths"]["/api/v1/tts/dictionary"]["post"]["responses"])
