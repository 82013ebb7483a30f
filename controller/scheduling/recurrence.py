"""Occurrences of a schedule in a time window, in the site's time zone.

The calendar math is APScheduler 3.x's ``CronTrigger``: daily, weekly, monthly, cron and relay
schedules all become cron triggers evaluated in the site zone (never the server's zone).
Holiday schedules ask a resolver for the solar date of the holiday in each year.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from controller.scheduling.types import ProgramSpec, Schedule, ScheduleError, occurrence_key

HolidayResolver = Callable[[str, int], date | None]

# Standard crontab numbers weekdays from Sunday (0 and 7); APScheduler 3.x numbers them from
# Monday and keeps that historical mismatch in from_crontab, so we translate to names.
_CRON_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_NAME_NUMBERS = {name: number for number, name in enumerate(_CRON_DAY_NAMES[:7])}
_ONE_SECOND = timedelta(seconds=1)


def _cron_day_value(token: str) -> int:
    token = token.strip().lower()
    if token in _CRON_NAME_NUMBERS:
        return _CRON_NAME_NUMBERS[token]
    number = int(token)  # ValueError is reported by the caller
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {number} out of range 0-7")
    return number


def _cron_days_to_names(field: str) -> str:
    """Translate a crontab day-of-week field (0/7 = Sunday) into APScheduler day names."""
    if field == "*":
        return "*"
    days: set[str] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError("step must be positive")
        if body == "*":
            low, high = 0, 6
        elif "-" in body:
            low_text, high_text = body.split("-", 1)
            low, high = _cron_day_value(low_text), _cron_day_value(high_text)
        else:
            low = _cron_day_value(body)
            high = 6 if step_text else low
        if low > high:
            raise ValueError(f"weekday range {body} is reversed")
        days.update(_CRON_DAY_NAMES[n] for n in range(low, high + 1, step))
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return ",".join(name for name in order if name in days)


def _cron_triggers(expr: str, tz: ZoneInfo) -> tuple[CronTrigger, ...]:
    """Triggers whose union is the crontab expression.

    When both day-of-month and day-of-week are restricted, crontab fires on either (OR) while
    APScheduler requires both (AND), so that case becomes two triggers.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields, got {len(fields)}")
    minute, hour, dom, month, dow = fields
    dow_names = _cron_days_to_names(dow)
    common = {"minute": minute, "hour": hour, "month": month, "second": 0, "timezone": tz}
    if dom != "*" and dow != "*":
        return (
            CronTrigger(day=dom, **common),
            CronTrigger(day_of_week=dow_names, **common),
        )
    return (CronTrigger(day=dom, day_of_week=dow_names, **common),)


def validate_cron(expr: str) -> None:
    """Raise :class:`ScheduleError` unless ``expr`` is a valid 5-field crontab expression."""
    try:
        _cron_triggers(expr, ZoneInfo("UTC"))
    except (ValueError, TypeError) as exc:
        raise ScheduleError(
            f"Biểu thức cron '{expr}' không hợp lệ (cần 5 trường: phút giờ ngày tháng thứ)",
            f"invalid cron expression {expr!r}: {exc}",
            field="expr",
        ) from exc


@functools.lru_cache(maxsize=8192)
def _triggers(schedule: Schedule, tz: ZoneInfo) -> tuple[CronTrigger, ...]:
    kind = schedule.type
    if kind == "cron":
        assert schedule.expr is not None
        return _cron_triggers(schedule.expr, tz)
    assert schedule.time is not None
    at = {"hour": schedule.time.hour, "minute": schedule.time.minute, "second": 0, "timezone": tz}
    if kind == "monthly":
        day = "last" if schedule.day == -1 else schedule.day
        return (CronTrigger(day=day, **at),)
    if kind == "weekly" or (kind == "relay" and schedule.recurrence == "weekly"):
        return (CronTrigger(day_of_week=",".join(map(str, schedule.days)), **at),)
    return (CronTrigger(**at),)  # daily, and daily relay


def _fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    out: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end:
        out.append(fire)
        fire = trigger.get_next_fire_time(fire, fire + _ONE_SECOND)
    return out


def _holiday_times(
    schedule: Schedule,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    resolver: HolidayResolver | None,
) -> list[datetime]:
    if resolver is None:
        raise ValueError("a holiday schedule needs a holiday_resolver")
    assert schedule.holiday is not None and schedule.time is not None
    first = start.astimezone(tz).year - 1  # an offset can pull next year's holiday back
    last = end.astimezone(tz).year + 1
    out = []
    for year in range(first, last + 1):
        day = resolver(schedule.holiday, year)
        if day is None:
            continue
        when = datetime.combine(day + timedelta(days=schedule.offset_days), schedule.time, tz)
        if start <= when < end:
            out.append(when)
    return out


def occurrences(
    schedule: Schedule,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    holiday_resolver: HolidayResolver | None = None,
) -> list[datetime]:
    """Start instants of ``schedule`` in ``[start, end)``, sorted, as aware datetimes in ``tz``.

    A naive ``once`` datetime is read as civil time in ``tz``. For relays the instants are the
    window starts; the window length is ``Schedule.relay_duration()``.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if schedule.type == "once":
        assert schedule.at is not None
        at = schedule.at.replace(tzinfo=tz) if schedule.at.tzinfo is None else schedule.at
        at = at.astimezone(tz)
        return [at] if start <= at < end else []
    if schedule.type == "holiday":
        return _holiday_times(schedule, tz, start, end, holiday_resolver)
    triggers = _triggers(schedule, tz)
    if len(triggers) == 1:
        return _fire_times(triggers[0], start, end)
    merged = {t for trigger in triggers for t in _fire_times(trigger, start, end)}
    return sorted(merged)


def program_occurrences(
    program: ProgramSpec,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    holiday_resolver: HolidayResolver | None = None,
) -> list[tuple[str, datetime, datetime]]:
    """Occurrences of a program that overlap ``[start, end)``: ``(key, start, end)`` triples.

    Applies what the program itself says: its validity range (by the civil date the occurrence
    was scheduled for), its ``append`` shifts (``key`` stays the original civil start, so item
    ids do not change when an occurrence moves) and its duration.
    """
    duration = program.duration()
    latest_shift = timedelta(seconds=max(program.shifts.values(), default=0))
    starts = occurrences(
        program.schedule, tz, start - duration - latest_shift, end, holiday_resolver
    )
    out = []
    for original in starts:
        day = original.date()
        if (program.valid_from and day < program.valid_from) or (
            program.valid_to and day > program.valid_to
        ):
            continue
        key = occurrence_key(original)
        begin = original + timedelta(seconds=program.shifts.get(key, 0))
        finish = begin + duration
        if finish > start and begin < end:
            out.append((key, begin, finish))
    return out
