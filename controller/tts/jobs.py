"""Background jobs with progress (e.g. synthesis of a long notice), tracked in the ``jobs`` table.

A job runs in a thread of the process that accepted it, with its own database sessions; its row
is what any controller replica answers ``GET /api/v1/jobs/{id}`` from. Progress is written in
short transactions of their own, so the work's transaction never holds a lock a progress write
waits on (the work must report progress only before it writes to the database).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from controller.db.models import Job
from controller.db.session import Database
from controller.db.types import utcnow

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
# The work: gets its own session and a progress sink; returns the job's JSON result.
Work = Callable[[Session, Progress], dict[str, Any]]
# Turns a failure into the job's JSON error ({"code", "message", ...}).
DescribeError = Callable[[Exception], dict[str, Any]]

MIN_PROGRESS_STEP = 0.01  # fewer, larger progress writes: the UI polls anyway

_threads: dict[str, threading.Thread] = {}
_threads_lock = threading.Lock()
_observers: list[Callable[[str, float], None]] = []


def create_job(session: Session, kind: str, created_by: str = "") -> Job:
    """A queued job row (flushed, not committed)."""
    job = Job(id=uuid.uuid4().hex, kind=kind, status="queued", progress=0.0, created_by=created_by)
    session.add(job)
    session.flush()
    return job


def start(database: Database, job_id: str, work: Work, describe_error: DescribeError) -> None:
    """Run ``work`` for the (committed) job ``job_id`` in a background thread."""
    thread = threading.Thread(
        target=_run,
        args=(database, job_id, work, describe_error),
        name=f"job-{job_id[:8]}",
        daemon=True,
    )
    with _threads_lock:
        _threads[job_id] = thread
    thread.start()


def wait(job_id: str, timeout: float) -> bool:
    """Block until the job's thread in this process has ended; False on timeout."""
    with _threads_lock:
        thread = _threads.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def add_observer(callback: Callable[[str, float], None]) -> Callable[[], None]:
    """Call ``callback(job_id, progress)`` on every progress write; returns its remover."""
    _observers.append(callback)
    return lambda: _observers.remove(callback)


def _run(database: Database, job_id: str, work: Work, describe_error: DescribeError) -> None:
    try:
        _update(database, job_id, status="running")
        with database.session() as session:
            result = work(session, _ProgressWriter(database, job_id))
        _update(database, job_id, status="done", progress=1.0, result=result)
        _notify(job_id, 1.0)
    except Exception as exc:  # noqa: BLE001 - every failure must end up in the job row
        log.exception("job failed", extra={"job": job_id})
        _update(database, job_id, status="failed", error=describe_error(exc))
    finally:
        with _threads_lock:
            _threads.pop(job_id, None)


class _ProgressWriter:
    """Writes non-decreasing progress to the job row, skipping steps under 1 %."""

    def __init__(self, database: Database, job_id: str) -> None:
        self.database = database
        self.job_id = job_id
        self.written = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction - self.written < MIN_PROGRESS_STEP and fraction < 1.0:
            return
        if fraction <= self.written:
            return
        self.written = fraction
        try:
            # 1.0 is kept for "done": the result is not saved yet.
            _update(self.database, self.job_id, progress=min(fraction, 0.99))
        except OperationalError:
            # A progress bar that lags is better than a notice that fails over it.
            log.warning("job progress not saved", extra={"job": self.job_id})
        _notify(self.job_id, fraction)


def _update(database: Database, job_id: str, **values: Any) -> None:
    with database.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        for key, value in values.items():
            setattr(job, key, value)
        job.updated_at = utcnow()


def _notify(job_id: str, fraction: float) -> None:
    for callback in list(_observers):
        callback(job_id, fraction)


# A running job writes its progress every sentence; silence this long means its process died.
STALE_AFTER = timedelta(minutes=10)
INTERRUPTED = {
    "code": "interrupted",
    "message": "Công việc bị gián đoạn (hệ thống đã khởi động lại), vui lòng thử lại.",
    "message_en": "The job was interrupted (the controller restarted); please try again.",
}


def job_dict(job: Job, now: datetime | None = None) -> dict[str, Any]:
    """The job as the API shows it; a job nobody has touched for long is reported failed."""
    status, error = job.status, job.error
    now = now or datetime.now(UTC)
    if status in ("queued", "running") and job.updated_at and now - job.updated_at > STALE_AFTER:
        status, error = "failed", INTERRUPTED
    return {
        "id": job.id,
        "kind": job.kind,
        "status": status,
        "progress": round(job.progress or 0.0, 3),
        "result": job.result,
        "error": error,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "updated_at": job.updated_at.isoformat() if job.updated_at else None,
    }
