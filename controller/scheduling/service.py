"""The scheduler background service of ``serve``: leader election plus the periodic jobs.

Every controller process runs this service; only the elected leader (see ``leader.py``) runs an
APScheduler with the jobs of ``jobs.py``. When leadership is lost the scheduler is shut down
at once; jobs are persisted in the database, so the next leader picks them up where they were.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from controller.config import Config
from controller.scheduling import jobs
from controller.scheduling.leader import LeaderElector, LeaderLock, lock_for

log = logging.getLogger(__name__)

DEFAULT_RETRY_S = 5.0


class SchedulerService:
    """``start()``/``stop()`` like every ``serve`` background service."""

    def __init__(
        self, app: Any, *, lock: LeaderLock | None = None, retry_s: float = DEFAULT_RETRY_S
    ) -> None:
        self.app = app
        config: Config = app.extensions["tt.config"]
        self.lock = lock or lock_for(app.extensions["tt.db"].url, config.path("var"))
        self.elector = LeaderElector(self.lock, self._elected, self._demoted, retry_s)
        self.scheduler: BackgroundScheduler | None = None
        self._guard = threading.Lock()
        app.extensions["tt.scheduler"] = self

    @property
    def is_leader(self) -> bool:
        return self.elector.is_leader

    def on_leadership(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(is_leader)`` after every election round (for tests and status)."""
        self.elector.listeners.append(listener)

    def start(self) -> None:
        self.elector.start()

    def stop(self) -> None:
        self.elector.stop()

    def _elected(self) -> None:
        with self._guard:
            self.scheduler = jobs.start_scheduler(self.app)
            log.info("scheduler started (leader)")

    def _demoted(self) -> None:
        with self._guard:
            if self.scheduler is not None:
                self.scheduler.shutdown(wait=False)
                self.scheduler = None
                log.info("scheduler stopped (no longer leader)")


def register(background: list[tuple[str, Callable[[Any], Any]]]) -> None:
    """Add the scheduler service to ``controller.serve.BACKGROUND`` (once, after dispatch)."""
    if not any(name == "scheduler" for name, _ in background):
        background.append(("scheduler", SchedulerService))
