"""Tests for quiet-hour windows and the refusal of non-emergency programs in them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from controller.scheduling.quiet_hours import QuietHours, refusal_message, violations
from controller.scheduling.types import MediaRef, ProgramSpec, Schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 12, 0, tzinfo=TZ)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def program(schedule: dict, seconds: int = 300, **kw: object) -> ProgramSpec:
    fields = {
        "id": 1, "title": "Thông báo", "kind": "tts",
        "media": (MediaRef(1, "http://m/1", "0" * 64, 10, seconds * 1000),),
        "zones": None, "priority_level": "normal", "rank": 0, "volume": 80, "repeat": 1,
        "repeat_gap_s": 0, "valid_from": None, "valid_to": None,
        "schedule": Schedule.from_dict(schedule),
    }  # fmt: skip
    fields.update(kw)
    return ProgramSpec(**fields)  # type: ignore[arg-type]


def test_default_window_spans_midnight() -> None:
    quiet = QuietHours()
    assert quiet.intervals("thon-1", TZ, at(2027, 1, 4, 12), at(2027, 1, 5, 12)) == [
        (at(2027, 1, 4, 22), at(2027, 1, 5, 5))
    ]
    # An instant at 02:00 is inside the previous evening's window.
    assert quiet.intervals(None, TZ, at(2027, 1, 5, 2), at(2027, 1, 5, 2, 1)) == [
        (at(2027, 1, 4, 22), at(2027, 1, 5, 5))
    ]


def test_per_zone_window_and_disabled_zone() -> None:
    quiet = QuietHours(per_zone={"cho": (time(13, 0), time(14, 0)), "tdp": (time(0), time(0))})
    assert quiet.intervals("cho", TZ, at(2027, 1, 4), at(2027, 1, 5)) == [
        (at(2027, 1, 4, 13), at(2027, 1, 4, 14))
    ]
    assert quiet.intervals("tdp", TZ, at(2027, 1, 4), at(2027, 1, 10)) == []


def test_program_in_quiet_hours_is_refused_with_a_vietnamese_reason() -> None:
    late = program({"type": "weekly", "days": [0], "time": "22:30"})
    found = violations(late, QuietHours(), zones=["thon-1"], now=NOW, tz=TZ,
                       window=timedelta(days=14))  # fmt: skip
    assert found == [at(2027, 1, 4, 22, 30), at(2027, 1, 11, 22, 30)]
    vi, en = refusal_message(found, QuietHours(), TZ)
    assert vi.startswith("Chương trình sẽ phát trong giờ yên tĩnh (22:00–05:00)")
    assert "04/01/2027 22:30" in vi and "khẩn cấp" in vi
    assert "quiet hours" in en


def test_program_that_runs_into_quiet_hours_is_a_violation_too() -> None:
    edge = program({"type": "once", "at": "2027-01-04T21:58"}, seconds=300)
    assert violations(edge, QuietHours(), zones=[], now=NOW, tz=TZ) == [at(2027, 1, 4, 21, 58)]
    fits = program({"type": "once", "at": "2027-01-04T21:55"}, seconds=300)
    assert violations(fits, QuietHours(), zones=[], now=NOW, tz=TZ) == []


def test_emergency_is_never_a_violation() -> None:
    alarm = program({"type": "daily", "time": "23:00"}, priority_level="emergency")
    assert violations(alarm, QuietHours(), zones=["a"], now=NOW, tz=TZ) == []


def test_only_the_zones_the_program_targets_count() -> None:
    quiet = QuietHours(default=(time(0), time(0)), per_zone={"b": (time(21), time(6))})
    evening = program({"type": "daily", "time": "21:30"}, zones=frozenset({"a"}))
    assert violations(evening, quiet, zones=["a", "b"], now=NOW, tz=TZ) == []
    everywhere = program({"type": "daily", "time": "21:30"})
    found = violations(everywhere, quiet, zones=["a", "b"], now=NOW, tz=TZ,
                       window=timedelta(days=2))  # fmt: skip
    assert found == [at(2027, 1, 4, 21, 30), at(2027, 1, 5, 21, 30)]


def test_long_lists_are_summarised() -> None:
    starts = [at(2027, 1, d, 23) for d in range(1, 10)]
    vi, en = refusal_message(starts, QuietHours(), TZ)
    assert "và 4 lần khác" in vi and "and 4 more" in en
