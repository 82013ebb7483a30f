"""Controller jobs: persisted under fixed ids across restarts, misfires, and what each job does."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from sqlalchemy import func, select, text

from controller.db.models import AuditLog, Job, MediaItem, Node, PlayEvent, Program, Zone
from controller.scheduling import jobs

pytestmark = pytest.mark.postgres

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = "xa-binh-yen"
ALL_JOBS = {jobs.JOB_PLAN_REFRESH, jobs.JOB_TTS_PRERENDER, jobs.JOB_PLAY_SUMMARY, jobs.JOB_CLEANUP}


class FakeDispatch:
    def __init__(self) -> None:
        self.published = threading.Event()
        self.plans: dict[str, list[dict[str, Any]]] = {}

    def publish_plans(self, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        self.plans.update(plans)
        self.published.set()
        return {node: 1 for node in plans}


class Executed:
    """Collects job executions of a scheduler; ``wait`` blocks until a job id has run."""

    def __init__(self, scheduler: Any) -> None:
        self.runs: list[JobExecutionEvent] = []
        self._cond = threading.Condition()
        scheduler.add_listener(self._on_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _on_event(self, event: JobExecutionEvent) -> None:
        with self._cond:
            self.runs.append(event)
            self._cond.notify_all()

    def wait(self, job_id: str, timeout: float = 20) -> JobExecutionEvent:
        with self._cond:
            assert self._cond.wait_for(
                lambda: any(e.job_id == job_id for e in self.runs), timeout
            ), f"{job_id} did not run"
            return next(e for e in self.runs if e.job_id == job_id)


def stored_rows(database) -> list[str]:  # type: ignore[no-untyped-def]
    with database.engine.connect() as conn:
        return sorted(conn.execute(text(f"SELECT id FROM {jobs.JOBS_TABLE}")).scalars())


def started(app, config):  # type: ignore[no-untyped-def]
    scheduler = jobs.make_scheduler(app.extensions["tt.db"].url, TZ)
    scheduler.start(paused=True)
    return scheduler, jobs.install_jobs(scheduler, jobs.job_definitions(config))


def test_restart_neither_loses_nor_duplicates_jobs(app, config, database) -> None:  # type: ignore[no-untyped-def]
    first, outcome = started(app, config)
    assert outcome == dict.fromkeys(ALL_JOBS, "added")
    before = {j.id: j.next_run_time for j in first.get_jobs()}
    first.shutdown()
    assert stored_rows(database) == sorted(ALL_JOBS)

    second, outcome = started(app, config)  # "restart": a new scheduler on the same database
    assert outcome == dict.fromkeys(ALL_JOBS, "kept")
    assert {j.id: j.next_run_time for j in second.get_jobs()} == before
    second.shutdown()
    assert stored_rows(database) == sorted(ALL_JOBS)

    config.plan.refresh_min = 3  # a changed definition replaces only that job
    third, outcome = started(app, config)
    assert outcome[jobs.JOB_PLAN_REFRESH] == "replaced"
    assert {k for k, v in outcome.items() if v == "kept"} == ALL_JOBS - {jobs.JOB_PLAN_REFRESH}
    assert third.get_job(jobs.JOB_PLAN_REFRESH).trigger.interval == timedelta(minutes=3)
    third.shutdown()
    assert stored_rows(database) == sorted(ALL_JOBS)


def test_jobs_of_an_older_version_are_removed(app, config, database) -> None:  # type: ignore[no-untyped-def]
    scheduler, _ = started(app, config)
    scheduler.add_job(f"{jobs.__name__}:run_cleanup", "interval", hours=1, id="tt-old-job")
    assert "tt-old-job" in stored_rows(database)
    jobs.install_jobs(scheduler, jobs.job_definitions(config))
    scheduler.shutdown()
    assert stored_rows(database) == sorted(ALL_JOBS)


def test_job_policies_are_as_documented(config) -> None:  # type: ignore[no-untyped-def]
    defs = {d.id: d for d in jobs.job_definitions(config)}
    assert defs[jobs.JOB_PLAN_REFRESH].trigger.interval == timedelta(minutes=10)
    assert defs[jobs.JOB_PLAN_REFRESH].misfire_grace_time is None
    assert defs[jobs.JOB_PLAY_SUMMARY].misfire_grace_time is None
    assert defs[jobs.JOB_CLEANUP].misfire_grace_time is None
    assert defs[jobs.JOB_TTS_PRERENDER].misfire_grace_time == 15 * 60
    assert str(defs[jobs.JOB_PLAY_SUMMARY].trigger) == "cron[hour='0', minute='15']"


def test_missed_runs_run_once_late(app, config, database) -> None:  # type: ignore[no-untyped-def]
    jobs.bind(app)
    scheduler, _ = started(app, config)
    executed = Executed(scheduler)
    three_days_ago = datetime.now(TZ) - timedelta(days=3)
    scheduler.modify_job(jobs.JOB_PLAY_SUMMARY, next_run_time=three_days_ago)
    scheduler.resume()
    event = executed.wait(jobs.JOB_PLAY_SUMMARY)
    assert event.exception is None
    job = scheduler.get_job(jobs.JOB_PLAY_SUMMARY)
    assert job.next_run_time > datetime.now(TZ)  # coalesced: no catch-up of the other two
    scheduler.shutdown()
    assert [e.job_id for e in executed.runs].count(jobs.JOB_PLAY_SUMMARY) == 1
    with database.session() as s:
        count = s.scalar(select(func.count()).where(AuditLog.action == jobs.SUMMARY_ACTION))
    assert count == 1


def test_start_scheduler_refreshes_plans_at_once(app, config, database) -> None:  # type: ignore[no-untyped-def]
    dispatch = FakeDispatch()
    app.extensions["tt.dispatch"] = dispatch
    with database.session() as s:
        s.add(Zone(id="thon-1", site_id=SITE, name="Thôn 1"))
        s.flush()
        s.add(Node(id="n1", site_id=SITE, zone_id="thon-1"))
    scheduler = jobs.start_scheduler(app)
    try:
        assert dispatch.published.wait(20)
        assert dispatch.plans == {"n1": []}
    finally:
        scheduler.shutdown()


def _event(node: str, zone: str, item: str, kind: str, at: datetime) -> PlayEvent:
    return PlayEvent(site_id=SITE, node_id=node, zone_id=zone, item_id=item, type=kind, at=at)


def test_daily_play_summary_counts_per_zone_once(app, database) -> None:  # type: ignore[no-untyped-def]
    day = datetime(2027, 2, 5, tzinfo=TZ)
    with database.session() as s:
        s.add_all([
            _event("a1", "thon-1", "p1-x", "started", day + timedelta(hours=7)),
            _event("a2", "thon-1", "p1-x", "started", day + timedelta(hours=7)),
            _event("a1", "thon-1", "p1-x", "finished", day + timedelta(hours=7, minutes=1)),
            _event("a1", "thon-1", "p2-y", "failed", day + timedelta(hours=9)),
            _event("b1", "thon-2", "p1-x", "started", day + timedelta(hours=7)),
            # Outside 5 February in Vietnam (though inside it in UTC for the first one).
            _event("b1", "thon-2", "p3-z", "started", day - timedelta(minutes=1)),
            _event("b1", "thon-2", "p4-z", "started", day + timedelta(days=1)),
        ])  # fmt: skip
    jobs.bind(app)
    app.extensions["tt.clock"] = lambda: datetime(2027, 2, 6, 0, 15, tzinfo=TZ)
    written = jobs.run_play_summary()
    zones = written[SITE]["zones"]
    assert written[SITE]["date"] == "2027-02-05"
    assert zones["thon-1"] == {
        "started": 2, "finished": 1, "failed": 1, "skipped": 0, "preempted": 0, "items": 1,
    }  # fmt: skip
    assert zones["thon-2"]["started"] == 1 and zones["thon-2"]["items"] == 1
    assert jobs.run_play_summary() == {}  # a second run (takeover, misfire) writes nothing
    with database.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == jobs.SUMMARY_ACTION)).all()
    assert len(rows) == 1 and rows[0].target_id == f"{SITE}/2027-02-05"
    assert rows[0].username == "scheduler" and rows[0].detail["zones"] == zones


def test_cleanup_deletes_task_rows_older_than_a_week(app, database) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    with database.session() as s:
        for name, age in (("old", 8), ("edge", 6), ("new", 0)):
            at = now - timedelta(days=age)
            s.add(Job(id=name, kind="tts", status="done", created_at=at, updated_at=at))
    jobs.bind(app)
    app.extensions["tt.clock"] = lambda: now
    assert jobs.run_cleanup() == 1
    with database.session() as s:
        assert sorted(s.scalars(select(Job.id))) == ["edge", "new"]


def test_tts_prerender_hook_gets_upcoming_items_once(app, database) -> None:  # type: ignore[no-untyped-def]
    jobs.bind(app)
    now = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)
    app.extensions["tt.clock"] = lambda: now
    assert jobs.run_tts_prerender() == 0  # the documented no-op default
    with database.session() as s:
        s.add(Zone(id="thon-1", site_id=SITE, name="Thôn 1"))
        s.flush()
        s.add_all([Node(id=n, site_id=SITE, zone_id="thon-1") for n in ("n1", "n2")])
        s.add(MediaItem(id=3, site_id=SITE, title="x", category="c", sha256="a" * 64, bytes=1,
                        duration_ms=60_000, original_sha256="a" * 64))  # fmt: skip
        s.add(Program(site_id=SITE, title="Đọc máy", kind="tts", status="approved",
                      schedule={"type": "daily", "time": "18:00"}, media_ids=[3],
                      all_zones=True))  # fmt: skip
    seen: list[list[Any]] = []
    app.extensions["tt.tts_prerender"] = lambda items: seen.append(items) or len(items)
    assert jobs.run_tts_prerender() == 1  # two nodes, one item; tomorrow's is beyond 24 h
    assert [(i.kind, i.start.isoformat()) for i in seen[0]] == [
        ("tts", "2027-01-04T18:00:00+07:00")
    ]
