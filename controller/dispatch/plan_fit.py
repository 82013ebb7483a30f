"""Keep a plan within what a node accepts, so one oversized plan never locks a node out.

A node refuses a whole plan envelope larger than ``MAX_BYTES`` or with more than ``MAX_ITEMS``
items, and a whole plan when any one item fails its parser (more than ``MAX_MEDIA`` media, a
title too long, ...). A refused plan leaves the node on its old plan until the next one fits.
``fit_plan`` therefore drops the items the node would refuse and then keeps the EARLIEST items
that fit: the plan is recompiled every ``plan.refresh_min``, so the later ones arrive later.
Pure: the caller measures the envelope header (``overhead_bytes``) and logs the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from broadcast_agents.protocol import MessageError, canonical_json, parse_plan_item
from broadcast_agents.protocol.jsonsafe import MAX_BYTES
from broadcast_agents.protocol.messages import MAX_ITEMS

__all__ = ["MAX_BYTES", "MAX_ITEMS", "FittedPlan", "fit_plan"]


@dataclass(frozen=True)
class FittedPlan:
    """The items to publish, how many later ones were cut, and the items the node would refuse.

    ``refused`` holds ``(item id, reason)`` pairs; ``cut`` counts valid items left out for size.
    """

    items: list[dict[str, Any]]
    cut: int = 0
    refused: tuple[tuple[str, str], ...] = ()

    @property
    def last_start(self) -> str | None:
        return str(self.items[-1].get("start")) if self.items else None


def fit_plan(
    items: Sequence[dict[str, Any]],
    overhead_bytes: int,
    *,
    max_bytes: int = MAX_BYTES,
    max_items: int = MAX_ITEMS,
) -> FittedPlan:
    """The earliest valid items whose envelope (``overhead_bytes`` + items) fits the limits.

    ``overhead_bytes`` is the canonical size of the envelope with an empty ``items`` list.
    """
    valid, refused = _valid_items(items)
    if len(valid) <= max_items and _size(valid, overhead_bytes) <= max_bytes:
        return FittedPlan(valid, 0, refused)
    kept: list[dict[str, Any]] = []
    total = overhead_bytes
    for item in valid[:max_items]:
        # Each item adds its own bytes plus one comma after the first ("[]" is in the overhead).
        added = len(canonical_json(item)) + (1 if kept else 0)
        if total + added > max_bytes:
            break
        kept.append(item)
        total += added
    return FittedPlan(kept, len(valid) - len(kept), refused)


def _size(items: list[dict[str, Any]], overhead_bytes: int) -> int:
    # The items' canonical list minus its own "[]", which the overhead already counts.
    return overhead_bytes + len(canonical_json(items)) - 2


def _valid_items(
    items: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], tuple[tuple[str, str], ...]]:
    """Items the node's own parser accepts, earliest start first (stable for equal starts)."""
    parsed: list[tuple[datetime, int, dict[str, Any]]] = []
    refused: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        try:
            checked = parse_plan_item(item)
        except MessageError as exc:
            item_id = item.get("id") if isinstance(item, dict) else None
            refused.append((str(item_id)[:128], str(exc)[:200]))
            continue
        if checked.id in seen:  # the node refuses a plan with repeated ids
            refused.append((checked.id, "duplicate item id"))
            continue
        seen.add(checked.id)
        parsed.append((checked.start, index, item))
    parsed.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry[2] for entry in parsed], tuple(refused)
