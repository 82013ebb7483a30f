"""Signed envelopes: building them (controller side) and checking them (node side, pure)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonsafe import MAX_BYTES, MessageError, decode_json
from .signing import load_public_key, public_key_b64, sign, verify
from .timefmt import format_time, parse_time

PROTOCOL_VERSION = 1
HEADER_FIELDS = ("v", "kind", "id", "site", "issued_at", "expires_at", "seq", "sig")
KINDS = ("plan", "cmd")
RECENT_IDS_KEPT = 1000


def make_envelope(
    kind: str,
    body: Mapping[str, Any],
    *,
    site: str,
    seq: int,
    issued_at: datetime,
    ttl: timedelta,
    key: Ed25519PrivateKey,
    envelope_id: str | None = None,
) -> dict[str, Any]:
    """A signed envelope: header fields, the body merged at top level, then `sig`."""
    clash = set(body) & set(HEADER_FIELDS)
    if clash:
        raise ValueError(f"body fields clash with envelope header: {sorted(clash)}")
    if kind not in KINDS:
        raise ValueError(f"unknown envelope kind {kind!r}")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise ValueError("seq must be a non-negative integer")
    env: dict[str, Any] = {
        "v": PROTOCOL_VERSION,
        "kind": kind,
        "id": envelope_id or uuid.uuid4().hex,
        "site": site,
        "issued_at": format_time(issued_at),
        "expires_at": format_time(issued_at + ttl),
        "seq": seq,
        **body,
    }
    env["sig"] = sign(env, key)
    return env


@dataclass
class VerifierState:
    """What a verifier remembers between messages (persisted by the agent as JSON)."""

    last_seq: dict[str, int] = field(default_factory=dict)  # signer (public key b64) -> seq
    recent_ids: list[str] = field(default_factory=list)  # oldest first, bounded

    def to_dict(self) -> dict[str, Any]:
        return {"last_seq": dict(self.last_seq), "recent_ids": list(self.recent_ids)}

    @classmethod
    def from_dict(cls, data: Any) -> VerifierState:
        """Tolerant load: a damaged state file yields an empty state rather than a crash."""
        if not isinstance(data, dict):
            return cls()
        seqs = data.get("last_seq") if isinstance(data.get("last_seq"), dict) else {}
        ids = data.get("recent_ids") if isinstance(data.get("recent_ids"), list) else []
        return cls(
            last_seq={
                k: v
                for k, v in seqs.items()
                if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            },
            recent_ids=[i for i in ids if isinstance(i, str)][-RECENT_IDS_KEPT:],
        )


@dataclass(frozen=True)
class Accepted:
    envelope: dict[str, Any]

    @property
    def id(self) -> str:
        return self.envelope["id"]


@dataclass(frozen=True)
class Duplicate:
    id: str


@dataclass(frozen=True)
class Rejected:
    """reason_code is one of: malformed, unsupported_version, wrong_kind, bad_signature,
    wrong_site, expired, stale_seq. envelope_id is set when the payload had a string id."""

    reason_code: str
    message: str
    envelope_id: str | None = None


CheckResult = Accepted | Duplicate | Rejected


class EnvelopeVerifier:
    """Checks raw envelopes against one controller key and site; updates `state` on accept."""

    def __init__(
        self,
        site: str,
        public_key: Ed25519PublicKey | str,
        state: VerifierState | None = None,
        *,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.site = site
        self._key = load_public_key(public_key) if isinstance(public_key, str) else public_key
        self.signer = public_key_b64(self._key)
        self.state = state if state is not None else VerifierState()
        self._max_bytes = max_bytes

    def check(self, raw: bytes, now: datetime, *, expect_kind: str | None = None) -> CheckResult:
        try:
            env = decode_json(raw, max_bytes=self._max_bytes)
        except MessageError as exc:
            return Rejected("malformed", str(exc))
        if not isinstance(env, dict):
            return Rejected("malformed", "an envelope must be a JSON object")
        env_id = env.get("id") if isinstance(env.get("id"), str) else None
        problem = _header_problem(env)
        if problem:
            code = "unsupported_version" if problem.startswith("v ") else "malformed"
            return Rejected(code, problem, env_id)
        # Signature first: nothing unsigned may influence what we remember.
        if not verify(env, self._key):
            return Rejected("bad_signature", "signature does not verify", env_id)
        if env["site"] != self.site:
            return Rejected("wrong_site", f"envelope for site {env['site']!r}", env_id)
        if expect_kind is not None and env["kind"] != expect_kind:
            return Rejected("wrong_kind", f"expected {expect_kind!r}, got {env['kind']!r}", env_id)
        if env["id"] in self.state.recent_ids:
            return Duplicate(env["id"])
        if parse_time(env["expires_at"]) <= now:
            return Rejected("expired", f"expired at {env['expires_at']}", env_id)
        last = self.state.last_seq.get(self.signer)
        if last is not None and env["seq"] <= last:
            return Rejected("stale_seq", f"seq {env['seq']} not above {last}", env_id)
        self._remember(env)
        return Accepted(env)

    def _remember(self, env: dict[str, Any]) -> None:
        self.state.last_seq[self.signer] = env["seq"]
        self.state.recent_ids.append(env["id"])
        del self.state.recent_ids[:-RECENT_IDS_KEPT]


def _header_problem(env: dict[str, Any]) -> str | None:
    """Text of the first header defect, or None; "v ..." marks a version mismatch."""
    if env.get("v") != PROTOCOL_VERSION or isinstance(env.get("v"), bool):
        return f"v must be {PROTOCOL_VERSION}"
    for name in ("kind", "id", "site", "issued_at", "expires_at", "sig"):
        if not isinstance(env.get(name), str) or not env[name]:
            return f"{name} must be a non-empty string"
    if len(env["id"]) > 128:
        return "id longer than 128 characters"
    if env["kind"] not in KINDS:
        return f"unknown kind {env['kind']!r}"
    seq = env.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        return "seq must be a non-negative integer"
    for name in ("issued_at", "expires_at"):
        try:
            parse_time(env[name])
        except ValueError as exc:
            return f"{name}: {exc}"
    return None
