"""Fuzzing the controller's node-report parser: ``dispatch.ingest.handle_message``.

Random bytes, wrong types, huge and deeply nested payloads, near-valid messages with one field
broken, on every node -> controller topic (``state``, ``telemetry``, ``event``, ``ack``) and on
random topics. The invariants: the call (and the commit after it) never raises; a dropped
message stores nothing and leaves a log line; the ingest worker survives anything and goes on
storing good reports. Known poison values (times beyond the datetime range once in UTC, a
``seq`` beyond BIGINT, NUL characters, ids longer than their column) run on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from controller.db.models import CommandAck, Node, PlayEvent
from controller.dispatch.ingest import handle_message
from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SITE, seed_commune

NODE = "thon-1-a"
PREFIX = f"tt/v1/{SITE}/node/{NODE}"
LEAVES = ("state", "telemetry", "event", "ack")
AT = "2027-01-28T07:00:00.123+07:00"
DROPPED = "mqtt message dropped"


def valid(leaf: str, n: int = 0) -> dict[str, Any]:
    """A well-formed report of each kind (``n`` makes event and ack unique)."""
    return {
        "state": {"online": True, "node": NODE, "version": "1.0.0", "plan_seq": 3},
        "telemetry": {
            "node": NODE, "at": AT, "volume": 70, "now_playing": None, "plan_seq": 3,
            "cache_bytes": 1000, "clock_offset_ms": 1.5, "version": "1.0.0", "uptime_s": 60,
        },
        "event": {"node": NODE, "type": "started", "item": f"item-{n}", "at": AT},
        "ack": {"node": NODE, "cmd": f"cmd-{n}", "result": "ok", "at": AT},
    }[leaf]  # fmt: skip


def stored_rows(database: Any) -> tuple[int, int]:
    with database.session() as s:
        events = s.scalar(select(func.count()).select_from(PlayEvent))
        acks = s.scalar(select(func.count()).select_from(CommandAck))
    return events, acks


def apply(database: Any, topic: str, payload: bytes) -> Any:
    """One message in its own transaction, committed like the dispatch service does."""
    with database.session() as session:
        return handle_message(session, topic, payload, now=datetime.now(UTC))


def drop_logged(caplog: pytest.LogCaptureFixture) -> bool:
    return any(r.getMessage() == DROPPED for r in caplog.records)


# ------------------------------------------------------------------------ strategies

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=30,
)
odd_values = st.sampled_from(
    [
        None, True, -1, 2**63, 2**64, -(2**63) - 1, 1e308, 1.5, "", "x" * 5000, [], {},
        "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+01:00", "2027-02-30T07:00:00+07:00",
        "\u0000", "a\u0000b", "\u202e", "📢" * 100, "' OR 1=1 --",
    ]
)  # fmt: skip


@st.composite
def near_valid(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid report with one field replaced, removed or added."""
    leaf = draw(st.sampled_from(LEAVES))
    body = valid(leaf, draw(st.integers(0, 10**6)))
    key = draw(st.sampled_from([*body, "detail", "extra"]))
    action = draw(st.sampled_from(["replace", "delete", "odd"]))
    if action == "delete":
        body.pop(key, None)
    else:
        body[key] = draw(json_values if action == "replace" else odd_values)
    return f"{PREFIX}/{leaf}", json.dumps(body).encode()


def deep(levels: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * levels + closer * levels).encode()


garbage_payloads = st.one_of(
    st.binary(max_size=2000),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 50_000).map(deep),
    st.integers(1, 5_000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
    st.just(b'"' + b"x" * (2 * 1024 * 1024) + b'"'),
    st.just(b"NaN"),
    st.just(b'{"online": Infinity}'),
    st.just(b"\xef\xbb\xbf{}"),
)
topics = st.one_of(
    st.sampled_from(LEAVES).map(lambda leaf: f"{PREFIX}/{leaf}"),
    st.text(max_size=200),
    st.sampled_from(
        [
            f"tt/v1/{SITE}/node/unknown-node/event",
            f"tt/v1/other-site/node/{NODE}/event",
            f"tt/v1/{SITE}/zone/thon-1/cmd",
            f"tt/v1/{SITE}/all/cmd",
            f"tt/v1/{SITE}/node/{NODE}/plan",
            f"tt/v1/{SITE}/node/{NODE}/event/extra",
            f"tt/v1/{SITE}/node//event",
            f"tt/v1/{SITE}/node/{NODE}\u0000/event",
            "tt/v1/" + "a/" * 1000 + "event",
        ]
    ),
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def commune(database):  # type: ignore[no-untyped-def]
    return seed_commune(database)


@FUZZ
@given(topic=topics, payload=garbage_payloads)
def test_garbage_never_raises_and_every_drop_is_logged(
    database, commune, caplog, topic, payload
) -> None:  # type: ignore[no-untyped-def]
    caplog.clear()
    before = stored_rows(database)
    with caplog.at_level(logging.WARNING, logger="controller.dispatch.ingest"):
        outcome = apply(database, topic, payload)
    if outcome.dropped:
        assert stored_rows(database) == before
        assert drop_logged(caplog), (topic[:80], payload[:80])
    else:  # random input may happen to be a valid state report; nothing else is stored
        assert topic == f"{PREFIX}/state" and outcome.status == "updated"
        assert stored_rows(database) == before


@FUZZ
@given(message=near_valid())
def test_near_valid_reports_are_stored_or_dropped_cleanly(
    database, commune, caplog, message
) -> None:  # type: ignore[no-untyped-def]
    topic, payload = message
    caplog.clear()
    before = stored_rows(database)
    with caplog.at_level(logging.WARNING, logger="controller.dispatch.ingest"):
        outcome = apply(database, topic, payload)
    after = stored_rows(database)
    if outcome.dropped:
        assert after == before and drop_logged(caplog), (topic, payload[:200])
    elif outcome.status == "stored":
        assert sum(after) == sum(before) + 1
    else:
        assert after == before


# ------------------------------------------------------------------------ known poison

LONG_ID = "i" * 128  # the parser's limit; longer than the columns (item 120, command 40)
POISON = [
    ("event", {"at": "9999-12-31T23:59:59-12:00"}),
    ("event", {"at": "0001-01-01T00:00:00+01:00"}),
    ("ack", {"at": "9999-12-31T23:59:59-12:00"}),
    ("telemetry", {"at": "0001-01-01T00:00:00+01:00"}),
    ("state", {"plan_seq": 2**63}),
    ("telemetry", {"plan_seq": 2**63}),
    ("event", {"item": "a\u0000b"}),
    ("event", {"detail": {"error": "\u0000"}}),
    ("event", {"detail": {"\u0000": 1}}),
    ("ack", {"result": "ok\u0000"}),
    ("state", {"version": "1.0\u0000"}),
    ("telemetry", {"now_playing": "\u0000"}),
    ("event", {"item": LONG_ID}),
    ("event", {"id": LONG_ID, "item": ""}),
    ("ack", {"cmd": LONG_ID}),
]


def _poison(leaf: str, change: dict[str, Any], n: int) -> tuple[str, bytes]:
    return f"{PREFIX}/{leaf}", json.dumps({**valid(leaf, n), **change}).encode()


@pytest.mark.postgres
def test_poison_values_are_dropped_not_raised(database, commune, caplog) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for n, (leaf, change) in enumerate(POISON):
        caplog.clear()
        before = stored_rows(database)
        try:
            with caplog.at_level(logging.WARNING, logger="controller.dispatch.ingest"):
                outcome = apply(database, *_poison(leaf, change, n))  # the commit too
        except Exception as exc:  # noqa: BLE001 - the finding is reported below
            problems.append(f"{leaf} {change}: raised {type(exc).__name__}: {exc}"[:300])
            continue
        if outcome.dropped and (stored_rows(database) != before or not drop_logged(caplog)):
            problems.append(f"{leaf} {change}: dropped but stored or not logged")
    assert not problems, "\n".join(problems)
    with database.session() as s:  # the node row still reads back
        assert s.get(Node, NODE) is not None


@pytest.mark.postgres
def test_ingest_worker_survives_poison_and_keeps_storing(app, database, commune) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    service = DispatchService(app, link=link)
    service.start()
    try:
        for n, (leaf, change) in enumerate(POISON):
            link.deliver(*_poison(leaf, change, 100 + n))
        good = json.dumps(valid("event", 999)).encode()
        link.deliver(f"{PREFIX}/event", good)
        assert service.wait_handled(len(POISON) + 1, timeout=30), "the ingest worker died"
    finally:
        service.stop()
    with database.session() as s:
        items = s.scalars(select(PlayEvent.item_id)).all()
    assert "item-999" in items
