"""Leader election: exactly one controller process runs the scheduler jobs at a time.

PostgreSQL (several replicas, maybe on several hosts): a session-level advisory lock
(``pg_try_advisory_lock``) held on a dedicated connection. The server releases it when that
session ends, so a leader that dies (even ``kill -9``) or loses the database frees the lock;
standbys try again every ``retry_s``. SQLite (one host): an exclusive ``fcntl.flock`` on a file
next to the database file, released by the kernel when the process dies.

``LeaderElector`` runs the loop in a thread and calls ``on_elected``/``on_demoted``. A leader
re-checks that it still holds its lock every ``retry_s`` and steps down if not, which bounds how
long two processes could both believe they lead after a network split.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

LOCK_NAME = "truyenthanh.scheduler"


def lock_key(name: str = LOCK_NAME) -> int:
    """A stable signed 64-bit advisory-lock key derived from ``name``."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class LeaderLock(Protocol):
    """A non-blocking exclusive lock shared by every controller process of one deployment."""

    def try_acquire(self) -> bool: ...

    def is_held(self) -> bool: ...

    def release(self) -> None: ...


class PostgresAdvisoryLock:
    """``pg_try_advisory_lock`` on a connection of its own (autocommit, TCP keepalives)."""

    def __init__(self, url: str, key: int | None = None) -> None:
        self.key = lock_key() if key is None else key
        # NullPool: the connection is ours alone and really closed on release.
        self._engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args={
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 3,
                "connect_timeout": 5,
            },
        )
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            query = text("SELECT pg_try_advisory_lock(:key)")
            return bool(self._conn.execute(query, {"key": self.key}).scalar())
        except DBAPIError as exc:
            log.warning("leader lock: database unreachable", extra={"error": str(exc)[:200]})
            self._drop()
            return False

    def is_held(self) -> bool:
        """Ask the server whether our session still holds the lock (False if unreachable)."""
        if self._conn is None:
            return False
        unsigned = self.key & 0xFFFFFFFFFFFFFFFF
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND pid = pg_backend_pid() AND objsubid = 1"
            " AND classid::bigint = :high AND objid::bigint = :low"
        )
        try:
            held = self._conn.execute(query, {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF})
            return bool(held.scalar())
        except DBAPIError as exc:
            log.warning("leader lock: lost the database", extra={"error": str(exc)[:200]})
            self._drop()
            return False

    def release(self) -> None:
        if self._conn is not None:
            # Closing the session below releases the lock anyway.
            with contextlib.suppress(DBAPIError):
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        self._drop()
        self._engine.dispose()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(DBAPIError):
                self._conn.close()
            self._conn = None


class FileLock:
    """An exclusive ``flock`` on ``path``; the file holds the leader's pid for diagnosis."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def is_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def lock_for(database_url: str, fallback_dir: Path) -> LeaderLock:
    """The right lock for a database: advisory lock on PostgreSQL, a file lock otherwise.

    For SQLite the file sits next to the database (``<db>.scheduler.lock``); for an in-memory
    database, in ``fallback_dir``.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresAdvisoryLock(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(f"{url.database}.scheduler.lock")
    return FileLock(fallback_dir / "scheduler.lock")


class LeaderElector:
    """Try to lead every ``retry_s``; call back on each change, and ``on_state`` after each try.

    ``on_elected`` raising gives the lock back (another process may do better); ``on_demoted``
    runs when the lock is lost and on ``stop`` while leading.
    """

    def __init__(
        self,
        lock: LeaderLock,
        on_elected: Callable[[], None],
        on_demoted: Callable[[], None],
        retry_s: float = 5.0,
    ) -> None:
        self.lock = lock
        self.on_elected = on_elected
        self.on_demoted = on_demoted
        self.retry_s = retry_s
        self.listeners: list[Callable[[bool], None]] = []
        self._leader = False
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def is_leader(self) -> bool:
        return self._leader

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tt-leader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        if self._leader:
            self._set(False)
            self._safely(self.on_demoted)
        self.lock.release()

    def wait_for(self, leader: bool, timeout: float) -> bool:
        """Block until this process is (or is not) the leader; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._leader == leader, timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.retry_s)

    def tick(self) -> bool:
        """One round: keep, lose or try to take the lead; returns whether we lead."""
        if self._leader and not self.lock.is_held():
            log.warning("scheduler leadership lost")
            self._set(False)
            self._safely(self.on_demoted)
        elif not self._leader and self.lock.try_acquire():
            if self._safely(self.on_elected):
                log.info("scheduler leadership taken", extra={"pid": os.getpid()})
                self._set(True)
            else:
                self.lock.release()
        for listener in list(self.listeners):
            listener(self._leader)
        return self._leader

    def _set(self, leader: bool) -> None:
        with self._changed:
            self._leader = leader
            self._changed.notify_all()

    @staticmethod
    def _safely(callback: Callable[[], None]) -> bool:
        try:
            callback()
            return True
        except Exception:  # noqa: BLE001 - the election loop must keep running
            log.exception("leader callback failed")
            return False
