"""Plan, command and report parsing: valid shapes parse, everything else is a MessageError."""

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadcast_agents.protocol import messages as m
from broadcast_agents.protocol.jsonsafe import MessageError

SHA = "a" * 64
START = "2027-01-28T06:00:00.000+07:00"


def item(**over):
    base = {
        "id": "it-1", "start": START, "priority": 10, "title": "Bản tin sáng", "kind": "clip",
        "volume": 80,
        "media": [{"url": "http://c/media/a.mp3", "sha256": SHA, "bytes": 10, "duration_ms": 1500},
                  {"url": "/media/b.mp3", "sha256": "b" * 64, "bytes": 5, "duration_ms": 500}],
    }  # fmt: skip
    base.update(over)
    return base


def test_plan_parses_items_with_window():
    plan = m.parse_plan(json.dumps({"node": "n1", "seq": 4, "id": "e1", "items": [item()]}))
    assert plan.node == "n1" and plan.seq == 4 and plan.envelope_id == "e1"
    it = plan.items[0]
    assert it.start == datetime(2027, 1, 27, 23, 0, tzinfo=UTC)
    assert it.window_end - it.start == timedelta(seconds=2)
    assert m.parse_plan_item(it.to_dict()) == it


def test_relay_needs_stream_url_and_end():
    relay = item(
        kind="relay", media=[], stream_url="http://vov/live", end="2027-01-28T07:00:00+07:00"
    )
    parsed = m.parse_plan_item(relay)
    assert parsed.window_end - parsed.start == timedelta(hours=1)
    with pytest.raises(MessageError, match="stream_url and end"):
        m.parse_plan_item(item(kind="relay", media=[]))


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"kind": "music"}, "kind"),
        ({"volume": 101}, "volume"),
        ({"volume": True}, "volume"),
        ({"start": "2027-01-28T06:00:00"}, "offset"),
        ({"media": []}, "media"),
        ({"media": [{"url": "ftp://x", "sha256": SHA, "bytes": 1, "duration_ms": 1}]}, "url"),
        ({"media": [{"url": "/x", "sha256": "ABC", "bytes": 1, "duration_ms": 1}]}, "sha256"),
        ({"end": "2027-01-28T05:00:00+07:00"}, "end must be after start"),
        ({"priority": 1.5}, "priority"),
    ],
)
def test_plan_item_errors_are_clear(over, message):
    with pytest.raises(MessageError, match=message):
        m.parse_plan_item(item(**over))


def test_plan_rejects_duplicate_item_ids():
    with pytest.raises(MessageError, match="unique"):
        m.parse_plan({"node": "n", "items": [item(), item()]})


def test_commands():
    assert m.parse_command({"op": "play_now", "id": "c1", "item": item()}).item.id == "it-1"
    assert m.parse_command({"op": "stop", "target": "all"}).target == "all"
    assert m.parse_command({"op": "set_volume", "volume": 30}).volume == 30
    assert m.parse_command({"op": "ping", "id": "c9"}) == m.Command("ping", "c9")
    with pytest.raises(MessageError, match="op must be"):
        m.parse_command({"op": "reboot"})
    with pytest.raises(MessageError, match="item"):
        m.parse_command({"op": "play_now"})


def test_node_reports_round_trip():
    at = datetime(2027, 1, 28, 6, 0, 0, 123000, tzinfo=UTC)
    state = m.State(True, "n1", "0.1.0", 3, at)
    assert m.parse_state(json.dumps(state.to_dict())) == state
    assert m.parse_state(b'{"online": false}') == m.State(False)
    tel = m.Telemetry("n1", at, 70, None, 3, 1024, 4.5, "0.1.0", 12.0)
    assert m.parse_telemetry(json.dumps(tel.to_dict())) == tel
    ev = m.Event("n1", "started", "it-1", at, {"offset_ms": 0}, "ev1")
    assert ev.to_dict()["at"] == "2027-01-28T06:00:00.123+00:00"
    assert m.parse_event(json.dumps(ev.to_dict())) == ev
    ack = m.Ack("n1", "c1", "ok", at)
    assert m.parse_ack(json.dumps(ack.to_dict())) == ack
    with pytest.raises(MessageError, match="type"):
        m.parse_event({**ev.to_dict(), "type": "exploded"})


PARSERS = [m.parse_plan, m.parse_command, m.parse_state, m.parse_telemetry, m.parse_event,
           m.parse_ack, m.parse_plan_item]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=30,
)
FIELDS = "node items op item id start media type at online volume kind cmd result url sha256 end"
keys = st.sampled_from(FIELDS.split())
near_valid = st.dictionaries(keys, json_values, max_size=8)


def _only_message_errors(parser, payload):
    with contextlib.suppress(MessageError):
        parser(payload)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=80, deadline=None)
@given(payload=st.binary(max_size=300))
def test_random_bytes_never_crash(parser, payload):
    _only_message_errors(parser, payload)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=80, deadline=None)
@given(payload=near_valid)
def test_wrong_types_never_crash(parser, payload):
    _only_message_errors(parser, payload)
    _only_message_errors(parser, json.dumps(payload).encode())


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=60, deadline=None)
@given(base=st.sampled_from([item(), {"op": "play_now", "item": item()}]), data=st.data())
def test_mutated_valid_payloads_never_crash(parser, base, data):
    key = data.draw(st.sampled_from(sorted(base)))
    mutated = {**base, key: data.draw(json_values)}
    _only_message_errors(parser, mutated)


@pytest.mark.parametrize("parser", PARSERS)
def test_huge_and_deep_payloads_are_refused(parser):
    for payload in (b"[" * 200000, b'{"a":' * 50 + b"1" + b"}" * 50, b" " * (2 * 1024 * 1024),
                    b"1" * 5000, b'{"x": NaN}'):  # fmt: skip
        with pytest.raises(MessageError):
            parser(payload)
