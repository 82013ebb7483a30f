"""Defensive JSON decoding for untrusted MQTT payloads: size, depth and type limits."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32


class MessageError(ValueError):
    """A payload that is not a valid contract message; the text says what is wrong."""


def _reject_constant(name: str) -> Any:
    raise MessageError(f"{name} is not allowed in contract JSON")


def decode_json(raw: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Decode UTF-8 JSON or raise MessageError; never raises anything else."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MessageError("payload must be bytes")
    if len(raw) > max_bytes:
        raise MessageError(f"payload larger than {max_bytes} bytes")
    try:
        text = bytes(raw).decode("utf-8")
        value = json.loads(text, parse_constant=_reject_constant)
    except MessageError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MessageError(f"payload is not valid UTF-8 JSON: {exc}") from None
    check_depth(value, max_depth)
    return value


def check_depth(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Iteratively refuse structures nested deeper than max_depth (and non-finite floats)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise MessageError(f"payload nested deeper than {max_depth} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, float) and not math.isfinite(item):
            raise MessageError("non-finite numbers are not allowed")
