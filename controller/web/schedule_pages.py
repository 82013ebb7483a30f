"""Pages: Lịch phát, the week and day calendar of programs per hamlet, and the program editor.

The calendar is rendered on the server. Its occurrences are expanded from the approved and
pending programs with the scheduling engine's own recurrence math (``program_occurrences``:
validity range, ``append`` shifts, repeats), so the page shows the same instants the plan
compiler sends to nodes. Holidays (solar and lunar) come from the holiday calendar. The editor
is a form whose JavaScript (``js/schedule.js``) saves through ``/api/v1/programs`` and settles
conflicts and quiet-hour refusals with the officer.

The small text helpers here (schedule summary, status badge, targets) are shared with the
approval queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from controller.api import context
from controller.api.calendar import YEAR_MAX, YEAR_MIN
from controller.api.programs import program_out
from controller.auth.gate import requires
from controller.auth.roles import allowed
from controller.db.models import MediaItem, Program, Zone
from controller.i18n import request_locale
from controller.scheduling import priorities
from controller.scheduling.holidays import Holiday, default_catalog, holidays_for_year
from controller.scheduling.lunar import solar_to_lunar
from controller.scheduling.planning import clock, load_site, program_spec, site_timezone
from controller.scheduling.recurrence import program_occurrences
from controller.scheduling.types import SchedulingError
from controller.web.ui_text import t

bp = Blueprint("schedule_pages", __name__)

CALENDAR_STATUSES = ("approved", "pending")
STATUS_ORDER = ("pending", "rejected", "draft", "approved", "paused")
PRIORITIES = ("normal", "priority", "emergency")
SCHEDULE_TYPES = ("once", "daily", "weekly", "monthly", "cron", "holiday", "relay")
# Where the calendar jumps after a save: the first occurrence within this far ahead.
FIRST_OCCURRENCE_HORIZON = timedelta(days=400)
# Holiday presets of the editor: (text key, holiday key, offset days, time).
PRESETS = (
    ("sch_preset_tet", "tet-nguyen-dan", -1, "20:00"),
    ("sch_preset_quockhanh", "quoc-khanh", 0, "06:00"),
    ("sch_preset_hungvuong", "gio-to-hung-vuong", 0, "06:00"),
    ("sch_preset_3004", "giai-phong-mien-nam", 0, "06:00"),
)


# --- text helpers (pure, shared with the approval queue) ----------------------------------------


def weekday_name(index: int) -> str:
    """Thứ Hai … Chủ nhật for 0 … 6 (Monday first)."""
    return t(f"sch_wd{index}")


def status_text(status: str, comment: str | None = None) -> str:
    """The badge an officer sees: "Đã duyệt", "Bị từ chối: <comment>", "Chờ duyệt", ..."""
    if status == "rejected" and comment:
        return t("sch_status_rejected_with").format(comment=comment)
    return t(f"sch_status_{status}") if status in STATUS_ORDER else status


def priority_text(level: str) -> str:
    return t(f"sch_prio_{level}") if level in PRIORITIES else level


def targets_text(all_zones: bool, zone_ids: Iterable[str], zone_names: Mapping[str, str]) -> str:
    """ "Toàn xã" or the hamlet names, comma separated."""
    if all_zones:
        return t("sch_whole_commune")
    return ", ".join(zone_names.get(z, z) for z in zone_ids)


def _hhmm(value: Any) -> str:
    return str(value or "")[:5]


def _days_text(days: Iterable[int]) -> str:
    return ", ".join(weekday_name(d) for d in days)


def _at_text(value: str, tz: ZoneInfo) -> str:
    try:
        at = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    at = at.astimezone(tz) if at.tzinfo else at
    return at.strftime("%d/%m/%Y %H:%M")


def _holiday_text(s: Mapping[str, Any], holiday_names: Mapping[str, str]) -> str:
    name = holiday_names.get(s.get("holiday", ""), s.get("holiday", ""))
    offset = int(s.get("offset_days") or 0)
    when = _hhmm(s.get("time"))
    if offset < 0:
        return t("sch_sum_holiday_before").format(days=-offset, name=name, time=when)
    if offset > 0:
        return t("sch_sum_holiday_after").format(days=offset, name=name, time=when)
    return t("sch_sum_holiday").format(name=name, time=when)


def describe_schedule(
    schedule: Mapping[str, Any], holiday_names: Mapping[str, str], tz: ZoneInfo
) -> str:
    """A schedule in words, e.g. "Hằng tuần: Thứ Hai, Thứ Tư lúc 07:00"."""
    kind = schedule.get("type")
    when = _hhmm(schedule.get("time"))
    if kind == "once":
        return t("sch_sum_once").format(at=_at_text(schedule.get("at", ""), tz))
    if kind == "daily":
        return t("sch_sum_daily").format(time=when)
    if kind == "weekly":
        return t("sch_sum_weekly").format(days=_days_text(schedule.get("days", [])), time=when)
    if kind == "monthly":
        if schedule.get("day") == -1:
            return t("sch_sum_monthly_last").format(time=when)
        return t("sch_sum_monthly").format(day=schedule.get("day"), time=when)
    if kind == "cron":
        return t("sch_sum_cron").format(expr=schedule.get("expr", ""))
    if kind == "holiday":
        return _holiday_text(schedule, holiday_names)
    if kind == "relay":
        end = _hhmm(schedule.get("end_time"))
        if schedule.get("recurrence") == "weekly":
            days = _days_text(schedule.get("days", []))
            return t("sch_sum_relay_weekly").format(days=days, start=when, end=end)
        return t("sch_sum_relay_daily").format(start=when, end=end)
    return str(kind)


def validity_text(valid_from: date | None, valid_to: date | None) -> str:
    parts = []
    if valid_from:
        parts.append(t("sch_sum_from").format(date=valid_from.strftime("%d/%m/%Y")))
    if valid_to:
        parts.append(t("sch_sum_to").format(date=valid_to.strftime("%d/%m/%Y")))
    return " ".join(parts)


def holiday_names() -> dict[str, str]:
    """Holiday key -> its name in the page's language."""
    english = request_locale() == "en"
    return {r.key: (r.name_en or r.name) if english else r.name for r in default_catalog().rules}


def holiday_label(holiday: Holiday) -> str:
    """The holiday's name; lunar ones also say their lunar date, e.g. "(1/1 âm lịch)"."""
    name = (holiday.name_en or holiday.name) if request_locale() == "en" else holiday.name
    if not holiday.lunar:
        return name
    lunar = solar_to_lunar(holiday.date)
    return f"{name} ({t('sch_lunar').format(day=lunar.day, month=lunar.month)})"


# --- occurrences of the visible days --------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One play of a program in the calendar (civil times in the site's zone)."""

    program_id: int
    title: str
    status: str
    priority: str
    kind: str
    start: datetime
    end: datetime
    all_zones: bool
    zone_ids: tuple[str, ...]
    strength: tuple[int, int, int, int] = (0, 0, 0, 0)
    yields_to: str | None = None  # the stronger program that keeps the overlap

    @property
    def span(self) -> str:
        """ "07:00–07:05", the end rounded up to the minute (a 20 s clip still shows a span)."""
        end = self.end
        if end.second or end.microsecond:
            end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return f"{self.start:%H:%M}–{end:%H:%M}"


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (the week starts on Monday)."""
    return day - timedelta(days=day.weekday())


def _targets_zone(row: Program, zone: str | None) -> bool:
    return zone is None or row.all_zones or zone in (row.zone_ids or [])


def expand_programs(
    session: Session,
    config: Any,
    site_id: str,
    start: datetime,
    end: datetime,
    zone: str | None = None,
    statuses: Iterable[str] = CALENDAR_STATUSES,
) -> list[Occurrence]:
    """Occurrences in ``[start, end)`` of the site's programs in ``statuses`` (for ``zone``).

    Programs the engine cannot use (a deleted clip, a broken schedule) are left out, as the
    compiler leaves them out of plans.
    """
    rows = session.scalars(
        select(Program)
        .where(Program.site_id == site_id, Program.status.in_(tuple(statuses)))
        .order_by(Program.id)
    )
    rows = [r for r in rows if _targets_zone(r, zone)]
    inputs = load_site(session, config, site_id, {m for r in rows for m in r.media_ids})
    found: list[Occurrence] = []
    for row in rows:
        try:
            spec = program_spec(row, inputs.media)
            times = program_occurrences(spec, inputs.tz, start, end, inputs.holidays)
        except (SchedulingError, ValueError):
            continue
        strength = priorities.strength(
            spec.priority_level, spec.rank, spec.on_conflict == "override", spec.id
        )
        for _key, begin, finish in times:
            found.append(
                Occurrence(
                    row.id, row.title, row.status, row.priority, row.kind,
                    begin.astimezone(inputs.tz), finish.astimezone(inputs.tz),
                    row.all_zones, tuple(row.zone_ids or ()), strength,
                )
            )  # fmt: skip
    found.sort(key=lambda o: (o.start, o.program_id))
    return mark_yields(found, frozenset(inputs.zones), zone)


def _zones_of(o: Occurrence, site_zones: frozenset[str]) -> frozenset[str]:
    return site_zones if o.all_zones else frozenset(o.zone_ids)


def mark_yields(
    occurrences: list[Occurrence], site_zones: frozenset[str], zone: str | None = None
) -> list[Occurrence]:
    """Mark each occurrence that overlaps a stronger one in a shared hamlet (of ``zone``).

    Strength is the compiler's order (level, override, rank, older first), so the calendar
    says which program a node will actually play where two overlap. ``occurrences`` must be
    sorted by start.
    """
    out = []
    for o in occurrences:
        mine = _zones_of(o, site_zones) if zone is None else _zones_of(o, site_zones) & {zone}
        winner = None
        for w in occurrences:
            if w.start >= o.end:
                break
            if (
                w is not o
                and w.end > o.start
                and w.strength > o.strength
                and mine & _zones_of(w, site_zones)
            ):
                winner = w
                break
        out.append(replace(o, yields_to=winner.title) if winner else o)
    return out


def first_occurrence(
    session: Session, config: Any, site_id: str, program_id: int, now: datetime
) -> datetime | None:
    """The next time a program plays (from ``now``), so the calendar can show that week."""
    row = session.get(Program, program_id)
    if row is None or row.site_id != site_id:
        return None
    inputs = load_site(session, config, site_id, row.media_ids)
    try:
        spec = program_spec(row, inputs.media)
        times = program_occurrences(
            spec, inputs.tz, now, now + FIRST_OCCURRENCE_HORIZON, inputs.holidays
        )
    except (SchedulingError, ValueError):
        return None
    return times[0][1].astimezone(inputs.tz) if times else None


# --- calendar page ------------------------------------------------------------------------------


@dataclass
class DayColumn:
    day: date
    weekday: str
    holidays: list[str] = field(default_factory=list)
    day_off: bool = False
    items: list[Occurrence] = field(default_factory=list)


def _zone_names(session: Session, site_id: str) -> dict[str, str]:
    zones = session.scalars(select(Zone).where(Zone.site_id == site_id).order_by(Zone.id))
    return {z.id: z.name for z in zones}


def parse_day(raw: str | None) -> date | None:
    """A day typed as dd/mm/yyyy (what officers write) or yyyy-mm-dd (links); None if neither.

    Years outside the holiday calendar's range are refused too: a week around 0001-01-01 or
    9999-12-31 would leave the datetime range.
    """
    text = (raw or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if YEAR_MIN <= day.year <= YEAR_MAX else None
    return None


def _columns(days: list[date], occurrences: list[Occurrence]) -> list[DayColumn]:
    by_year = {y: holidays_for_year(y) for y in {d.year for d in days}}
    columns = []
    for day in days:
        holidays = [h for h in by_year[day.year] if h.date == day]
        column = DayColumn(day, weekday_name(day.weekday()))
        column.holidays = [holiday_label(h) for h in holidays]
        column.day_off = any(h.day_off for h in holidays)
        column.items = [o for o in occurrences if o.start.date() == day]
        columns.append(column)
    return columns


def _visible_days(view: str, anchor: date) -> list[date]:
    if view == "day":
        return [anchor]
    monday = week_start(anchor)
    return [monday + timedelta(days=i) for i in range(7)]


def _programs_table(session: Session, site_id: str, zone: str | None) -> list[Program]:
    rows = session.scalars(select(Program).where(Program.site_id == site_id))
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    chosen = [r for r in rows if _targets_zone(r, zone)]
    return sorted(chosen, key=lambda r: (order.get(r.status, 99), -r.id))


def _saved_program(session: Session, saved: str | None) -> Program | None:
    if not saved or not saved.isdecimal() or len(saved) > 9:  # beyond INTEGER: no such row
        return None
    row = session.get(Program, int(saved))
    return row if row is not None and row.site_id == context.site_id() else None


@bp.get("/schedule")
def calendar():  # type: ignore[no-untyped-def]
    sess, site_id, cfg = context.session(), context.site_id(), context.config()
    tz = site_timezone(sess, cfg, site_id)
    now = clock(current_app)
    today = now.astimezone(tz).date()
    zones = _zone_names(sess, site_id)
    zone = request.args.get("zone") or None
    zone = zone if zone in zones else None
    view = "day" if request.args.get("view") == "day" else "week"
    saved = _saved_program(sess, request.args.get("saved"))
    anchor = parse_day(request.args.get("date")) or today
    if saved is not None and not request.args.get("date"):
        first = first_occurrence(sess, cfg, site_id, saved.id, now)
        anchor = first.date() if first else today
    days = _visible_days(view, anchor)
    start = datetime.combine(days[0], time(0), tz)
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tz)
    occurrences = expand_programs(sess, cfg, site_id, start, end, zone)
    step = timedelta(days=1 if view == "day" else 7)
    return render_template(
        "schedule.html",
        view=view,
        columns=_columns(days, occurrences),
        anchor=anchor,
        today=today,
        prev_date=(anchor - step).isoformat(),
        next_date=(anchor + step).isoformat(),
        zones=zones,
        zone=zone,
        programs=_programs_table(sess, site_id, zone),
        saved=saved,
        left=request.args.get("left", type=int),
        holiday_names=holiday_names(),
        tz=tz,
        describe_schedule=describe_schedule,
        status_text=status_text,
        targets_text=targets_text,
        priority_text=priority_text,
        validity_text=validity_text,
        can_schedule=_may("schedule"),
        can_pause=_may("schedule") or _may("approve"),
    )


def _may(capability: str) -> bool:
    return allowed(getattr(current_user, "role", ""), capability)


# --- editor ---------------------------------------------------------------------------------


def _media_choices(session: Session, site_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MediaItem).where(MediaItem.site_id == site_id).order_by(MediaItem.title)
    )
    return [{"id": m.id, "title": m.title, "duration_ms": m.duration_ms} for m in rows]


def _editor_texts() -> dict[str, str]:
    keys = (
        "sch_up", "sch_down", "sch_remove", "sch_playlist_empty", "sch_err_title",
        "sch_err_playlist", "sch_err_targets", "sch_err_days", "sch_err_time", "sch_err_date",
        "sch_quiet_refused", "sch_not_saved", "sch_network_error", "sch_saving",
        "sch_conflict_more", "sch_conflict_count", "sch_whole_commune",
    )  # fmt: skip
    return {k: t(k) for k in keys}


def _editor(program: Program | None):  # type: ignore[no-untyped-def]
    sess, site_id = context.session(), context.site_id()
    data = {
        "program": program_out(program) if program is not None else None,
        "media": _media_choices(sess, site_id),
        "zones": _zone_names(sess, site_id),
        "texts": _editor_texts(),
        "calendar_url": url_for("schedule_pages.calendar"),
    }
    return render_template(
        "schedule_edit.html",
        program=program,
        data=data,
        zones=data["zones"],
        media=data["media"],
        holiday_names=holiday_names(),
        priorities=PRIORITIES,
        schedule_types=SCHEDULE_TYPES,
        presets=PRESETS,
        priority_text=priority_text,
        weekday_name=weekday_name,
    )


@bp.get("/schedule/programs/new")
@requires("schedule", read="schedule")
def new_program():  # type: ignore[no-untyped-def]
    return _editor(None)


@bp.get("/schedule/programs/<int:program_id>/edit")
@requires("schedule", read="schedule")
def edit_program(program_id: int):  # type: ignore[no-untyped-def]
    row = context.session().get(Program, program_id)
    if row is None or row.site_id != context.site_id():
        abort(404)
    return _editor(row)
