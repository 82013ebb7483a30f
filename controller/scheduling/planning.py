"""From database rows to published plans: load, convert, compile, publish.

``SiteInputs`` gathers what the pure compiler needs about one commune (its zones, nodes, quiet
hours, time zone, the media of the audio library); ``program_spec`` turns a stored ``Program``
row into a ``ProgramSpec``. ``compile_for_site`` compiles the approved programs of one site and
``refresh_plans`` publishes every node's plan through the dispatcher
(``app.extensions["tt.dispatch"].publish_plans``), which only sends the plans that changed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from controller.config import Config
from controller.db.models import MediaItem, Node, Program, Site, Zone
from controller.db.types import utcnow
from controller.dispatch.items import media_url as node_media_url
from controller.scheduling.compiler import CompiledPlans, compile_plans
from controller.scheduling.holidays import holiday_date
from controller.scheduling.quiet_hours import QuietHours, Window
from controller.scheduling.recurrence import HolidayResolver
from controller.scheduling.types import (
    MediaRef,
    NodeSpec,
    ProgramSpec,
    Schedule,
    SchedulingError,
)

log = logging.getLogger(__name__)

# Only these programs are ever compiled into plans (approval gating).
COMPILED_STATUSES = ("approved",)
# Programs a new or edited program is checked against for conflicts.
CONFLICT_STATUSES = ("approved", "pending")


class PlanPublisher(Protocol):
    """What planning needs from dispatch: publish the changed plans, return their ``seq``."""

    def publish_plans(self, plans: Mapping[str, list[dict[str, Any]]]) -> dict[str, int]: ...


def clock(app: Any) -> datetime:
    """The current instant; tests pin it with ``app.extensions["tt.clock"]``."""
    now_fn: Callable[[], datetime] = app.extensions.get("tt.clock", utcnow)
    return now_fn()


def media_url(config: Config, media_id: int) -> str:
    return node_media_url(config.server.public_url, media_id)


def media_ref(config: Config, item: MediaItem) -> MediaRef:
    return MediaRef(item.id, media_url(config, item.id), item.sha256, item.bytes, item.duration_ms)


def parse_hhmm(value: str | None) -> time | None:
    """``"22:00"`` -> ``time(22, 0)``; None or a malformed value -> None."""
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def quiet_hours_for(config: Config, zones: Iterable[Zone]) -> QuietHours:
    """Quiet hours: a zone's own ``quiet_start``/``quiet_end``, else the configured default."""
    default = (parse_hhmm(config.quiet_hours.start), parse_hhmm(config.quiet_hours.end))
    default_window: Window = (
        (default[0], default[1]) if default[0] and default[1] else QuietHours().default
    )
    per_zone: dict[str, Window] = {}
    for zone in zones:
        start, end = parse_hhmm(zone.quiet_start), parse_hhmm(zone.quiet_end)
        if start is not None and end is not None:
            per_zone[zone.id] = (start, end)
    return QuietHours(default=default_window, per_zone=per_zone)


@dataclass(frozen=True)
class SiteInputs:
    """Everything about one commune the compiler, conflict and quiet-hour checks need."""

    site_id: str
    tz: ZoneInfo
    zones: dict[str, Zone]
    nodes: list[NodeSpec]
    quiet: QuietHours
    media: dict[int, MediaRef]
    holidays: HolidayResolver


def site_timezone(session: Session, config: Config, site_id: str) -> ZoneInfo:
    site = session.get(Site, site_id)
    return ZoneInfo(site.timezone if site is not None else config.site.timezone)


def load_site(
    session: Session,
    config: Config,
    site_id: str,
    media_ids: Iterable[int] | None = None,
) -> SiteInputs:
    """Load a site's zones, nodes and media (all of it, or only ``media_ids``)."""
    zones = {z.id: z for z in session.scalars(select(Zone).where(Zone.site_id == site_id))}
    nodes = [
        NodeSpec(n.id, n.zone_id)
        for n in session.scalars(select(Node).where(Node.site_id == site_id).order_by(Node.id))
    ]
    query = select(MediaItem).where(MediaItem.site_id == site_id)
    if media_ids is not None:
        query = query.where(MediaItem.id.in_(set(media_ids)))
    media = {m.id: media_ref(config, m) for m in session.scalars(query)}
    return SiteInputs(
        site_id=site_id,
        tz=site_timezone(session, config, site_id),
        zones=zones,
        nodes=nodes,
        quiet=quiet_hours_for(config, zones.values()),
        media=media,
        holidays=holiday_date,
    )


def program_spec(row: Program, media: Mapping[int, MediaRef]) -> ProgramSpec:
    """The compiler's view of a stored program; raises ``SchedulingError`` if it is unusable.

    A media id missing from ``media`` (deleted from the library) makes the program unusable
    rather than silently shorter.
    """
    missing = [m for m in row.media_ids if m not in media]
    if missing:
        raise SchedulingError(
            f"Tệp âm thanh {', '.join(map(str, missing))} không còn trong thư viện",
            f"media {missing} no longer in the library",
            field="media_ids",
        )
    policy = row.conflict_policy or {}
    return ProgramSpec(
        id=row.id,
        title=row.title,
        kind=row.kind,
        media=tuple(media[m] for m in row.media_ids),
        zones=None if row.all_zones else frozenset(row.zone_ids),
        priority_level=row.priority,
        rank=row.rank,
        volume=row.volume,
        repeat=row.repeat,
        repeat_gap_s=row.repeat_gap_s,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        schedule=Schedule.from_dict(row.schedule),
        stream_url=row.stream_url,
        on_conflict=policy.get("mode", "reject"),
        shifts={str(k): int(v) for k, v in (policy.get("shifts") or {}).items()},
    )


def program_rows(
    session: Session, site_id: str, statuses: Sequence[str], exclude_id: int | None = None
) -> list[Program]:
    """The site's programs in ``statuses`` (optionally without one), by id."""
    query = select(Program).where(Program.site_id == site_id, Program.status.in_(statuses))
    if exclude_id is not None:
        query = query.where(Program.id != exclude_id)
    return list(session.scalars(query.order_by(Program.id)))


def referenced_media(rows: Iterable[Program]) -> set[int]:
    return {m for row in rows for m in row.media_ids}


def program_specs(rows: Iterable[Program], inputs: SiteInputs) -> list[ProgramSpec]:
    """Specs of stored programs; unusable ones are logged and left out."""
    specs = []
    for row in rows:
        try:
            specs.append(program_spec(row, inputs.media))
        except SchedulingError as exc:
            log.warning(
                "program left out of plans",
                extra={"program": row.id, "site": inputs.site_id, "reason": exc.message_en},
            )
    return specs


def compile_for_site(
    session: Session, config: Config, site_id: str, now: datetime
) -> CompiledPlans:
    """Compile every node's plan of ``site_id`` from its approved programs, ``now`` onwards."""
    rows = program_rows(session, site_id, COMPILED_STATUSES)
    # Only the media the programs use: a library may hold thousands of clips.
    inputs = load_site(session, config, site_id, referenced_media(rows))
    programs = program_specs(rows, inputs)
    return compile_plans(
        programs,
        inputs.nodes,
        now,
        timedelta(hours=config.plan.horizon_h),
        inputs.tz,
        inputs.holidays,
        inputs.quiet,
    )


def wire_plans(compiled: CompiledPlans) -> dict[str, list[dict[str, Any]]]:
    """``{node_id: [plan item dicts]}`` as published over MQTT."""
    return {node: [item.to_wire() for item in items] for node, items in compiled.plans.items()}


# One refresh at a time per process, so two requests never publish out of order.
_refresh_lock = threading.Lock()


def _site_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Site.id).order_by(Site.id)))


def refresh_plans(
    app: Any, now: datetime | None = None, site_ids: Sequence[str] | None = None
) -> dict[str, int]:
    """Compile and publish the plans of ``site_ids`` (default: every site); ``{node: seq}``.

    Without a dispatcher (``tt.dispatch`` absent: tests, or a controller without MQTT) the
    plans are compiled but not published, and that is logged.
    """
    config: Config = app.extensions["tt.config"]
    now = now or clock(app)
    published: dict[str, int] = {}
    with _refresh_lock, app.extensions["tt.db"].session() as session:
        for site_id in site_ids or _site_ids(session):
            compiled = compile_for_site(session, config, site_id, now)
            for drop in compiled.dropped:
                log.info(
                    "plan item cut",
                    extra={"site": site_id, "item": drop.item_id, "zone": drop.zone,
                           "action": drop.action, "reason": drop.reason},
                )  # fmt: skip
            published.update(_publish(app, site_id, wire_plans(compiled)))
    return published


def _publish(app: Any, site_id: str, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    dispatcher: PlanPublisher | None = app.extensions.get("tt.dispatch")
    if dispatcher is None:
        log.info("no dispatcher: plans compiled, not published", extra={"site": site_id})
        return {}
    if not plans:
        return {}
    seqs = dispatcher.publish_plans(plans)
    log.info("plans published", extra={"site": site_id, "nodes": len(plans), "changed": len(seqs)})
    return seqs


def refresh_after_change(app: Any, site_id: str) -> None:
    """Refresh one site's plans after a program change; never fails the request that called.

    The change is already committed; if publishing fails now the periodic refresh job
    (every ``plan.refresh_min``) publishes it.
    """
    try:
        refresh_plans(app, site_ids=[site_id])
    except Exception:  # noqa: BLE001 - the periodic job retries; the officer's change stands
        log.exception("plan refresh after change failed", extra={"site": site_id})
