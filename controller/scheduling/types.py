"""Value types of the plan compiler: programs, schedules, nodes, plan items and drop records.

These are plain frozen dataclasses, independent of the database and of Flask, so the compiler,
the conflict checker and the quiet-hours check are pure functions over them. The API layer
builds them from its rows (``Schedule.from_dict`` parses the JSON a program stores).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from controller.scheduling import priorities

SCHEDULE_TYPES = ("once", "daily", "weekly", "monthly", "cron", "holiday", "relay")
PROGRAM_KINDS = ("clip", "tts", "greeting", "relay", "emergency")
ON_CONFLICT_MODES = ("reject", "override", "append")
RELAY_RECURRENCES = ("daily", "weekly")
MAX_REPEAT = 10
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class SchedulingError(ValueError):
    """Invalid scheduling input: ``message_vi`` for officers, ``message_en`` for developers."""

    def __init__(self, message_vi: str, message_en: str, field: str | None = None) -> None:
        super().__init__(f"{message_vi} ({message_en})")
        self.message_vi = message_vi
        self.message_en = message_en
        self.field = field


class ScheduleError(SchedulingError):
    """A schedule (lịch phát) that cannot be parsed or makes no sense."""


class ProgramSpecError(SchedulingError):
    """A program whose fields are out of range or inconsistent."""


def occurrence_key(start: datetime) -> str:
    """Stable civil-time key of an occurrence (site time zone), used in item ids and shift maps."""
    return start.strftime("%Y%m%dT%H%M")


@dataclass(frozen=True, slots=True)
class MediaRef:
    """One audio file of a playlist as a node fetches it."""

    media_id: int
    url: str
    sha256: str
    bytes: int
    duration_ms: int

    def to_wire(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "duration_ms": self.duration_ms,
        }


# --- schedule parsing helpers -------------------------------------------------------------


def _err(field_name: str, vi: str, en: str) -> ScheduleError:
    return ScheduleError(vi, en, field=field_name)


def _parse_time(value: Any, field_name: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        text = value.strip().lower().replace("h", ":")
        if text.endswith(":"):
            text += "00"
        try:
            parsed = time.fromisoformat(text if len(text) != 4 else "0" + text)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None and parsed.second == 0:
            return parsed.replace(microsecond=0)
    raise _err(
        field_name,
        f"Giờ phát '{value}' không hợp lệ, hãy nhập dạng HH:MM, ví dụ 06:30",
        f"{field_name}: expected a time HH:MM, got {value!r}",
    )


def _parse_datetime(value: Any, field_name: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _err(
        field_name,
        f"Thời điểm '{value}' không hợp lệ, hãy nhập dạng 2027-02-05T20:00+07:00",
        f"{field_name}: expected an ISO 8601 / RFC 3339 datetime, got {value!r}",
    )


def _parse_days(value: Any, field_name: str) -> tuple[int, ...]:
    if isinstance(value, list | tuple) and value:
        days = set()
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 6:
                break
            days.add(item)
        else:
            return tuple(sorted(days))
    raise _err(
        field_name,
        "Hãy chọn ít nhất một ngày trong tuần (0 = Thứ Hai … 6 = Chủ nhật)",
        f"{field_name}: expected a non-empty list of weekdays 0 (Monday) to 6 (Sunday)",
    )


def _parse_int(value: Any, field_name: str, low: int, high: int, vi: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _err(
            field_name, vi, f"{field_name}: expected an integer {low}..{high}, got {value!r}"
        )
    return value


def _first(d: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if d.get(name) is not None:
            return d[name]
    return None


def _require(d: Mapping[str, Any], kind: str, *names: str) -> Any:
    value = _first(d, *names)
    if value is None:
        raise _err(
            names[0],
            f"Lịch phát kiểu '{kind}' cần trường '{names[0]}'",
            f"schedule type {kind!r} requires field {names[0]!r}",
        )
    return value


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a program plays. Civil times are in the site's time zone.

    Fields used per ``type``: once ``at``; daily ``time``; weekly ``days`` + ``time``; monthly
    ``day`` (1-31, or -1 for the last day) + ``time``; cron ``expr`` (5 fields, standard crontab
    meaning, 0 or 7 = Sunday); holiday ``holiday`` + ``time`` + ``offset_days``; relay ``time``
    (start) + ``end_time`` + ``recurrence`` (daily/weekly, with ``days``) + ``stream_url``.
    """

    type: str
    at: datetime | None = None
    time: time | None = None
    days: tuple[int, ...] = ()
    day: int | None = None
    expr: str | None = None
    holiday: str | None = None
    offset_days: int = 0
    end_time: time | None = None
    recurrence: str | None = None
    stream_url: str | None = None

    @classmethod
    def from_dict(
        cls, d: Mapping[str, Any], holiday_keys: frozenset[str] | set[str] | None = None
    ) -> Schedule:
        """Parse and validate a schedule object; raise :class:`ScheduleError` if it is wrong.

        ``holiday_keys``, when given, is the set of known holiday keys to check against.
        """
        if not isinstance(d, Mapping):
            raise _err("schedule", "Lịch phát phải là một đối tượng", "schedule must be an object")
        kind = d.get("type")
        if kind not in SCHEDULE_TYPES:
            raise _err(
                "type",
                f"Kiểu lịch phát '{kind}' không được hỗ trợ",
                f"schedule type must be one of {', '.join(SCHEDULE_TYPES)}, got {kind!r}",
            )
        parser = _PARSERS[kind]
        return parser(d, holiday_keys)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``from_dict`` accepts (round-trips)."""
        out: dict[str, Any] = {"type": self.type}
        if self.at is not None:
            out["at"] = self.at.isoformat()
        if self.time is not None:
            out["time"] = self.time.strftime("%H:%M")
        if self.days:
            out["days"] = list(self.days)
        for name in ("day", "expr", "holiday", "recurrence", "stream_url"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.type == "holiday":
            out["offset_days"] = self.offset_days
        if self.end_time is not None:
            out["end_time"] = self.end_time.strftime("%H:%M")
        return out

    def relay_duration(self) -> timedelta:
        """Length of a relay window; an end at or before the start means it runs past midnight."""
        assert self.time is not None and self.end_time is not None
        start = self.time.hour * 3600 + self.time.minute * 60
        end = self.end_time.hour * 3600 + self.end_time.minute * 60
        return timedelta(seconds=(end - start) % 86400)


def _parse_once(d: Mapping[str, Any], _keys: Any) -> Schedule:
    return Schedule("once", at=_parse_datetime(_require(d, "once", "at"), "at"))


def _parse_daily(d: Mapping[str, Any], _keys: Any) -> Schedule:
    return Schedule("daily", time=_parse_time(_require(d, "daily", "time"), "time"))


def _parse_weekly(d: Mapping[str, Any], _keys: Any) -> Schedule:
    days = _parse_days(_require(d, "weekly", "days"), "days")
    return Schedule("weekly", time=_parse_time(_require(d, "weekly", "time"), "time"), days=days)


def _parse_monthly(d: Mapping[str, Any], _keys: Any) -> Schedule:
    day = _require(d, "monthly", "day", "day_of_month")
    if day != -1:
        day = _parse_int(
            day, "day", 1, 31, "Ngày trong tháng phải từ 1 đến 31 (hoặc -1 = cuối tháng)"
        )
    return Schedule("monthly", time=_parse_time(_require(d, "monthly", "time"), "time"), day=day)


def _parse_cron(d: Mapping[str, Any], _keys: Any) -> Schedule:
    from controller.scheduling.recurrence import validate_cron  # the parser lives with the math

    expr = " ".join(str(_require(d, "cron", "expr", "expression")).split())
    validate_cron(expr)
    return Schedule("cron", expr=expr)


def _parse_holiday(d: Mapping[str, Any], keys: Any) -> Schedule:
    key = _require(d, "holiday", "holiday", "key")
    if not isinstance(key, str) or (keys is not None and key not in keys):
        raise _err(
            "holiday", f"Không có ngày lễ '{key}' trong lịch", f"unknown holiday key {key!r}"
        )
    offset = _parse_int(
        d.get("offset_days", 0), "offset_days", -60, 60, "Số ngày lệch phải từ -60 đến 60"
    )
    when = _parse_time(_require(d, "holiday", "time"), "time")
    return Schedule("holiday", holiday=key, time=when, offset_days=offset)


def _parse_relay(d: Mapping[str, Any], _keys: Any) -> Schedule:
    start = _parse_time(_require(d, "relay", "time", "start", "start_time"), "time")
    end = _parse_time(_require(d, "relay", "end_time", "end"), "end_time")
    if start == end:
        raise _err(
            "end_time",
            "Giờ kết thúc tiếp âm phải khác giờ bắt đầu",
            "relay end_time must differ from its start time",
        )
    recurrence = d.get("recurrence") or ("weekly" if d.get("days") else "daily")
    if recurrence not in RELAY_RECURRENCES:
        raise _err(
            "recurrence",
            "Tiếp âm chỉ lặp hằng ngày hoặc hằng tuần",
            f"relay recurrence must be daily or weekly, got {recurrence!r}",
        )
    days = _parse_days(d.get("days"), "days") if recurrence == "weekly" else ()
    url = d.get("stream_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise _err("stream_url", "Địa chỉ luồng tiếp âm không hợp lệ", "invalid stream_url")
    return Schedule(
        "relay", time=start, end_time=end, recurrence=recurrence, days=days, stream_url=url
    )


_PARSERS = {
    "once": _parse_once,
    "daily": _parse_daily,
    "weekly": _parse_weekly,
    "monthly": _parse_monthly,
    "cron": _parse_cron,
    "holiday": _parse_holiday,
    "relay": _parse_relay,
}


# --- programs, nodes, plan items --------------------------------------------------------------


def _program_error(field_name: str, vi: str, en: str) -> ProgramSpecError:
    return ProgramSpecError(vi, en, field=field_name)


@dataclass(frozen=True, slots=True)
class ProgramSpec:
    """A program (chương trình phát thanh) as the compiler sees it.

    ``zones`` None means the whole site. ``on_conflict`` and ``shifts`` hold the officer's
    choice when the program was saved over others (see ``conflicts.py``): ``override`` makes it
    beat programs of its own level; ``shifts`` maps an occurrence key (``occurrence_key``, the
    original civil start) to seconds by which that occurrence is moved later (``append``).
    """

    id: int
    title: str
    kind: str
    media: tuple[MediaRef, ...]
    zones: frozenset[str] | None
    priority_level: str
    rank: int
    volume: int
    repeat: int
    repeat_gap_s: int
    valid_from: date | None
    valid_to: date | None
    schedule: Schedule
    stream_url: str | None = None
    on_conflict: str = "reject"
    shifts: Mapping[str, int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        try:
            priorities.validate_level(self.priority_level)
            priorities.validate_rank(self.rank)
        except priorities.PriorityError as exc:
            raise ProgramSpecError(exc.message_vi, exc.message_en, "priority") from exc
        self._check_ranges()
        self._check_kind()
        # Freeze the shift map so the spec stays immutable and hashable-by-identity safe.
        object.__setattr__(self, "shifts", MappingProxyType(dict(self.shifts)))

    def _check_ranges(self) -> None:
        if self.kind not in PROGRAM_KINDS:
            raise _program_error(
                "kind", "Loại chương trình không hợp lệ", f"bad kind {self.kind!r}"
            )
        if not 0 <= self.volume <= 100:
            raise _program_error("volume", "Âm lượng phải từ 0 đến 100", "volume must be 0..100")
        if not 1 <= self.repeat <= MAX_REPEAT:
            raise _program_error(
                "repeat",
                f"Số lần phát lặp phải từ 1 đến {MAX_REPEAT}",
                f"repeat must be 1..{MAX_REPEAT}",
            )
        if self.repeat_gap_s < 0:
            raise _program_error(
                "repeat_gap_s", "Khoảng nghỉ giữa các lần lặp không được âm", "negative gap"
            )
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise _program_error(
                "valid_to",
                "Ngày kết thúc chiến dịch phải sau ngày bắt đầu",
                "valid_to is before valid_from",
            )
        if self.zones is not None and not self.zones:
            raise _program_error(
                "zones", "Hãy chọn ít nhất một thôn hoặc toàn xã", "zones must not be empty"
            )
        if self.on_conflict not in ON_CONFLICT_MODES:
            raise _program_error(
                "on_conflict", "Cách xử lý trùng lịch không hợp lệ", "bad on_conflict"
            )

    def _check_kind(self) -> None:
        is_relay_schedule = self.schedule.type == "relay"
        if is_relay_schedule != (self.kind == "relay"):
            raise _program_error(
                "kind",
                "Chương trình tiếp âm phải dùng lịch tiếp âm và ngược lại",
                "kind 'relay' goes with schedule type 'relay' and only with it",
            )
        if is_relay_schedule:
            if not self.relay_url:
                raise _program_error(
                    "stream_url", "Tiếp âm cần địa chỉ luồng phát", "relay needs a stream_url"
                )
        elif not self.media or sum(m.duration_ms for m in self.media) <= 0:
            raise _program_error(
                "media",
                "Chương trình cần ít nhất một tệp âm thanh có thời lượng",
                "a non-relay program needs media with a positive total duration",
            )

    @property
    def relay_url(self) -> str | None:
        return self.stream_url or self.schedule.stream_url

    @property
    def is_emergency(self) -> bool:
        return self.kind == "emergency" or priorities.is_emergency(self.priority_level)

    def duration(self) -> timedelta:
        """How long one occurrence lasts: playlist x repeat plus gaps, or the relay window."""
        if self.schedule.type == "relay":
            return self.schedule.relay_duration()
        playlist_ms = sum(m.duration_ms for m in self.media)
        return timedelta(
            milliseconds=playlist_ms * self.repeat + self.repeat_gap_s * 1000 * (self.repeat - 1)
        )


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """A hamlet node (cụm loa) and the zone (thôn) it belongs to."""

    id: str
    zone: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One entry of a node's plan, in the MQTT plan-item shape (see ``to_wire``)."""

    id: str
    program_id: int
    start: datetime
    end: datetime
    priority: int
    title: str
    kind: str
    volume: int
    media: tuple[MediaRef, ...]
    stream_url: str | None = None
    repeat: int = 1
    repeat_gap_ms: int = 0

    def to_wire(self) -> dict[str, Any]:
        """The plan item as published: ``media`` is the playlist repeated ``repeat`` times.

        When repeats have a gap, ``block_size`` (playlist length) and ``block_gap_ms`` tell the
        node to stay silent ``block_gap_ms`` after every ``block_size`` media entries; a node
        that ignores them still plays the right content, only without the pauses.
        """
        wire: dict[str, Any] = {
            "id": self.id,
            "start": self.start.isoformat(timespec="seconds"),
            "end": self.end.isoformat(timespec="seconds"),
            "priority": self.priority,
            "title": self.title,
            "kind": self.kind,
            "volume": self.volume,
            "media": [m.to_wire() for m in self.media] * self.repeat,
        }
        if self.repeat > 1 and self.repeat_gap_ms > 0:
            wire["block_size"] = len(self.media)
            wire["block_gap_ms"] = self.repeat_gap_ms
        if self.kind == "relay":
            wire["stream_url"] = self.stream_url
        return wire


@dataclass(frozen=True, slots=True)
class DropRecord:
    """An occurrence that was shortened or not planned in a zone, and why (never lost silently).

    ``action`` is ``shortened`` (``new_end`` set) or ``dropped``; ``reason`` is ``preempted``
    (by ``by_program_id``) or ``quiet_hours``. ``start``/``end`` are the times before the cut.
    """

    item_id: str
    program_id: int
    title: str
    zone: str
    nodes: tuple[str, ...]
    start: datetime
    end: datetime
    action: str
    reason: str
    by_program_id: int | None
    new_end: datetime | None
    message_vi: str


# The brief calls the drop record a "preemption" in places; keep that name available.
Preemption = DropRecord
