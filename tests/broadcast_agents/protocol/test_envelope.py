"""Envelope building and the pure verifier's accept/duplicate/reject decisions."""

from datetime import UTC, datetime, timedelta

from broadcast_agents.protocol import (
    Accepted,
    Duplicate,
    EnvelopeVerifier,
    Rejected,
    VerifierState,
    canonical_json,
    generate_key,
    make_envelope,
    public_key_b64,
    verify,
)

NOW = datetime(2027, 1, 28, 6, 0, tzinfo=UTC)
KEY = generate_key()


def env(seq=1, site="xa", kind="cmd", at=NOW, ttl=timedelta(minutes=5), key=KEY, **body):
    body = body or {"op": "ping"}
    return make_envelope(kind, body, site=site, seq=seq, issued_at=at, ttl=ttl, key=key)


def raw(e):
    return canonical_json(e)


def verifier(state=None):
    return EnvelopeVerifier("xa", public_key_b64(KEY), state or VerifierState())


def test_make_envelope_has_contract_fields_and_valid_signature():
    e = env(seq=7, op="set_volume", volume=40)
    assert e["v"] == 1 and e["kind"] == "cmd" and e["site"] == "xa" and e["seq"] == 7
    assert e["issued_at"] == "2027-01-28T06:00:00.000+00:00"
    assert e["expires_at"] == "2027-01-28T06:05:00.000+00:00"
    assert e["op"] == "set_volume" and e["volume"] == 40 and len(e["id"]) == 32
    assert verify(e, public_key_b64(KEY))


def test_accepts_then_reports_same_id_as_duplicate():
    v = verifier()
    e = env(seq=1)
    assert isinstance(v.check(raw(e), NOW), Accepted)
    assert v.check(raw(e), NOW) == Duplicate(e["id"])
    assert v.state.last_seq == {public_key_b64(KEY): 1}


def test_duplicate_wins_over_expiry_for_a_retained_replay():
    v = verifier()
    e = env(seq=1)
    v.check(raw(e), NOW)
    assert isinstance(v.check(raw(e), NOW + timedelta(days=1)), Duplicate)


def test_rejections_carry_reason_codes():
    v = verifier()
    assert isinstance(v.check(raw(env(seq=5)), NOW), Accepted)
    cases = {
        "stale_seq": raw(env(seq=5)),
        "wrong_site": raw(env(seq=9, site="other")),
        "expired": raw(env(seq=9, at=NOW - timedelta(minutes=10))),
        "bad_signature": raw(env(seq=9, key=generate_key())),
        "malformed": b"\xff{not json",
        "unsupported_version": raw({**env(seq=9), "v": 2}),
    }
    for code, payload in cases.items():
        result = v.check(payload, NOW)
        assert isinstance(result, Rejected), code
        assert result.reason_code == code, (code, result)
    tampered = env(seq=9)
    tampered["op"] = "stop"
    assert v.check(raw(tampered), NOW).reason_code == "bad_signature"
    assert v.state.last_seq[public_key_b64(KEY)] == 5  # nothing rejected moved the seq


def test_rejected_carries_envelope_id_and_kind_mismatch_is_rejected():
    v = verifier()
    e = env(seq=3)
    result = v.check(raw(e), NOW, expect_kind="plan")
    assert result == Rejected("wrong_kind", "expected 'plan', got 'cmd'", e["id"])


def test_size_and_nesting_limits():
    v = EnvelopeVerifier("xa", public_key_b64(KEY), max_bytes=1000)
    assert v.check(b"[" * 5000 + b"]" * 5000, NOW).reason_code == "malformed"
    assert v.check(b'"' + b"a" * 2000 + b'"', NOW).reason_code == "malformed"
    assert verifier().check(b"[" * 100000, NOW).reason_code == "malformed"


def test_state_round_trips_and_tolerates_garbage():
    state = VerifierState({"k": 3}, ["a", "b"])
    assert VerifierState.from_dict(state.to_dict()) == state
    assert VerifierState.from_dict({"last_seq": {"k": "x"}, "recent_ids": [1, "a"]}) == (
        VerifierState({}, ["a"])
    )
    assert VerifierState.from_dict("nope") == VerifierState()


def test_state_survives_a_new_verifier():
    v = verifier()
    e = env(seq=4)
    v.check(raw(e), NOW)
    v2 = verifier(VerifierState.from_dict(v.state.to_dict()))
    assert isinstance(v2.check(raw(e), NOW), Duplicate)
    assert v2.check(raw(env(seq=4)), NOW).reason_code == "stale_seq"
