"""Audit rows in the officer's words: actions, targets and details translated (pure).

Actions are dotted codes (``program.approve``, ``tts.dictionary.put``); details are JSON written
by whichever view made the change. Known words come from the UI text (``rep_obj_*``,
``rep_verb_*``, ``rep_key_*``, ``rep_value_*``; some keys have their own value words, e.g.
``category`` -> ``rep_cat_*``); instants become dd/mm/yyyy HH:MM in the commune's zone. Checksums
and file paths are left out (they mean nothing to a reader), other long hexadecimal ids are
shortened; anything else unknown is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

# lookup(key, fallback) -> the word for key, or fallback when there is none
Lookup = Callable[[str, str], str]
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")
MAX_DEPTH = 3
# Keys whose values are machine detail: checksums, paths on the server, MQTT topics.
HIDDEN_KEYS = frozenset({"sha256", "original_sha256", "digest", "pending_file", "topic", "path"})
# Keys whose values have their own words (``category: announcement`` -> ``thể loại: Thông báo``).
VALUE_PREFIX = {"category": "rep_cat_", "on_conflict": "rep_conflict_", "engine": "tts_engine_"}
LONG_HEX = re.compile(r"^[0-9a-f]{16,}$")
SHORT_ID = 8


def action_label(action: str, lookup: Lookup) -> str:
    """``user.create`` -> "Người dùng: tạo mới"; ``tts.dictionary.put`` -> three parts."""
    obj, *verbs = action.split(".")
    label = lookup(f"rep_obj_{obj}", obj)
    if not verbs:
        return label
    return f"{label}: " + " ".join(lookup(f"rep_verb_{v}", v) for v in verbs)


def target_text(target_type: str, target_id: str, lookup: Lookup) -> str:
    """``("broadcast", "all")`` -> "Phát ngay: toàn xã"; a hash id is shortened."""
    label = lookup(f"rep_obj_{target_type}", target_type)
    if not target_id:
        return label
    shown = lookup("rep_key_all", target_id) if target_id == "all" else short_id(target_id)
    return f"{label}: {shown}"


def short_id(value: str) -> str:
    """A long hexadecimal id (a checksum, a uuid) cut to its first characters."""
    plain = value.replace("-", "")
    return f"{value[:SHORT_ID]}…" if LONG_HEX.match(plain) else value


def value_text(value: Any, lookup: Lookup, tz: ZoneInfo, depth: int = 0, key: str = "") -> str:
    if isinstance(value, bool):
        return lookup(f"rep_value_{str(value).lower()}", str(value))
    if isinstance(value, str):
        return _string(value, lookup, tz, VALUE_PREFIX.get(key, "rep_value_"))
    if isinstance(value, list):
        return ", ".join(value_text(v, lookup, tz, depth + 1, key) for v in value)
    if isinstance(value, dict):
        inner = detail_text(value, lookup, tz, depth + 1)
        return f"({inner})" if depth < MAX_DEPTH else "(…)"
    return "—" if value is None else str(value)


def detail_text(detail: dict[str, Any], lookup: Lookup, tz: ZoneInfo, depth: int = 0) -> str:
    """``{"role": "officer", "active": false}`` -> "vai trò: Cán bộ …; đang hoạt động: không"."""
    return "; ".join(
        f"{lookup(f'rep_key_{key}', key)}: {value_text(value, lookup, tz, depth, key)}"
        for key, value in (detail or {}).items()
        if key not in HIDDEN_KEYS
    )


def _string(value: str, lookup: Lookup, tz: ZoneInfo, prefix: str = "rep_value_") -> str:
    if ISO_INSTANT.match(value):
        try:
            if len(value) == 10:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            local = moment.astimezone(tz) if moment.tzinfo else moment
            return local.strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return lookup(f"{prefix}{value}", short_id(value))
