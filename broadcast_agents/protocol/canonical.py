"""Canonical JSON: the exact bytes that get signed (UTF-8, keys sorted, no whitespace)."""

from __future__ import annotations

import json
from typing import Any


class CanonicalError(ValueError):
    """The value cannot be represented as canonical JSON (NaN, Infinity, non-JSON types)."""


def canonical_json(obj: Any) -> bytes:
    """Serialize `obj` canonically; raises CanonicalError for NaN/Infinity or non-JSON values."""
    try:
        text = json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (ValueError, TypeError) as exc:
        raise CanonicalError(str(exc)) from exc
    return text.encode("utf-8")
