"""Canonical JSON and Ed25519 signing: stable bytes, key files, tamper detection."""

import base64
import math
import stat

import pytest

from broadcast_agents.protocol import canonical, signing


def test_canonical_json_sorts_keys_without_whitespace_and_keeps_utf8():
    assert canonical.canonical_json({"b": 1, "a": [1, {"d": "Thôn", "c": None}]}) == (
        '{"a":[1,{"c":null,"d":"Thôn"}],"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, {"x": {1, 2}}])
def test_canonical_json_rejects_non_json_values(bad):
    with pytest.raises(canonical.CanonicalError):
        canonical.canonical_json({"v": bad})


def test_sign_and_verify_cover_every_field_but_sig():
    key = signing.generate_key()
    env = {"v": 1, "site": "s", "items": [{"title": "Bản tin"}]}
    env["sig"] = signing.sign(env, key)
    pub = signing.public_key_b64(key)
    assert signing.verify(env, pub)
    tampered = {**env, "site": "other"}
    assert not signing.verify(tampered, pub)
    assert not signing.verify(env, signing.public_key_b64(signing.generate_key()))
    assert not signing.verify({**env, "sig": "!!notbase64"}, pub)
    assert not signing.verify({k: v for k, v in env.items() if k != "sig"}, pub)


def test_public_key_is_base64_of_32_raw_bytes():
    pub = signing.public_key_b64(signing.generate_key())
    assert len(base64.b64decode(pub)) == 32
    with pytest.raises(ValueError):
        signing.load_public_key(base64.b64encode(b"x" * 31).decode())


@pytest.mark.parametrize("pem", [False, True])
def test_private_key_files_round_trip_with_mode_0600(tmp_path, pem):
    key = signing.generate_key()
    path = tmp_path / "controller.key"
    signing.save_private_key(key, path, pem=pem)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = signing.load_private_key(path)
    assert signing.public_key_b64(loaded) == signing.public_key_b64(key)
    assert signing.private_key_from_b64(signing.private_key_to_b64(key)) is not None
