"""``/api/v1/programs``: broadcast programs, their checks and their approval workflow.

Life of a program: ``draft`` -> (submit) ``pending`` -> (approve) ``approved`` <-> (pause/resume)
``paused``; (reject) ``rejected`` -> (edit or submit) ``pending``. Only ``approved`` programs
are compiled into plans. An edit by someone who cannot approve sends an approved, paused or
rejected program back to ``pending``. Every save is checked: targets and media exist, the
schedule parses, nothing non-emergency plays in quiet hours, and overlaps with other
approved/pending programs are settled by the officer's ``on_conflict`` choice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select

from broadcast_agents.protocol.messages import MAX_MEDIA
from controller import audit
from controller.api import context
from controller.api.program_schemas import (
    STATUSES,
    DecisionIn,
    ProgramIn,
    ProgramOut,
    ProgramUpdate,
)
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.auth.roles import allowed
from controller.db.models import Program
from controller.db.types import utcnow
from controller.errors import ApiError
from controller.scheduling import conflicts, quiet_hours
from controller.scheduling.holidays import holiday_keys
from controller.scheduling.planning import (
    CONFLICT_STATUSES,
    SiteInputs,
    clock,
    load_site,
    program_rows,
    program_specs,
    referenced_media,
    refresh_after_change,
)
from controller.scheduling.recurrence import program_occurrences
from controller.scheduling.types import ProgramSpec, Schedule, SchedulingError

bp = Blueprint("programs", __name__, url_prefix="/api/v1/programs")

CHECK_WINDOW = timedelta(days=30)
NEW_PROGRAM_ID = 2**31 - 1
# Search for the first occurrence in growing windows: cheap for frequent schedules, and long
# enough for yearly ones (a holiday, 29 February in a cron).
_FIRST_OCCURRENCE_SEARCH = (timedelta(days=1), timedelta(days=31), timedelta(days=1500))
# At most one occurrence every 15 minutes on average over a day: denser schedules make plans
# too large for a node (every minute for 16 hours is a 1.3 MB plan) and are never meant.
MAX_DAILY_OCCURRENCES = 96
FREQUENCY_WINDOW = timedelta(hours=24)

STATUS_VI = {
    "draft": "nháp",
    "pending": "chờ duyệt",
    "approved": "đã duyệt",
    "rejected": "bị từ chối",
    "paused": "tạm dừng",
}
ACTION_VI = {
    "submit": "gửi duyệt",
    "approve": "duyệt",
    "reject": "từ chối",
    "pause": "tạm dừng",
    "resume": "tiếp tục",
}
# action -> (statuses it applies to, resulting status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft", "rejected"}), "pending"),
    "approve": (frozenset({"pending", "draft"}), "approved"),
    "reject": (frozenset({"pending", "draft"}), "rejected"),
    "pause": (frozenset({"approved"}), "paused"),
    "resume": (frozenset({"paused"}), "approved"),
}
_EDITABLE = (
    "title", "media_ids", "priority", "rank", "volume", "repeat", "repeat_gap_s",
    "valid_from", "valid_to", "kind", "stream_url", "schedule",
)  # fmt: skip


_NULLABLE = frozenset({"valid_from", "valid_to", "stream_url", "kind", "zones"})


# --- answers --------------------------------------------------------------------------------


def _conflict_dicts(found: list[conflicts.Conflict]) -> list[dict[str, Any]]:
    return [{"program": c.program_id, **c.to_dict()} for c in found]


def program_out(row: Program, remaining: list[conflicts.Conflict] | None = None) -> dict:
    policy = row.conflict_policy or {}
    return ProgramOut(
        id=row.id,
        site=row.site_id,
        title=row.title,
        kind=row.kind,
        status=row.status,
        priority=row.priority,
        rank=row.rank,
        volume=row.volume,
        repeat=row.repeat,
        repeat_gap_s=row.repeat_gap_s,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        schedule=row.schedule,
        all=row.all_zones,
        zones=None if row.all_zones else list(row.zone_ids),
        media_ids=list(row.media_ids),
        stream_url=row.stream_url,
        on_conflict=policy.get("mode", "reject"),
        shifts=policy.get("shifts") or {},
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_comment=row.decision_comment,
        conflicts=_conflict_dicts(remaining or []),
    ).model_dump(mode="json")


def _invalid(exc: SchedulingError) -> ApiError:
    return ApiError(422, "validation", exc.message_vi, exc.message_en, field=exc.field)


# --- checks ---------------------------------------------------------------------------------


def _check_targets(fields: dict[str, Any], inputs: SiteInputs) -> None:
    if fields["all_zones"]:
        fields["zone_ids"] = []
        return
    zones = list(dict.fromkeys(fields["zone_ids"] or []))
    if not zones:
        raise ApiError(
            422,
            "validation",
            "Hãy chọn ít nhất một thôn (zones) hoặc phát toàn xã (all: true)",
            "give 'zones' (a non-empty list) or 'all': true",
            field="zones",
        )
    unknown = [z for z in zones if z not in inputs.zones]
    if unknown:
        raise ApiError(
            422,
            "zone_unknown",
            f"Thôn/xóm không tồn tại: {', '.join(unknown)}",
            f"unknown zone(s): {', '.join(unknown)}",
            field="zones",
        )
    fields["zone_ids"] = zones


def _check_media(fields: dict[str, Any], inputs: SiteInputs) -> None:
    unknown = [m for m in fields["media_ids"] if m not in inputs.media]
    if unknown:
        raise ApiError(
            422,
            "media_unknown",
            f"Không có tệp âm thanh mã {', '.join(map(str, unknown))} trong thư viện",
            f"unknown media id(s): {', '.join(map(str, unknown))}",
            field="media_ids",
        )


def _default_kind(fields: dict[str, Any]) -> str:
    if fields["schedule"].get("type") == "relay":
        return "relay"
    return "emergency" if fields["priority"] == "emergency" else "clip"


def _spec(fields: dict[str, Any], inputs: SiteInputs, program_id: int) -> ProgramSpec:
    """Validate the merged fields into a ``ProgramSpec`` (normalizing the stored schedule)."""
    _check_targets(fields, inputs)
    _check_media(fields, inputs)
    try:
        schedule = Schedule.from_dict(fields["schedule"], holiday_keys())
        fields["schedule"] = schedule.to_dict()
        fields["kind"] = fields.get("kind") or _default_kind(fields)
        return ProgramSpec(
            id=program_id,
            title=fields["title"],
            kind=fields["kind"],
            media=tuple(inputs.media[m] for m in fields["media_ids"]),
            zones=None if fields["all_zones"] else frozenset(fields["zone_ids"]),
            priority_level=fields["priority"],
            rank=fields["rank"],
            volume=fields["volume"],
            repeat=fields["repeat"],
            repeat_gap_s=fields["repeat_gap_s"],
            valid_from=fields["valid_from"],
            valid_to=fields["valid_to"],
            schedule=schedule,
            stream_url=fields["stream_url"],
            on_conflict=fields["on_conflict"],
        )
    except SchedulingError as exc:
        raise _invalid(exc) from None


def _first_start(spec: ProgramSpec, inputs: SiteInputs, now: datetime) -> datetime:
    """The first occurrence at or after ``now``: the checks look 30 days from there."""
    for span in _FIRST_OCCURRENCE_SEARCH:
        for _key, start, _end in program_occurrences(
            spec, inputs.tz, now, now + span, inputs.holidays
        ):
            if start >= now:
                return start
    raise ApiError(
        422,
        "no_occurrence",
        "Chương trình không có lượt phát nào sắp tới (thời điểm đã qua hoặc ngoài thời hạn)",
        "the program has no upcoming occurrence (in the past or outside its validity)",
        field="schedule",
    )


def _check_frequency(spec: ProgramSpec, inputs: SiteInputs, start: datetime) -> None:
    """Refuse a schedule firing more than ``MAX_DAILY_OCCURRENCES`` times in its first day."""
    found = program_occurrences(spec, inputs.tz, start, start + FREQUENCY_WINDOW, inputs.holidays)
    if sum(1 for _key, begin, _end in found if begin >= start) > MAX_DAILY_OCCURRENCES:
        raise ApiError(
            422,
            "too_frequent",
            f"Lịch phát quá dày: chương trình phát hơn {MAX_DAILY_OCCURRENCES} lần trong "
            "một ngày (trung bình chưa đến 15 phút lại phát một lần). "
            "Hãy giãn lịch phát, mỗi lần cách nhau ít nhất 15 phút.",
            f"the schedule fires more than {MAX_DAILY_OCCURRENCES} times in a day "
            "(more often than every 15 minutes on average)",
            field="schedule",
        )


def _check_media_count(spec: ProgramSpec) -> None:
    """A node refuses a plan item with more than ``MAX_MEDIA`` entries (playlist x repeat)."""
    if len(spec.media) * spec.repeat > MAX_MEDIA:
        raise ApiError(
            422,
            "too_many_media",
            f"Số tệp âm thanh nhân số lần phát lặp không được quá {MAX_MEDIA} "
            f"(hiện là {len(spec.media)} × {spec.repeat}).",
            f"media count x repeat must be at most {MAX_MEDIA} "
            f"(now {len(spec.media)} x {spec.repeat})",
            field="media_ids",
        )


def _check_quiet_hours(spec: ProgramSpec, inputs: SiteInputs, start: datetime) -> None:
    found = quiet_hours.violations(
        spec,
        inputs.quiet,
        zones=inputs.zones,
        now=start,
        tz=inputs.tz,
        holiday_resolver=inputs.holidays,
        window=CHECK_WINDOW,
    )
    if not found:
        return
    targets = sorted(inputs.zones) if spec.zones is None else sorted(spec.zones)
    first = found[0]
    duration_end = first + spec.duration()
    zone = next(
        (z for z in targets if inputs.quiet.intervals(z, inputs.tz, first, duration_end)), None
    )
    vi, en = quiet_hours.refusal_message(found, inputs.quiet, inputs.tz, zone)
    raise ApiError(
        422,
        "quiet_hours",
        vi,
        en,
        field="schedule",
        zone=zone,
        times=[t.astimezone(inputs.tz).isoformat(timespec="seconds") for t in found[:20]],
    )


def _resolve_conflicts(
    spec: ProgramSpec, existing: list[ProgramSpec], inputs: SiteInputs, start: datetime
) -> conflicts.Resolution:
    try:
        return conflicts.resolve(
            spec,
            spec.on_conflict,
            existing,
            inputs.nodes,
            start,
            CHECK_WINDOW,
            tz=inputs.tz,
            holiday_resolver=inputs.holidays,
        )
    except conflicts.ConflictRejected as exc:
        raise ApiError(
            409,
            "conflict",
            exc.message_vi + ". Hãy chọn ưu tiên chương trình này hoặc phát nối tiếp sau.",
            exc.message_en + "; choose on_conflict 'override' or 'append'",
            conflicts=_conflict_dicts(exc.conflicts[:50]),
        ) from None
    except SchedulingError as exc:
        raise _invalid(exc) from None


def _checked(fields: dict[str, Any], program_id: int | None) -> conflicts.Resolution:
    """Run every check on the merged fields; the resolution holds the program to store.

    ``program_id`` is None for a new program, which is then checked as the newest one (it
    loses exact ties, as it will once it has its id).
    """
    sess, site_id = context.session(), context.site_id()
    others = program_rows(sess, site_id, CONFLICT_STATUSES, program_id)
    media_ids = referenced_media(others) | set(fields["media_ids"])
    inputs = load_site(sess, context.config(), site_id, media_ids)
    spec = _spec(fields, inputs, program_id or NEW_PROGRAM_ID)
    _check_media_count(spec)
    start = _first_start(spec, inputs, clock(current_app))
    _check_frequency(spec, inputs, start)
    _check_quiet_hours(spec, inputs, start)
    return _resolve_conflicts(spec, program_specs(others, inputs), inputs, start)


def _store(row: Program, fields: dict[str, Any], resolution: conflicts.Resolution) -> None:
    for name in _EDITABLE:
        setattr(row, name, fields[name])
    row.all_zones = fields["all_zones"]
    row.zone_ids = fields["zone_ids"]
    stored = resolution.program
    row.conflict_policy = {"mode": stored.on_conflict, "shifts": dict(stored.shifts)}


# --- views ----------------------------------------------------------------------------------


def _get(program_id: int) -> Program:
    row = context.session().get(Program, program_id)
    if row is None or row.site_id != context.site_id():
        raise ApiError(404, "not_found")
    return row


def _can(capability: str) -> bool:
    principal = g.get("principal")
    return principal is not None and allowed(principal.role, capability)


def _after_commit(*statuses: str) -> None:
    """Republish plans when the set of approved programs may have changed."""
    if "approved" in statuses:
        refresh_after_change(current_app, context.site_id())


@bp.get("")
@api_doc("List programs", list_of=ProgramOut, query={"status": "only programs in this state"})
def list_programs():  # type: ignore[no-untyped-def]
    query = select(Program).where(Program.site_id == context.site_id()).order_by(Program.id)
    status = request.args.get("status")
    if status:
        if status not in STATUSES:
            raise ApiError(
                422,
                "validation",
                f"Trạng thái '{status}' không hợp lệ (chỉ nhận: {', '.join(STATUSES)})",
                f"status must be one of {', '.join(STATUSES)}",
            )
        query = query.where(Program.status == status)
    return jsonify({"items": [program_out(p) for p in context.session().scalars(query)]})


@bp.post("")
@requires("schedule")
@api_doc("Create a program (pending approval unless draft)", body=ProgramIn, response=ProgramOut,
         status=201)  # fmt: skip
def create_program():  # type: ignore[no-untyped-def]
    data = parse_body(ProgramIn)
    fields = data.model_dump(exclude={"draft", "zones"})
    fields["zone_ids"] = data.zones
    resolution = _checked(fields, None)
    sess = context.session()
    row = Program(
        site_id=context.site_id(),
        status="draft" if data.draft else "pending",
        created_by=context.principal_name(),
    )
    _store(row, fields, resolution)
    sess.add(row)
    sess.flush()
    audit.record(
        sess, "program.create", "program", row.id,
        {"title": row.title, "status": row.status, "schedule": row.schedule,
         "on_conflict": data.on_conflict, "conflicts_left": len(resolution.remaining)},
    )  # fmt: skip
    sess.commit()
    return jsonify(program_out(row, resolution.remaining)), 201


@bp.get("/<int:program_id>")
@api_doc("One program", response=ProgramOut)
def get_program(program_id: int):  # type: ignore[no-untyped-def]
    return jsonify(program_out(_get(program_id)))


def _merged(row: Program, data: ProgramUpdate) -> dict[str, Any]:
    fields: dict[str, Any] = {name: getattr(row, name) for name in _EDITABLE}
    fields["all_zones"] = row.all_zones
    fields["zone_ids"] = list(row.zone_ids)
    fields["on_conflict"] = (row.conflict_policy or {}).get("mode", "reject")
    changes = data.model_dump(exclude_unset=True)
    # An explicit null clears only what may be empty; elsewhere it means "unchanged".
    changes = {k: v for k, v in changes.items() if v is not None or k in _NULLABLE}
    if "zones" in changes:
        fields["zone_ids"] = changes.pop("zones")
        fields["all_zones"] = bool(changes.pop("all_zones", False))
    if "schedule" in changes and "kind" not in changes:
        to_relay = changes["schedule"].get("type") == "relay"
        if to_relay != (fields["kind"] == "relay"):
            fields["kind"] = None  # inferred again from the new schedule
    fields.update(changes)
    return fields


@bp.put("/<int:program_id>")
@requires("schedule")
@api_doc("Update a program (an officer's edit sends it back for approval)", body=ProgramUpdate,
         response=ProgramOut)  # fmt: skip
def update_program(program_id: int):  # type: ignore[no-untyped-def]
    data = parse_body(ProgramUpdate)
    row = _get(program_id)
    fields = _merged(row, data)
    resolution = _checked(fields, row.id)
    before = row.status
    _store(row, fields, resolution)
    if before in ("approved", "paused", "rejected") and not _can("approve"):
        _back_to_pending(row)
    sess = context.session()
    audit.record(
        sess, "program.update", "program", row.id,
        {"changes": data.model_dump(mode="json", exclude_unset=True, by_alias=True),
         "status": [before, row.status], "conflicts_left": len(resolution.remaining)},
    )  # fmt: skip
    sess.commit()
    _after_commit(before, row.status)
    return jsonify(program_out(row, resolution.remaining))


@bp.delete("/<int:program_id>")
@requires("schedule")
@api_doc("Delete a program", status=204)
def delete_program(program_id: int):  # type: ignore[no-untyped-def]
    row = _get(program_id)
    before = row.status
    sess = context.session()
    audit.record(sess, "program.delete", "program", row.id, {"title": row.title, "status": before})
    sess.delete(row)
    sess.commit()
    _after_commit(before)
    return "", 204


def _back_to_pending(row: Program) -> None:
    """Awaiting a new decision: the old approval or rejection no longer applies."""
    row.status = "pending"
    row.decided_by = None
    row.decided_at = None
    row.decision_comment = None


def _transition(program_id: int, action: str, comment: str | None = None) -> Any:
    row = _get(program_id)
    sources, target = TRANSITIONS[action]
    if row.status not in sources:
        raise ApiError(
            409,
            "invalid_state",
            f"Không thể {ACTION_VI[action]} chương trình đang ở trạng thái "
            f"«{STATUS_VI.get(row.status, row.status)}»",
            f"cannot {action} a program in status {row.status!r}",
            current_status=row.status,
        )
    before = row.status
    row.status = target
    if target == "pending":
        _back_to_pending(row)
    if action in ("approve", "reject"):
        row.decided_by = context.principal_name()
        row.decided_at = utcnow()
        row.decision_comment = comment
    sess = context.session()
    detail: dict[str, Any] = {"status": [before, target]}
    if comment:
        detail["comment"] = comment
    audit.record(sess, f"program.{action}", "program", row.id, detail)
    sess.commit()
    _after_commit(before, target)
    return jsonify(program_out(row))


@bp.post("/<int:program_id>/submit")
@requires("schedule")
@api_doc("Submit a draft for approval", response=ProgramOut)
def submit_program(program_id: int):  # type: ignore[no-untyped-def]
    return _transition(program_id, "submit")


@bp.post("/<int:program_id>/approve")
@requires("approve")
@api_doc("Approve a program (duyệt)", body=DecisionIn, response=ProgramOut)
def approve_program(program_id: int):  # type: ignore[no-untyped-def]
    return _transition(program_id, "approve", _decision_comment())


@bp.post("/<int:program_id>/reject")
@requires("approve")
@api_doc("Reject a program (từ chối)", body=DecisionIn, response=ProgramOut)
def reject_program(program_id: int):  # type: ignore[no-untyped-def]
    return _transition(program_id, "reject", _decision_comment())


def _decision_comment() -> str | None:
    # The body is optional: an approve button may send nothing at all.
    if not request.get_data():
        return None
    return parse_body(DecisionIn).comment


def _require_schedule_or_approve() -> None:
    if not (_can("schedule") or _can("approve")):
        raise ApiError(403, "forbidden")


@bp.post("/<int:program_id>/pause")
@requires("read")  # officers and approvers; checked in the view
@api_doc("Pause an approved program", response=ProgramOut)
def pause_program(program_id: int):  # type: ignore[no-untyped-def]
    _require_schedule_or_approve()
    return _transition(program_id, "pause")


@bp.post("/<int:program_id>/resume")
@requires("read")  # officers and approvers; checked in the view
@api_doc("Resume a paused program", response=ProgramOut)
def resume_program(program_id: int):  # type: ignore[no-untyped-def]
    _require_schedule_or_approve()
    return _transition(program_id, "resume")
