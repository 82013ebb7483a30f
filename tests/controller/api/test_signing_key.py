"""GET /api/v1/signing-key: the Ed25519 public key nodes verify envelopes with."""

from __future__ import annotations

import base64

from broadcast_agents.protocol import sign, verify
from controller.dispatch.keys import load_or_create_signing_key


def test_public_key_matches_the_key_file(api_as, config) -> None:  # type: ignore[no-untyped-def]
    r = api_as("viewer").get("/api/v1/signing-key")
    assert r.status_code == 200
    assert r.json["algorithm"] == "ed25519"
    assert len(base64.b64decode(r.json["public_key"], validate=True)) == 32
    key = load_or_create_signing_key(config.path(config.signing.private_key))
    assert verify({"x": "phát", "sig": sign({"x": "phát"}, key)}, r.json["public_key"])


def test_node_tokens_may_read_it_and_it_is_stable(api_as, app) -> None:  # type: ignore[no-untyped-def]
    first = api_as("node").get("/api/v1/signing-key")
    assert first.status_code == 200
    app.extensions.pop("tt.signing_key")  # as after a restart: read back from the file
    assert api_as("admin").get("/api/v1/signing-key").json == first.json


def test_login_is_required(app) -> None:  # type: ignore[no-untyped-def]
    assert app.test_client().get("/api/v1/signing-key").status_code == 401
