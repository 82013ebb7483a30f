"""Verify the Vietnamese lunar conversion against independent references.

References used here:
- ``_Reference``: Hồ Ngọc Đức's astronomical algorithm written afresh in this file from his
  article (new moon, sun longitude, month 11, leap month), run at UTC+7 for Vietnam and at UTC+8
  to stand in for the Chinese calendar.
- ``data/lunar_reference_1990_2050.csv``: Tết and Giỗ Tổ dates from HND's precomputed year
  tables (via the vnlunar package, see data/make_reference_table.py).
- A hand table of years where Vietnam and China celebrate Tết on different days.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.scheduling.lunar import (
    LunarDate,
    lunar_month_length,
    lunar_to_solar,
    solar_to_lunar,
    tet,
)

DATA = Path(__file__).parent / "data"
JDN_OFFSET = 1721425  # Julian day number of a date = its proleptic ordinal + this


class _Reference:
    """HND's algorithm for one time zone, returning (day, month, year, leap) tuples."""

    def __init__(self, tz_hours: float) -> None:
        self.tz = tz_hours

    def new_moon_day(self, k: int) -> int:
        t = k / 1236.85
        rad = math.pi / 180
        jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t**2 - 0.000000155 * t**3
        jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t**2) * rad)
        m = (359.2242 + 29.10535608 * k - 0.0000333 * t**2 - 0.00000347 * t**3) * rad
        mp = (306.0253 + 385.81691806 * k + 0.0107306 * t**2 + 0.00001236 * t**3) * rad
        f = (21.2964 + 390.67050646 * k - 0.0016528 * t**2 - 0.00000239 * t**3) * rad
        c = (
            (0.1734 - 0.000393 * t) * math.sin(m)
            + 0.0021 * math.sin(2 * m)
            - 0.4068 * math.sin(mp)
            + 0.0161 * math.sin(2 * mp)
            - 0.0004 * math.sin(3 * mp)
            + 0.0104 * math.sin(2 * f)
            - 0.0051 * math.sin(m + mp)
            - 0.0074 * math.sin(m - mp)
            + 0.0004 * math.sin(2 * f + m)
            - 0.0004 * math.sin(2 * f - m)
            - 0.0006 * math.sin(2 * f + mp)
            + 0.0010 * math.sin(2 * f - mp)
            + 0.0005 * math.sin(2 * mp + m)
        )
        if t < -11:
            delta_t = 0.001 + 0.000839 * t + 0.0002261 * t**2 - 0.00000845 * t**3
            delta_t -= 0.000000081 * t**4
        else:
            delta_t = -0.000278 + 0.000265 * t + 0.000262 * t**2
        return math.floor(jd + c - delta_t + 0.5 + self.tz / 24)

    def sun_sector(self, jdn: int) -> int:
        """Which 30-degree sector of ecliptic longitude the sun is in at local midnight."""
        t = (jdn - 2451545.5 - self.tz / 24) / 36525
        rad = math.pi / 180
        m = 357.52910 + 35999.05030 * t - 0.0001559 * t**2 - 0.00000048 * t**3
        l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t**2
        dl = (1.914600 - 0.004817 * t - 0.000014 * t**2) * math.sin(rad * m)
        dl += (0.019993 - 0.000101 * t) * math.sin(2 * rad * m) + 0.000290 * math.sin(3 * rad * m)
        longitude = (l0 + dl) % 360
        return int(longitude // 30)

    def month11_start(self, year: int) -> int:
        k = math.floor((dt.date(year, 12, 31).toordinal() + JDN_OFFSET - 2415021) / 29.530588853)
        start = self.new_moon_day(k)
        if self.sun_sector(start) >= 9:  # the solstice is not yet inside that month
            start = self.new_moon_day(k - 1)
        return start

    def leap_offset(self, a11: int) -> int:
        k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
        i = 1
        arc = self.sun_sector(self.new_moon_day(k + i))
        while True:  # the first month without a major solar term is the leap month
            last, i = arc, i + 1
            arc = self.sun_sector(self.new_moon_day(k + i))
            if arc == last or i >= 14:
                return i - 1

    def solar_to_lunar(self, d: dt.date) -> tuple[int, int, int, bool]:
        jdn = d.toordinal() + JDN_OFFSET
        k = math.floor((jdn - 2415021.076998695) / 29.530588853)
        start = self.new_moon_day(k + 1)
        if start > jdn:
            start = self.new_moon_day(k)
        a11 = self.month11_start(d.year)
        b11 = a11
        if a11 >= start:
            year, a11 = d.year, self.month11_start(d.year - 1)
        else:
            year, b11 = d.year + 1, self.month11_start(d.year + 1)
        diff = math.floor((start - a11) / 29)
        month, leap = diff + 11, False
        if b11 - a11 > 365:
            leap_diff = self.leap_offset(a11)
            if diff >= leap_diff:
                month, leap = diff + 10, diff == leap_diff
        if month > 12:
            month -= 12
        if month >= 11 and diff < 4:
            year -= 1
        return jdn - start + 1, month, year, leap

    def find(self, day: int, month: int, year: int) -> dt.date:
        """Solar date of a non-leap lunar day, by search (slow; the reference needs no inverse)."""
        guess = dt.date(year, month, 1) + dt.timedelta(days=30)
        for shift in range(-60, 61):
            candidate = guess + dt.timedelta(days=shift)
            if self.solar_to_lunar(candidate) == (day, month, year, False):
                return candidate
        raise AssertionError(f"reference found no {day}/{month}/{year}")


VIETNAM = _Reference(7.0)
CHINA = _Reference(8.0)

# Years where Tết differs between Vietnam (UTC+7) and China (UTC+8): (year, Vietnam, China).
# Vietnam's dates are the published Vietnamese calendars (1968: North Vietnam's Tết Mậu Thân;
# 1985: Tết Ất Sửu a month before China's); China's are the Chinese New Year dates.
VIETNAM_VS_CHINA_TET = [
    (1968, dt.date(1968, 1, 29), dt.date(1968, 1, 30)),
    (1985, dt.date(1985, 1, 21), dt.date(1985, 2, 20)),
    (2007, dt.date(2007, 2, 17), dt.date(2007, 2, 18)),
    (2030, dt.date(2030, 2, 2), dt.date(2030, 2, 3)),
]


def _as_tuple(lunar: LunarDate) -> tuple[int, int, int, bool]:
    return lunar.day, lunar.month, lunar.year, lunar.leap


def _reference_table() -> list[tuple[int, dt.date, dt.date]]:
    lines = (DATA / "lunar_reference_1990_2050.csv").read_text().splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return [
        (int(r["lunar_year"]), dt.date.fromisoformat(r["tet"]), dt.date.fromisoformat(r["gio_to"]))
        for r in rows
    ]


def test_tet_2027_is_6_february() -> None:
    assert tet(2027) == dt.date(2027, 2, 6)
    assert solar_to_lunar(dt.date(2027, 2, 6)) == LunarDate(1, 1, 2027)
    # Tháng Chạp of Bính Ngọ has 29 days, so Giao thừa 2027 is the 29th.
    assert solar_to_lunar(dt.date(2027, 2, 5)) == LunarDate(29, 12, 2026)


@pytest.mark.parametrize(("year", "vietnam", "china"), VIETNAM_VS_CHINA_TET)
def test_tet_follows_vietnam_not_china(year: int, vietnam: dt.date, china: dt.date) -> None:
    assert tet(year) == vietnam
    assert solar_to_lunar(vietnam) == LunarDate(1, 1, year)
    assert solar_to_lunar(china) != LunarDate(1, 1, year)


def test_reference_reproduces_the_hand_table() -> None:
    # Guards the reference itself: at UTC+7 it gives Vietnam's Tết, at UTC+8 China's.
    for year, vietnam, china in VIETNAM_VS_CHINA_TET:
        assert VIETNAM.solar_to_lunar(vietnam) == (1, 1, year, False)
        assert CHINA.solar_to_lunar(china) == (1, 1, year, False)


def test_tet_and_gio_to_match_hnd_year_tables_1990_2050() -> None:
    table = _reference_table()
    assert [year for year, _, _ in table] == list(range(1990, 2051))
    for year, tet_day, gio_to_day in table:
        assert lunar_to_solar(1, 1, year) == tet_day, year
        assert lunar_to_solar(10, 3, year) == gio_to_day, year


def test_tet_and_gio_to_match_reference_algorithm_1990_2050() -> None:
    for year in range(1990, 2051):
        assert lunar_to_solar(1, 1, year) == VIETNAM.find(1, 1, year), year
        assert lunar_to_solar(10, 3, year) == VIETNAM.find(10, 3, year), year


def test_every_day_1990_2050_matches_reference_algorithm() -> None:
    day, last = dt.date(1990, 1, 1), dt.date(2050, 12, 31)
    mismatches = []
    while day <= last:
        if _as_tuple(solar_to_lunar(day)) != VIETNAM.solar_to_lunar(day):
            mismatches.append(day)
        day += dt.timedelta(days=1)
    assert mismatches == []


def test_library_differs_from_utc8_wherever_the_reference_does() -> None:
    # Every day in 1990-2050 where UTC+7 and UTC+8 disagree must follow UTC+7.
    day, last, differing = dt.date(1990, 1, 1), dt.date(2050, 12, 31), 0
    while day <= last:
        china = CHINA.solar_to_lunar(day)
        if china != VIETNAM.solar_to_lunar(day):
            differing += 1
            assert _as_tuple(solar_to_lunar(day)) != china, day
        day += dt.timedelta(days=1)
    assert differing > 100  # 2007 and 2030 alone account for dozens of days


def test_leap_months() -> None:
    # 2023 had a leap 2nd month (tháng 2 nhuận Quý Mão), starting 2023-03-22.
    assert lunar_to_solar(1, 2, 2023, leap=True) == dt.date(2023, 3, 22)
    assert solar_to_lunar(dt.date(2023, 3, 22)) == LunarDate(1, 2, 2023, leap=True)
    assert lunar_to_solar(1, 3, 2023) == dt.date(2023, 4, 20)


def test_nonexistent_lunar_dates_are_rejected() -> None:
    with pytest.raises(ValueError, match="no such lunar date"):
        lunar_to_solar(30, 12, 2026)  # tháng Chạp Bính Ngọ has 29 days
    with pytest.raises(ValueError, match="no such lunar date"):
        lunar_to_solar(1, 3, 2027, leap=True)  # 2027 has no leap month
    with pytest.raises(ValueError):
        lunar_to_solar(1, 13, 2027)


def test_month_lengths_add_up_to_the_year() -> None:
    for year in (2023, 2026, 2027):
        days = sum(lunar_month_length(m, year) for m in range(1, 13))
        if year == 2023:
            days += lunar_month_length(2, 2023, leap=True)
        assert days == (tet(year + 1) - tet(year)).days


def test_datetime_uses_its_date() -> None:
    assert solar_to_lunar(dt.datetime(2027, 2, 6, 23, 30)) == LunarDate(1, 1, 2027)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 11, 30)))
def test_round_trip(day: dt.date) -> None:
    lunar = solar_to_lunar(day)
    assert lunar_to_solar(lunar.day, lunar.month, lunar.year, lunar.leap) == day
