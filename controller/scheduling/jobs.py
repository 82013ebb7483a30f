"""The controller's periodic jobs on an APScheduler 3.x ``BackgroundScheduler``.

Jobs live in a ``SQLAlchemyJobStore`` in the controller's own database (table
``scheduler_jobs``) under fixed ids, so a restart or a leader change neither loses nor
duplicates them: ``install_jobs`` keeps a stored job whose definition is unchanged (with its
stored next run time, so a run missed while no controller was up still happens, once) and
replaces it only when its definition changed (e.g. ``plan.refresh_min``). Misfire policy: see
"Controller jobs" in docs/scheduling.md.

Job functions are module-level (the job store pickles references to them, never the app); they
find the app through ``bind(app)``, done by the scheduler service before it starts jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from controller import audit
from controller.config import Config
from controller.db.models import AuditLog, Job, PlayEvent, Site
from controller.db.session import make_engine
from controller.scheduling.planning import clock, compile_for_site, refresh_plans
from controller.scheduling.types import PlanItem

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduler_jobs"
JOB_PLAN_REFRESH = "tt-plan-refresh"
JOB_TTS_PRERENDER = "tt-tts-prerender"
JOB_PLAY_SUMMARY = "tt-play-summary"
JOB_CLEANUP = "tt-cleanup"

PRERENDER_EVERY = timedelta(minutes=15)
PRERENDER_AHEAD = timedelta(hours=24)
CLEANUP_AFTER = timedelta(days=7)
SUMMARY_ACTION = "plays.daily_summary"
PLAY_TYPES = ("started", "finished", "failed", "skipped", "preempted")

# The app the job functions act on (one controller app per process).
_app: Any = None

# --- binding ---------------------------------------------------------------------------------


def bind(app: Any) -> None:
    """Make ``app`` the one the job functions use."""
    global _app
    _app = app


def bound_app() -> Any:
    if _app is None:
        raise RuntimeError("scheduler jobs ran before jobs.bind(app)")
    return _app


# --- the jobs --------------------------------------------------------------------------------


def run_plan_refresh() -> dict[str, int]:
    """Compile and publish every site's plans (the dispatcher skips unchanged ones)."""
    published = refresh_plans(bound_app())
    log.info("job: plans refreshed", extra={"published": len(published)})
    return published


PrerenderHook = Callable[[list[PlanItem]], int]


def noop_prerender(items: list[PlanItem]) -> int:
    """Default TTS pre-render hook: nothing to do, every program plays stored media.

    A TTS integration replaces it by setting ``app.extensions["tt.tts_prerender"]`` to a
    callable taking the plan items due in the next ``PRERENDER_AHEAD`` (one per item id, any
    node) and returning how many it rendered; it must be idempotent (runs every 15 minutes).
    """
    return 0


def upcoming_items(app: Any, now: datetime, ahead: timedelta) -> list[PlanItem]:
    """Plan items of every site starting in ``[now, now + ahead)``, one per item id."""
    config: Config = app.extensions["tt.config"]
    seen: dict[str, PlanItem] = {}
    with app.extensions["tt.db"].session() as session:
        for site_id in session.scalars(select(Site.id)):
            compiled = compile_for_site(session, config, site_id, now)
            for items in compiled.plans.values():
                for item in items:
                    if now <= item.start < now + ahead:
                        seen.setdefault(item.id, item)
    return sorted(seen.values(), key=lambda i: (i.start, i.id))


def run_tts_prerender() -> int:
    """Hand the upcoming items to the TTS pre-render hook (a no-op until TTS provides one)."""
    app = bound_app()
    hook: PrerenderHook = app.extensions.get("tt.tts_prerender", noop_prerender)
    items = upcoming_items(app, clock(app), PRERENDER_AHEAD)
    rendered = hook(items)
    log.info("job: tts pre-render", extra={"items": len(items), "rendered": rendered})
    return rendered


def play_counts(session: Session, site_id: str, day: date, tz: ZoneInfo) -> dict[str, Any]:
    """Proof-of-play counts of one civil day per zone: events by type and distinct items."""
    start = datetime.combine(day, datetime.min.time(), tz)
    end = start + timedelta(days=1)
    where = (PlayEvent.site_id == site_id, PlayEvent.at >= start, PlayEvent.at < end)
    zones: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(PlayEvent.zone_id, PlayEvent.type, func.count())
        .where(*where, PlayEvent.type.in_(PLAY_TYPES))
        .group_by(PlayEvent.zone_id, PlayEvent.type)
    )
    for zone, kind, count in rows:
        zones.setdefault(zone or "-", {t: 0 for t in PLAY_TYPES})[kind] = count
    items = session.execute(
        select(PlayEvent.zone_id, func.count(func.distinct(PlayEvent.item_id)))
        .where(*where, PlayEvent.type == "started")
        .group_by(PlayEvent.zone_id)
    )
    for zone, count in items:
        zones.setdefault(zone or "-", {t: 0 for t in PLAY_TYPES})["items"] = count
    for counts in zones.values():
        counts.setdefault("items", 0)
    return {"date": day.isoformat(), "zones": dict(sorted(zones.items()))}


def record_daily_summary(
    session: Session, site_id: str, day: date, tz: ZoneInfo
) -> dict[str, Any] | None:
    """Write one day's counts to the audit log once; None if that day is already recorded."""
    target = f"{site_id}/{day.isoformat()}"
    done = session.scalar(
        select(func.count()).where(AuditLog.action == SUMMARY_ACTION, AuditLog.target_id == target)
    )
    if done:
        return None
    summary = play_counts(session, site_id, day, tz)
    audit.record(session, SUMMARY_ACTION, "play_summary", target, summary, username="scheduler")
    return summary


def run_play_summary() -> dict[str, dict[str, Any]]:
    """Yesterday's proof-of-play counts per zone, for every site, into the audit log."""
    app = bound_app()
    now = clock(app)
    written: dict[str, dict[str, Any]] = {}
    with app.extensions["tt.db"].session() as session:
        for site in session.scalars(select(Site)):
            tz = ZoneInfo(site.timezone)
            yesterday = now.astimezone(tz).date() - timedelta(days=1)
            summary = record_daily_summary(session, site.id, yesterday, tz)
            if summary is not None:
                written[site.id] = summary
                log.info("job: daily play summary", extra={"site": site.id, **summary})
    return written


def run_cleanup() -> int:
    """Delete task rows (``jobs`` table) not updated for ``CLEANUP_AFTER``; return how many."""
    app = bound_app()
    cutoff = clock(app) - CLEANUP_AFTER
    with app.extensions["tt.db"].session() as session:
        deleted = session.execute(delete(Job).where(Job.updated_at < cutoff)).rowcount or 0
    log.info("job: cleanup", extra={"deleted": deleted})
    return deleted


# --- definitions and installation ------------------------------------------------------------


@dataclass(frozen=True)
class JobDef:
    """One periodic job: fixed id, function reference, trigger and misfire grace."""

    id: str
    func_ref: str
    trigger: BaseTrigger
    misfire_grace_time: int | None  # seconds; None = run however late (once, coalesced)
    name: str

    def signature(self) -> tuple[Any, ...]:
        return _signature(self.func_ref, self.trigger, self.misfire_grace_time, True)


def _signature(ref: str, trigger: BaseTrigger, grace: int | None, coalesce: bool) -> tuple:
    return (ref, str(trigger), str(getattr(trigger, "timezone", "")), grace, coalesce)


def job_definitions(config: Config) -> list[JobDef]:
    """The controller's jobs, with triggers in the site's time zone."""
    tz = ZoneInfo(config.site.timezone)
    here = __name__
    return [
        JobDef(JOB_PLAN_REFRESH, f"{here}:run_plan_refresh",
               IntervalTrigger(minutes=config.plan.refresh_min, timezone=tz), None,
               "Làm mới lịch phát các cụm loa"),
        JobDef(JOB_TTS_PRERENDER, f"{here}:run_tts_prerender",
               IntervalTrigger(seconds=int(PRERENDER_EVERY.total_seconds()), timezone=tz),
               int(PRERENDER_EVERY.total_seconds()), "Chuẩn bị trước bản đọc máy"),
        JobDef(JOB_PLAY_SUMMARY, f"{here}:run_play_summary",
               CronTrigger(hour=0, minute=15, timezone=tz), None,
               "Tổng hợp nhật ký phát thanh hằng ngày"),
        JobDef(JOB_CLEANUP, f"{here}:run_cleanup",
               CronTrigger(hour=3, minute=30, timezone=tz), None, "Dọn dữ liệu tác vụ cũ"),
    ]  # fmt: skip


def make_scheduler(database_url: str, tz: ZoneInfo) -> BackgroundScheduler:
    """A scheduler (not started) whose job store is the table ``scheduler_jobs``.

    The store gets its own engine: APScheduler disposes it on shutdown, and the web app's pool
    must not be touched by that.
    """
    store = SQLAlchemyJobStore(engine=make_engine(database_url), tablename=JOBS_TABLE)
    return BackgroundScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=tz,
    )


def install_jobs(scheduler: BackgroundScheduler, definitions: list[JobDef]) -> dict[str, str]:
    """Make the stored jobs match ``definitions``; ``{job id: "kept"|"added"|"replaced"}``.

    Call on a started (paused) scheduler so stored jobs are visible. Jobs not in
    ``definitions`` (from an older version) are removed.
    """
    wanted = {d.id: d for d in definitions}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            log.info("scheduler job removed", extra={"job": job.id})
    outcome: dict[str, str] = {}
    for definition in definitions:
        stored = scheduler.get_job(definition.id)
        if stored is not None and definition.signature() == _signature(
            stored.func_ref, stored.trigger, stored.misfire_grace_time, stored.coalesce
        ):
            outcome[definition.id] = "kept"
            continue
        scheduler.add_job(
            definition.func_ref,
            definition.trigger,
            id=definition.id,
            name=definition.name,
            replace_existing=True,
            misfire_grace_time=definition.misfire_grace_time,
            coalesce=True,
            max_instances=1,
        )
        outcome[definition.id] = "added" if stored is None else "replaced"
    return outcome


def start_scheduler(app: Any, *, paused: bool = False) -> BackgroundScheduler:
    """Bind ``app``, start a scheduler with the installed jobs, and refresh plans right away.

    A new leader refreshes at once: the previous one may have died just before its refresh.
    """
    config: Config = app.extensions["tt.config"]
    bind(app)
    tz = ZoneInfo(config.site.timezone)
    scheduler = make_scheduler(app.extensions["tt.db"].url, tz)
    scheduler.start(paused=True)
    outcome = install_jobs(scheduler, job_definitions(config))
    scheduler.modify_job(JOB_PLAN_REFRESH, next_run_time=datetime.now(tz))
    log.info("scheduler jobs installed", extra={"jobs": outcome})
    if not paused:
        scheduler.resume()
    return scheduler
