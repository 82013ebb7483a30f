"""Priority levels of programs: names, numbers, validation and the order in which items win.

A program carries a level (``normal``, ``priority``, ``emergency``) and a rank 0-99 within the
level. The number sent to nodes is ``level + rank`` (normal 100-199, priority 200-299,
emergency 300-399), so a higher number always wins on a node too.
"""

from __future__ import annotations

LEVELS: dict[str, int] = {"normal": 100, "priority": 200, "emergency": 300}
LEVEL_LABELS_VI: dict[str, str] = {
    "normal": "thông thường",
    "priority": "ưu tiên",
    "emergency": "khẩn cấp",
}
RANK_MIN = 0
RANK_MAX = 99


class PriorityError(ValueError):
    """An unknown level or an out-of-range rank; carries a Vietnamese and an English message."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en


def validate_level(level: str) -> str:
    """Return ``level`` if it is a known level name, else raise :class:`PriorityError`."""
    if level not in LEVELS:
        names = ", ".join(LEVELS)
        raise PriorityError(
            f"Mức ưu tiên không hợp lệ: {level!r} (chỉ nhận {names})",
            f"unknown priority level {level!r}; expected one of {names}",
        )
    return level


def validate_rank(rank: int) -> int:
    """Return ``rank`` if it is an int in 0-99, else raise :class:`PriorityError`."""
    if isinstance(rank, bool) or not isinstance(rank, int) or not RANK_MIN <= rank <= RANK_MAX:
        raise PriorityError(
            f"Thứ hạng trong mức ưu tiên phải là số nguyên từ {RANK_MIN} đến {RANK_MAX}",
            f"rank must be an integer from {RANK_MIN} to {RANK_MAX}, got {rank!r}",
        )
    return rank


def level_value(level: str) -> int:
    """Numeric base of a level name (100, 200 or 300)."""
    return LEVELS[validate_level(level)]


def wire_priority(level: str, rank: int) -> int:
    """The ``priority`` number published in plan items: level base plus rank."""
    return level_value(level) + validate_rank(rank)


def is_emergency(level: str) -> bool:
    """Whether a level is the emergency level (the only one allowed in quiet hours)."""
    return level == "emergency"


def strength(level: str, rank: int, override: bool, program_id: int) -> tuple[int, int, int, int]:
    """Sort key: a larger tuple wins an overlap on a node.

    Order: level, then the ``override`` choice (a program saved with on_conflict=override beats
    programs of its own level but never a higher level), then rank, then the earlier-created
    program (lower id).
    """
    return (level_value(level), int(override), rank, -program_id)
