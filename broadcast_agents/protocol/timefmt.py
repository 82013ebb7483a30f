"""RFC 3339 timestamps as the contract writes them: milliseconds and an explicit offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def format_time(at: datetime) -> str:
    """`2027-01-28T06:00:00.000+07:00`; naive datetimes are refused (they hide a zone bug)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return at.isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    """Parse RFC 3339 with an offset (or Z); raises ValueError without one."""
    if not isinstance(text, str) or not 10 <= len(text) <= 40:
        raise ValueError("a time must be an RFC 3339 string")
    at = datetime.fromisoformat(text)  # Python 3.11 accepts "Z" and fractional seconds
    if at.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    if "T" not in text and "t" not in text:
        raise ValueError(f"time {text!r} has no time part")
    return at


def now_utc() -> datetime:
    return datetime.now(UTC)


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
