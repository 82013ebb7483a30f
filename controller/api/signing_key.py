"""``GET /api/v1/signing-key``: the public half of the key that signs plans and commands.

Provisioning scripts copy it onto nodes; node tokens may read it too (``fetch_media``).
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel

from controller.api import context
from controller.api.spec import api_doc
from controller.auth.gate import requires
from controller.dispatch.keys import ALGORITHM, load_or_create_signing_key, public_key_b64

bp = Blueprint("signing_key", __name__, url_prefix="/api/v1/signing-key")


class SigningKeyOut(BaseModel):
    algorithm: str
    public_key: str


def signing_key() -> Ed25519PrivateKey:
    """The app's key (the dispatch service's, else loaded or created from the config path)."""
    key = current_app.extensions.get("tt.signing_key")
    if key is None:
        cfg = context.config()
        key = load_or_create_signing_key(cfg.path(cfg.signing.private_key))
        current_app.extensions["tt.signing_key"] = key
    return key


@bp.get("")
@requires("admin", read="fetch_media")
@api_doc("The controller's Ed25519 public key (base64 of the 32 raw bytes)", response=SigningKeyOut)
def get_signing_key():  # type: ignore[no-untyped-def]
    out = SigningKeyOut(algorithm=ALGORITHM, public_key=public_key_b64(signing_key()))
    return jsonify(out.model_dump())
