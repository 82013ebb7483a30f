"""Fuzzing every JSON write endpoint with hypothesis: random bodies never cause a 5xx.

Bodies are random JSON (scalars, lists, dicts, deep nesting, huge strings) or objects with the
endpoint's own field names holding random or odd values, so that many get past the shape
checks into the code behind them. Every answer must be below 500, and a 4xx must be the API's
JSON error. Speech comes from the local stand-in engine of the TTS tests (fast, offline), and
broadcasts go out through an in-memory MQTT link.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from tests.conftest import PASSWORD
from tests.controller.dispatch.commune import seed_commune

TONE_TTS = Path(__file__).resolve().parents[1] / "controller" / "tts" / "scripts" / "tone_tts.py"

SCHEDULE_FIELDS = ("type", "at", "time", "days", "day", "expr", "holiday", "end_time",
                   "recurrence", "offset_days", "stream_url")  # fmt: skip
ENDPOINTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "zone-create": ("post", "/api/v1/zones", ("id", "name", "quiet_start", "quiet_end")),
    "zone-update": ("put", "/api/v1/zones/thon-1", ("name", "quiet_start", "quiet_end")),
    "node-create": ("post", "/api/v1/nodes", ("id", "zone", "name")),
    "node-update": ("put", "/api/v1/nodes/thon-1-a", ("zone", "name")),
    "user-create": ("post", "/api/v1/users", ("username", "role", "password", "full_name")),
    "user-update": ("put", "/api/v1/users/{user}", ("role", "full_name", "active", "password")),
    "program-create": (
        "post",
        "/api/v1/programs",
        (
            "title",
            "media_ids",
            "zones",
            "all",
            "priority",
            "rank",
            "volume",
            "repeat",
            "repeat_gap_s",
            "valid_from",
            "valid_to",
            "kind",
            "stream_url",
            "schedule",
            "on_conflict",
            "draft",
        ),
    ),  # fmt: skip
    "program-update": (
        "put",
        "/api/v1/programs/{program}",
        ("title", "media_ids", "zones", "all", "priority", "volume", "schedule", "on_conflict"),
    ),
    "program-approve": ("post", "/api/v1/programs/{program}/approve", ("comment",)),
    "program-reject": ("post", "/api/v1/programs/{program}/reject", ("comment",)),
    "broadcast": (
        "post",
        "/api/v1/broadcasts",
        ("media_ids", "text", "title", "zones", "all", "priority", "emergency", "volume"),
    ),
    "broadcast-stop": ("post", "/api/v1/broadcasts/stop", ("item", "zones", "all")),
    "tts": (
        "post",
        "/api/v1/tts",
        ("text", "title", "category", "engine", "voice", "speed", "repeat", "chime"),
    ),
    "tts-normalize": ("post", "/api/v1/tts/normalize", ("text",)),
    "dictionary": ("post", "/api/v1/tts/dictionary", ("term", "reading")),
    "media-update": ("put", "/api/v1/media/1", ("title", "category", "tags")),
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
odd = st.sampled_from(
    [
        "", " ", "x" * 100_000, "\u0000", "a\u0000b", "' OR 1=1 --", "<script>alert(1)</script>",
        "\u202e\u200b", "📢" * 50, -1, 0, 2**31, 2**63, -(2**63), 10**30, 1e308, -1e-308, [],
        {}, [1] * 1000, ["thon-1"] * 600, "2027-02-30", "9999-12-31T23:59:59-12:00", "25:61",
        "all", "emergency", True, False, None, {"type": "once", "at": "0001-01-01T00:00:00Z"},
        {"type": "cron", "expr": "* * * * * * *"}, {"type": "daily", "time": "07:00"},
        {"type": "weekly", "days": [0, 9, -1], "time": "07:00"}, {"type": "monthly", "day": 99},
    ]
)  # fmt: skip


def field_bodies(fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    values = json_values | odd
    optional = {f: values for f in fields}
    if "schedule" in fields:
        schedule = st.fixed_dictionaries({}, optional={f: values for f in SCHEDULE_FIELDS})
        optional["schedule"] = schedule | odd
    return st.fixed_dictionaries({}, optional=optional)


def deep(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def bodies(fields: tuple[str, ...]) -> st.SearchStrategy[tuple[str, str]]:
    """(content type, raw body) pairs."""
    as_json = (field_bodies(fields) | json_values).map(
        lambda v: ("application/json", json.dumps(v))
    )
    raw = st.one_of(
        st.integers(1, 100_000).map(lambda n: ("application/json", "[" * n + "]" * n)),
        st.integers(1, 100_000).map(lambda n: ("application/json", deep(n))),
        st.text(max_size=200).map(lambda t: ("application/json", t)),
        st.just(("application/json", '{"text": NaN}')),
        st.just(("application/json", '{"name": "\\ud800"}')),
        st.just(("text/plain", '{"name": "x"}')),
        st.just(("application/json; charset=latin-1", '{"name": "Th\u00f4n"}')),
    )
    return st.one_of(as_json, as_json, raw)


@pytest.fixture
def config(config, tmp_path: Path):  # type: ignore[no-untyped-def]
    config.tts.engines = ["command"]
    config.tts.command = [sys.executable, str(TONE_TTS), "--text-file", "{text_file}", "--out",
                          "{out}"]  # fmt: skip
    config.tts.timeout_s = 20
    config.tts.job_threshold_chars = 10**6  # no background jobs outliving the test
    return config


@pytest.fixture
def world(app, database, admin_api) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A commune, a program and a user to edit, and an in-memory broker link."""
    seed_commune(database)
    program = {
        "title": "Tin sáng", "media_ids": [1], "zones": ["thon-1"],
        "schedule": {"type": "daily", "time": "06:30"},
    }  # fmt: skip
    pid = admin_api.post("/api/v1/programs", json=program).get_json()["id"]
    user = {"username": "can-bo-2", "role": "officer", "password": PASSWORD}
    uid = admin_api.post("/api/v1/users", json=user).get_json()["id"]
    service = DispatchService(app, link=FakeLink())
    service.start()
    yield {"program": pid, "user": uid}
    service.stop()


FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(resp: Any, what: str) -> None:
    body = resp.get_data(as_text=True)
    assert resp.status_code < 500, f"{what}: {resp.status_code} {body[:300]}"
    if resp.status_code >= 400:
        error = (resp.get_json(silent=True) or {}).get("error") or {}
        assert error.get("code") and error.get("message"), f"{what}: {body[:300]}"


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_random_bodies_never_cause_a_server_error(admin_api, world, name) -> None:  # type: ignore[no-untyped-def]
    method, template, fields = ENDPOINTS[name]
    path = template.format(**world)

    @FUZZ
    @given(body=bodies(fields))
    def run(body: tuple[str, str]) -> None:
        content_type, raw = body
        resp = getattr(admin_api, method)(path, data=raw.encode("utf-8", "surrogatepass"),
                                          content_type=content_type)  # fmt: skip
        check(resp, f"{method.upper()} {path} {raw[:200]!r}")

    run()


@pytest.mark.postgres
def test_nul_and_oversized_values_are_refused_on_postgresql(admin_api, world) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses NUL in text and numbers beyond its columns; SQLite stores them."""
    cases = [
        ("post", "/api/v1/zones", {"id": "thon-9", "name": "Thôn\u00009"}),
        ("post", "/api/v1/nodes", {"id": "cum-9", "zone": "thon-1", "name": "a\u0000"}),
        ("put", "/api/v1/media/1", {"title": "x\u0000", "tags": ["\u0000"]}),
        ("post", "/api/v1/tts/dictionary", {"term": "ABC", "reading": "a\u0000b"}),
        ("post", f"/api/v1/programs/{world['program']}/reject", {"comment": "\u0000"}),
        (
            "post",
            "/api/v1/users",
            {"username": "u9", "role": "viewer", "password": PASSWORD, "full_name": "\u0000"},
        ),  # fmt: skip
        ("put", f"/api/v1/programs/{world['program']}", {"volume": 2**40}),
        ("put", f"/api/v1/programs/{world['program']}", {"rank": 2**63}),
        ("post", "/api/v1/broadcasts", {"media_ids": [2**40], "all": True}),
    ]
    for method, path, body in cases:
        check(getattr(admin_api, method)(path, json=body), f"{method} {path} {body}")


def test_null_for_every_field_is_never_a_server_error(admin_api, world) -> None:  # type: ignore[no-untyped-def]
    """``{"field": null}`` on every endpoint: a column that may not be NULL must not get one."""
    found = []
    for name, (method, template, fields) in ENDPOINTS.items():
        path = template.format(**world)
        for name_of_field in fields:
            resp = getattr(admin_api, method)(path, json={name_of_field: None})
            if resp.status_code >= 500:
                found.append(f"{name}: {method.upper()} {path} {{{name_of_field!r}: null}}")
    assert not found, "\n".join(found)
