"""Pure rules of an immediate broadcast (phát ngay): quiet hours at its start instant.

Scheduled programs are checked when saved and cut by the plan compiler; an immediate broadcast
is checked here when it is sent. Only emergencies may start in a zone's quiet hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from controller.scheduling.quiet_hours import QuietHours

_INSTANT = timedelta(microseconds=1)


def quiet_zones(
    quiet: QuietHours, tz: ZoneInfo, zone_ids: Sequence[str], at: datetime
) -> dict[str, datetime]:
    """The zones among ``zone_ids`` in quiet hours at ``at``, each with when that quiet ends."""
    found = {}
    for zone in zone_ids:
        intervals = quiet.intervals(zone, tz, at, at + _INSTANT)
        if intervals:
            found[zone] = max(end for _start, end in intervals)
    return found


def quiet_refusal(
    quiet: QuietHours, found: Mapping[str, datetime], names: Mapping[str, str], tz: ZoneInfo
) -> tuple[str, str]:
    """Vietnamese and English reason for refusing a non-emergency broadcast in quiet hours."""
    shown = ", ".join(
        f"{names.get(zone) or zone} ({_window(quiet, zone)})" for zone in sorted(found)
    )
    until = max(found.values()).astimezone(tz)
    vi = (
        f"Đang trong giờ yên tĩnh của {shown}: lúc này chỉ được phát tin khẩn cấp. "
        f"Hãy phát lại sau {until:%H:%M} hoặc bỏ các thôn đang trong giờ yên tĩnh."
    )
    en = (
        f"quiet hours now in {shown}: only emergencies may be broadcast; "
        f"try again after {until:%H:%M} or leave those zones out"
    )
    return vi, en


def _window(quiet: QuietHours, zone: str) -> str:
    start, end = quiet.window_for(zone)
    return f"{start:%H:%M}–{end:%H:%M}"
