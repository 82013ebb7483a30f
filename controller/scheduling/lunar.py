"""Vietnamese lunar calendar (âm lịch) conversions, computed for Vietnam's UTC+7.

The Vietnamese calendar uses the same rules as the Chinese one but evaluates new moons and solar
terms at UTC+7 instead of UTC+8, so some months (and Tết in e.g. 1985, 2007, 2030) start on
another day. The arithmetic comes from the ``lunar-vn`` package, a port of Hồ Ngọc Đức's
astronomical algorithm; this module pins the time zone, gives the rest of the controller a small
typed interface, and rejects lunar dates that do not exist instead of rolling them over.
See docs/calendar.md for how the library was verified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import lunar_vn

VIETNAM_UTC_OFFSET_HOURS = 7.0
# lunar-vn refuses solar dates outside this range.
SUPPORTED_SOLAR_YEARS = range(1900, 2101)


@dataclass(frozen=True)
class LunarDate:
    """A Vietnamese lunar day; ``leap`` marks a day in a leap month (tháng nhuận)."""

    day: int
    month: int
    year: int
    leap: bool = False

    def __str__(self) -> str:
        suffix = " (nhuận)" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{suffix}/{self.year} âm lịch"


def solar_to_lunar(d: dt.date) -> LunarDate:
    """Return the lunar date of the civil (Vietnam) day ``d``; a datetime's date part is used."""
    day = d.date() if isinstance(d, dt.datetime) else d
    if day.year not in SUPPORTED_SOLAR_YEARS:
        raise ValueError(f"year {day.year} is outside the supported range 1900-2100")
    lunar = lunar_vn.solar_to_lunar(day, time_zone=VIETNAM_UTC_OFFSET_HOURS)
    return LunarDate(lunar.day, lunar.month, lunar.year, bool(lunar.leap))


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False) -> dt.date:
    """Return the solar date of lunar ``day``/``month``/``year``.

    Raises ValueError when that day does not exist: day 30 of a 29-day month, or a leap month
    that the year does not have.
    """
    wanted = LunarDate(day, month, year, leap)
    try:
        solar = lunar_vn.convert_lunar_to_solar(
            day, month, year, 1 if leap else 0, time_zone=VIETNAM_UTC_OFFSET_HOURS
        )
    except ValueError as exc:
        raise ValueError(f"no such lunar date: {wanted} ({exc})") from exc
    # lunar-vn rolls day 30 of a short month into the next month; the round trip catches it.
    if solar_to_lunar(solar) != wanted:
        raise ValueError(f"no such lunar date: {wanted}")
    return solar


def lunar_month_length(month: int, year: int, leap: bool = False) -> int:
    """Return 29 or 30: the number of days of that lunar month."""
    first = lunar_to_solar(1, month, year, leap)
    return 30 if solar_to_lunar(first + dt.timedelta(days=29)).day == 30 else 29


def tet(year: int) -> dt.date:
    """Return the solar date of Tết Nguyên đán (1/1 lunar) of lunar year ``year``."""
    return lunar_to_solar(1, 1, year)
