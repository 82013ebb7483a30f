"""The signing seq: atomic, monotonic, shared by sessions and threads, kept across restarts."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import update

from controller.db.models import Counter
from controller.db.session import Database
from controller.dispatch.sequence import next_seq

pytestmark = pytest.mark.postgres


def test_seq_increases_and_survives_a_new_engine(database: Database) -> None:
    with database.session() as s:
        first = next_seq(s)
        second = next_seq(s)
    assert second > first
    assert first >= int(time.time() * 1000) - 60_000  # floored at the clock (restore-safe)
    reopened = Database(database.url)
    try:
        with reopened.session() as s:
            assert next_seq(s) > second
    finally:
        reopened.dispose()


def test_restored_database_still_issues_numbers_above_the_clock(database: Database) -> None:
    ahead = int(time.time() * 1000) + 10**9
    with database.session() as s:
        next_seq(s)
        s.execute(update(Counter).where(Counter.name == "signing").values(value=5))
    with database.session() as s:
        assert next_seq(s) >= int(time.time() * 1000) - 1000  # not 6: lifted to the clock
        s.execute(update(Counter).where(Counter.name == "signing").values(value=ahead))
    with database.session() as s:
        assert next_seq(s) == ahead + 1  # already above the clock: plain increment


def test_concurrent_sessions_never_share_a_value(database: Database) -> None:
    values: list[int] = []
    lock = threading.Lock()

    def take(n: int) -> None:
        for _ in range(n):
            with database.session() as s:
                v = next_seq(s)
            with lock:
                values.append(v)

    threads = [threading.Thread(target=take, args=(15,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(values) == 90
    assert len(set(values)) == 90
