"""API tokens: random secrets shown once; only their sha256 is stored."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "tt_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
