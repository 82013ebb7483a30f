"""Quiet hours (giờ yên tĩnh): when only emergencies may sound, per zone.

A window is a pair of civil times in the site zone; a start after the end spans midnight
(the default 22:00-05:00), equal times mean no quiet hours for that zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from controller.scheduling.recurrence import HolidayResolver, program_occurrences
from controller.scheduling.types import ProgramSpec

DEFAULT_WINDOW = (time(22, 0), time(5, 0))
Window = tuple[time, time]


@dataclass(frozen=True)
class QuietHours:
    """Quiet-hour windows: ``default`` for every zone unless ``per_zone`` names its own."""

    default: Window = DEFAULT_WINDOW
    per_zone: Mapping[str, Window] = field(default_factory=dict)

    def window_for(self, zone: str | None) -> Window:
        if zone is not None and zone in self.per_zone:
            return self.per_zone[zone]
        return self.default

    def intervals(
        self, zone: str | None, tz: ZoneInfo, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Quiet intervals of ``zone`` that overlap ``[start, end)``, sorted and disjoint."""
        begin, finish = self.window_for(zone)
        if begin == finish:
            return []
        first = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date()
        out = []
        for offset in range((last - first).days + 1):
            day: date = first + timedelta(days=offset)
            q_start = datetime.combine(day, begin, tz)
            end_day = day if finish > begin else day + timedelta(days=1)
            q_end = datetime.combine(end_day, finish, tz)
            if q_end > start and q_start < end:
                out.append((q_start, q_end))
        return out


def _fmt_window(window: Window) -> str:
    return f"{window[0]:%H:%M}–{window[1]:%H:%M}"


def violations(
    program: ProgramSpec,
    quiet: QuietHours,
    *,
    zones: Iterable[str],
    now: datetime,
    tz: ZoneInfo,
    holiday_resolver: HolidayResolver | None = None,
    window: timedelta = timedelta(days=30),
) -> list[datetime]:
    """Starts of occurrences in ``[now, now + window)`` that would sound in quiet hours.

    ``zones`` are the site's zones (used when the program targets the whole site). An
    emergency program never violates quiet hours.
    """
    if program.is_emergency:
        return []
    targets = sorted(program.zones) if program.zones is not None else sorted(set(zones)) or [None]
    found: set[datetime] = set()
    for _key, start, end in program_occurrences(program, tz, now, now + window, holiday_resolver):
        if start < now:
            continue
        for zone in targets:
            if quiet.intervals(zone, tz, start, end):
                found.add(start)
                break
    return sorted(found)


def refusal_message(
    starts: list[datetime], quiet: QuietHours, tz: ZoneInfo, zone: str | None = None
) -> tuple[str, str]:
    """Vietnamese and English reason for refusing a program that plays in quiet hours."""
    shown = ", ".join(f"{s.astimezone(tz):%d/%m/%Y %H:%M}" for s in starts[:5])
    more = f" và {len(starts) - 5} lần khác" if len(starts) > 5 else ""
    more_en = f" and {len(starts) - 5} more" if len(starts) > 5 else ""
    window = _fmt_window(quiet.window_for(zone))
    vi = (
        f"Chương trình sẽ phát trong giờ yên tĩnh ({window}) vào {shown}{more}. "
        "Chỉ chương trình khẩn cấp được phát trong giờ yên tĩnh; hãy đổi giờ phát."
    )
    en = (
        f"the program would play in quiet hours ({window}) at {shown}{more_en}; "
        "only emergency programs may play in quiet hours"
    )
    return vi, en
