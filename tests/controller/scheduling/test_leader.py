"""Leader election: one scheduler among several processes; takeover when the leader dies."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from controller.db.models import Node, Zone
from controller.scheduling.leader import (
    FileLock,
    LeaderElector,
    PostgresAdvisoryLock,
    lock_for,
    lock_key,
)

REPO = Path(__file__).resolve().parents[3]
SITE = "xa-binh-yen"
TAKEOVER_BOUND_S = 10.0

# A controller process running only the scheduler service; it reports on stdout.
_CHILD = textwrap.dedent(
    """
    import sys, threading
    from pathlib import Path
    from controller.app import create_app
    from controller.config import Config
    from controller.scheduling.service import SchedulerService

    url, work = sys.argv[1], Path(sys.argv[2])
    cfg = Config()
    cfg.base_dir = work
    cfg.database.url = url
    cfg.server.secret_key_file = str(work / "secret")
    app = create_app(cfg, run_migrations=False)

    def say(line):
        sys.stdout.write(line + "\\n")
        sys.stdout.flush()

    class Dispatch:
        def publish_plans(self, plans):
            say("PUBLISHED " + ",".join(sorted(plans)))
            return {}

    app.extensions["tt.dispatch"] = Dispatch()
    service = SchedulerService(app, retry_s=0.1)
    service.on_leadership(lambda leader: say("LEADER" if leader else "STANDBY"))
    service.start()
    threading.Event().wait()
    """
)


class Child:
    """A child controller process whose stdout lines are queued by a reader thread."""

    def __init__(self, url: str, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.stderr = open(work / "stderr.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, url, str(work)],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def next_line(self, timeout: float) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"child {self.proc.pid} said nothing for {timeout} s") from None

    def wait_for(self, wanted: str, timeout: float) -> list[str]:
        """Lines up to and including the first equal to (or starting with) ``wanted``."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            seen.append(line)
            if line.startswith(wanted):
                return seen

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        self.kill()
        self.stderr.close()


@pytest.fixture
def children(app) -> Iterator[list[Child]]:  # type: ignore[no-untyped-def]
    started: list[Child] = []
    yield started
    for child in started:
        child.stop()


@pytest.mark.postgres
@pytest.mark.slow
def test_one_leader_among_two_processes_and_takeover_after_kill(  # type: ignore[no-untyped-def]
    app, database, tmp_path, children
) -> None:
    with database.session() as s:  # one node, so every refresh publishes (and says so)
        s.add(Zone(id="thon-1", site_id=SITE, name="Thôn 1"))
        s.flush()
        s.add(Node(id="n1", site_id=SITE, zone_id="thon-1"))
    url = database.url
    children.extend(Child(url, tmp_path / f"c{i}") for i in range(2))
    first = {c: c.next_line(60) for c in children}
    assert sorted(first.values()) == ["LEADER", "STANDBY"], first
    leader = next(c for c, state in first.items() if state == "LEADER")
    standby = next(c for c in children if c is not leader)
    assert leader.wait_for("PUBLISHED", 30)[-1] == "PUBLISHED n1"  # the leader runs the jobs
    # The standby keeps trying (every 0.1 s) and keeps failing while the leader lives.
    rounds = [standby.next_line(10) for _ in range(10)]
    assert rounds == ["STANDBY"] * 10

    killed_at = time.monotonic()
    leader.kill()
    lines = standby.wait_for("LEADER", TAKEOVER_BOUND_S)
    takeover_s = time.monotonic() - killed_at
    assert set(lines[:-1]) <= {"STANDBY"}
    assert standby.wait_for("PUBLISHED", 30)[-1] == "PUBLISHED n1"
    print(f"takeover after kill -9: {takeover_s:.2f} s ({database.url.split(':')[0]})")
    assert takeover_s < TAKEOVER_BOUND_S


class FakeLock:
    def __init__(self) -> None:
        self.free = True
        self.mine = False

    def try_acquire(self) -> bool:
        if self.free:
            self.free, self.mine = False, True
            return True
        return False

    def is_held(self) -> bool:
        return self.mine

    def release(self) -> None:
        if self.mine:
            self.free, self.mine = True, False


def test_elector_elects_steps_down_and_gives_back_on_failure() -> None:
    calls: list[str] = []
    lock = FakeLock()
    elector = LeaderElector(lock, lambda: calls.append("up"), lambda: calls.append("down"))
    assert elector.tick() is True and calls == ["up"]
    assert elector.tick() is True and calls == ["up"]  # still held: nothing happens
    lock.mine = False  # the lock is lost (e.g. the database session died)
    assert elector.tick() is False and calls == ["up", "down"]

    def broken() -> None:
        raise RuntimeError("scheduler failed to start")

    failing = LeaderElector(FakeLock(), broken, lambda: None)
    assert failing.tick() is False
    assert failing.lock.free is True  # type: ignore[attr-defined]


def test_elector_thread_and_stop_release_the_lock() -> None:
    lock = FakeLock()
    demoted = threading.Event()
    elector = LeaderElector(lock, lambda: None, demoted.set, retry_s=0.05)
    elector.start()
    assert elector.wait_for(True, 10)
    elector.stop()
    assert demoted.is_set() and lock.free and not elector.is_leader


def test_file_lock_is_exclusive_and_freed_on_release(tmp_path: Path) -> None:
    path = tmp_path / "tt.db.scheduler.lock"
    a, b = FileLock(path), FileLock(path)
    assert a.try_acquire() and a.is_held()
    assert not b.try_acquire() and not b.is_held()
    assert path.read_text().strip() == str(os.getpid())
    a.release()
    assert b.try_acquire()
    b.release()


def test_lock_for_picks_the_database_kind(tmp_path: Path) -> None:
    sqlite = lock_for(f"sqlite:///{tmp_path}/tt.db", tmp_path / "var")
    assert isinstance(sqlite, FileLock) and sqlite.path == tmp_path / "tt.db.scheduler.lock"
    memory = lock_for("sqlite:///:memory:", tmp_path / "var")
    assert isinstance(memory, FileLock) and memory.path == tmp_path / "var" / "scheduler.lock"
    pg = lock_for("postgresql+psycopg://u@127.0.0.1:1/x", tmp_path)
    assert isinstance(pg, PostgresAdvisoryLock) and pg.key == lock_key()
    assert -(2**63) <= lock_key() < 2**63 and lock_key() == lock_key("truyenthanh.scheduler")


@pytest.mark.postgres
def test_postgres_lock_is_exclusive_and_checked_on_the_server(database) -> None:  # type: ignore[no-untyped-def]
    if not database.url.startswith("postgresql"):
        # The SQLite run of this storage test checks the SQLite lock of the same database.
        lock: Any = lock_for(database.url, Path("/nonexistent"))
        other: Any = lock_for(database.url, Path("/nonexistent"))
    else:
        lock, other = PostgresAdvisoryLock(database.url), PostgresAdvisoryLock(database.url)
    try:
        assert lock.try_acquire() and lock.is_held()
        assert not other.try_acquire() and not other.is_held()
        lock.release()
        assert not lock.is_held()
        assert other.try_acquire() and other.is_held()
    finally:
        lock.release()
        other.release()


def test_postgres_lock_reports_an_unreachable_database() -> None:
    lock = PostgresAdvisoryLock("postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert lock.try_acquire() is False and lock.is_held() is False
    lock.release()
