"""Tests for schedule parsing and occurrence expansion in the site time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controller.scheduling.recurrence import occurrences, program_occurrences
from controller.scheduling.types import MediaRef, ProgramSpec, Schedule, ScheduleError

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TET = {2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26)}


def fake_holidays(key: str, year: int) -> date | None:
    if key == "tet":
        return TET.get(year)
    if key == "quoc_khanh":
        return date(year, 9, 2)
    return None


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def occ(d: dict, start: datetime, end: datetime) -> list[datetime]:
    return occurrences(Schedule.from_dict(d), TZ, start, end, fake_holidays)


def test_weekly_over_a_month_gives_exact_dates() -> None:
    result = occ(
        {"type": "weekly", "days": [0, 3], "time": "06:30"}, at(2027, 2, 1), at(2027, 3, 1)
    )
    assert [r.date() for r in result] == [date(2027, 2, d) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    assert all(r.time() == time(6, 30) and r.utcoffset() == timedelta(hours=7) for r in result)


def test_daily_window_is_half_open() -> None:
    result = occ({"type": "daily", "time": "06:00"}, at(2027, 1, 1, 6), at(2027, 1, 3, 6))
    assert result == [at(2027, 1, 1, 6), at(2027, 1, 2, 6)]


def test_monthly_day_31_skips_short_months_and_minus_one_is_last_day() -> None:
    start, end = at(2027, 1, 1), at(2027, 5, 1)
    day31 = occ({"type": "monthly", "day": 31, "time": "07:00"}, start, end)
    assert [r.date() for r in day31] == [date(2027, 1, 31), date(2027, 3, 31)]
    last = occ({"type": "monthly", "day": -1, "time": "07:00"}, start, end)
    assert [r.day for r in last] == [31, 28, 31, 30]


def test_holiday_eve_of_tet_2027() -> None:
    sched = {"type": "holiday", "holiday": "tet", "time": "20:00", "offset_days": -1}
    result = occ(sched, at(2027, 1, 1), at(2027, 12, 31))
    assert [r.isoformat() for r in result] == ["2027-02-05T20:00:00+07:00"]


def test_holiday_offset_crossing_a_year_and_unknown_key() -> None:
    # Tết 2028 is 26/01/2028; 30 days before falls in December 2027.
    sched = {"type": "holiday", "holiday": "tet", "time": "08:00", "offset_days": -30}
    result = occ(sched, at(2027, 12, 1), at(2028, 1, 1))
    assert result == [at(2027, 12, 27, 8)]
    assert (
        occ({"type": "holiday", "holiday": "none", "time": "08:00"}, at(2027, 1, 1), at(2028, 1, 1))
        == []
    )


def test_holiday_key_checked_against_known_keys() -> None:
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict({"type": "holiday", "holiday": "xmas", "time": "08:00"}, {"tet"})
    assert "ngày lễ" in err.value.message_vi


def test_once_naive_is_site_civil_time_and_aware_is_converted() -> None:
    window = (at(2027, 1, 1), at(2027, 1, 2))
    naive = occ({"type": "once", "at": "2027-01-01T09:15"}, *window)
    aware = occ({"type": "once", "at": "2027-01-01T02:15:00+00:00"}, *window)
    assert naive == aware == [at(2027, 1, 1, 9, 15)]
    assert aware[0].utcoffset() == timedelta(hours=7)
    assert occ({"type": "once", "at": "2027-01-02T00:00"}, *window) == []


@pytest.mark.parametrize(
    ("expr", "expected_days"),
    [
        ("30 6 * * 1-5", [4, 5, 6, 7, 8]),  # Monday..Friday in crontab numbering
        ("0 7 * * 0", [10]),  # Sunday
        ("0 7 * * 7", [10]),  # Sunday again
        ("0 7 * * sat,sun", [9, 10]),
        ("0 7 * * */3", [6, 9, 10]),  # 0,3,6 = Sun, Wed, Sat
        ("0 7 5 * 1", [4, 5]),  # crontab ORs day-of-month and day-of-week
    ],
)
def test_cron_uses_standard_crontab_weekdays(expr: str, expected_days: list[int]) -> None:
    # 4 Jan 2027 is a Monday.
    result = occ({"type": "cron", "expr": expr}, at(2027, 1, 4), at(2027, 1, 11))
    assert [r.day for r in result] == expected_days


def test_cron_every_fifteen_minutes() -> None:
    result = occ({"type": "cron", "expr": "*/15 6 * * *"}, at(2027, 1, 4), at(2027, 1, 5))
    assert [r.minute for r in result] == [0, 15, 30, 45]


def test_relay_windows_daily_weekly_and_past_midnight() -> None:
    weekly = Schedule.from_dict(
        {"type": "relay", "time": "05:30", "end_time": "06:00", "days": [5, 6],
         "stream_url": "http://vov.example/live"}
    )  # fmt: skip
    assert weekly.recurrence == "weekly"
    assert weekly.relay_duration() == timedelta(minutes=30)
    assert [r.day for r in occurrences(weekly, TZ, at(2027, 1, 4), at(2027, 1, 11))] == [9, 10]
    night = Schedule.from_dict({"type": "relay", "start": "23:30", "end": "00:15"})
    assert night.recurrence == "daily"
    assert night.relay_duration() == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"type": "fortnightly"}, "type"),
        ({"type": "daily"}, "time"),
        ({"type": "daily", "time": "25:00"}, "time"),
        ({"type": "weekly", "time": "06:00", "days": []}, "days"),
        ({"type": "weekly", "time": "06:00", "days": [7]}, "days"),
        ({"type": "monthly", "time": "06:00", "day": 32}, "day"),
        ({"type": "cron", "expr": "0 6 * *"}, "expr"),
        ({"type": "cron", "expr": "0 6 * * 9"}, "expr"),
        ({"type": "once", "at": "tomorrow"}, "at"),
        ({"type": "relay", "time": "05:00", "end_time": "05:00"}, "end_time"),
        ({"type": "relay", "time": "05:00", "end_time": "06:00", "recurrence": "hourly"},
         "recurrence"),
        ({"type": "holiday", "holiday": "tet", "time": "08:00", "offset_days": 99}, "offset_days"),
    ],
)  # fmt: skip
def test_invalid_schedules_raise_with_vietnamese_and_english(data: dict, field: str) -> None:
    with pytest.raises(ScheduleError) as err:
        Schedule.from_dict(data)
    assert err.value.field == field
    assert err.value.message_vi and err.value.message_en
    assert err.value.message_vi != err.value.message_en


@pytest.mark.parametrize(
    "data",
    [
        {"type": "once", "at": "2027-02-05T20:00:00+07:00"},
        {"type": "daily", "time": "06:30"},
        {"type": "weekly", "days": [0, 2, 4], "time": "17:00"},
        {"type": "monthly", "day": -1, "time": "07:00"},
        {"type": "cron", "expr": "30 6 * * 1-5"},
        {"type": "holiday", "holiday": "tet", "time": "20:00", "offset_days": -1},
        {"type": "relay", "time": "05:30", "end_time": "06:00", "recurrence": "weekly",
         "days": [6], "stream_url": "http://vov.example/live"},
    ],
)  # fmt: skip
def test_to_dict_round_trips(data: dict) -> None:
    schedule = Schedule.from_dict(data)
    assert Schedule.from_dict(schedule.to_dict()) == schedule


def test_time_accepts_vietnamese_17h00_form() -> None:
    assert Schedule.from_dict({"type": "daily", "time": "17h00"}).time == time(17, 0)
    assert Schedule.from_dict({"type": "daily", "time": "7h30"}).time == time(7, 30)


def _program(schedule: dict, **kw: object) -> ProgramSpec:
    media = (MediaRef(1, "http://m/1.mp3", "a" * 64, 100, 60_000),)
    fields = {
        "id": 1, "title": "T", "kind": "clip", "media": media, "zones": None,
        "priority_level": "normal", "rank": 0, "volume": 80, "repeat": 1, "repeat_gap_s": 0,
        "valid_from": None, "valid_to": None, "schedule": Schedule.from_dict(schedule),
    }  # fmt: skip
    fields.update(kw)
    return ProgramSpec(**fields)  # type: ignore[arg-type]


def test_program_occurrences_honour_validity_and_shifts() -> None:
    program = _program(
        {"type": "daily", "time": "06:00"},
        valid_from=date(2027, 3, 2),
        valid_to=date(2027, 3, 4),
        shifts={"20270303T0600": 600},
    )
    result = program_occurrences(program, TZ, at(2027, 3, 1), at(2027, 3, 10))
    assert result == [
        ("20270302T0600", at(2027, 3, 2, 6), at(2027, 3, 2, 6, 1)),
        ("20270303T0600", at(2027, 3, 3, 6, 10), at(2027, 3, 3, 6, 11)),
        ("20270304T0600", at(2027, 3, 4, 6), at(2027, 3, 4, 6, 1)),
    ]


def test_program_occurrences_include_the_one_in_progress() -> None:
    program = _program({"type": "daily", "time": "06:00"}, repeat=3, repeat_gap_s=30)
    assert program.duration() == timedelta(minutes=4)
    result = program_occurrences(program, TZ, at(2027, 3, 1, 6, 3), at(2027, 3, 1, 7))
    assert [r[1] for r in result] == [at(2027, 3, 1, 6)]


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["daily", "weekly", "monthly", "cron"]),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    days=st.lists(st.integers(0, 6), min_size=1, max_size=7),
    start_offset=st.integers(0, 400 * 24 * 60),
    span_h=st.integers(1, 24 * 40),
)
def test_occurrences_are_sorted_aware_in_window_and_at_the_civil_time(
    kind: str, hour: int, minute: int, days: list[int], start_offset: int, span_h: int
) -> None:
    data = {
        "daily": {"type": "daily", "time": f"{hour:02}:{minute:02}"},
        "weekly": {"type": "weekly", "days": days, "time": f"{hour:02}:{minute:02}"},
        "monthly": {"type": "monthly", "day": days[0] + 1, "time": f"{hour:02}:{minute:02}"},
        "cron": {"type": "cron", "expr": f"{minute} {hour} * * *"},
    }[kind]
    start = at(2026, 1, 1) + timedelta(minutes=start_offset)
    end = start + timedelta(hours=span_h)
    result = occ(data, start, end)
    assert result == sorted(set(result))
    assert all(start <= r < end for r in result)
    assert all(r.utcoffset() == timedelta(hours=7) for r in result)
    assert all((r.hour, r.minute) == (hour, minute) for r in result)
    if kind in ("daily", "cron"):
        first = start.replace(hour=hour, minute=minute, second=0, microsecond=0)
        first += timedelta(days=1) if first < start else timedelta(0)
        expected = max(0, (end - first + timedelta(days=1) - timedelta(microseconds=1)).days)
        assert len(result) == expected
    if kind == "weekly":
        assert all(r.weekday() in days for r in result)
