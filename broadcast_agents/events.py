"""Durable outbox for events and acks: queued on disk (SQLite), deleted only after PUBACK.

Events produced while offline wait in the queue and go out after reconnect; a row leaves the
queue only when the broker acknowledged it, so nothing is lost. Within one process run a row is
handed to paho once (paho itself retransmits in-flight QoS 1 messages after a reconnect), so
nothing is duplicated; every event also carries an `id` for de-duplication across a crash.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Protocol


class Publisher(Protocol):
    def is_connected(self) -> bool: ...
    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> int: ...


class EventQueue:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " topic TEXT NOT NULL, payload BLOB NOT NULL, qos INTEGER NOT NULL)"
        )
        self._lock = threading.Lock()

    def append(self, topic: str, payload: bytes, qos: int = 1) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO outbox (topic, payload, qos) VALUES (?, ?, ?)", (topic, payload, qos)
            )
            return int(cur.lastrowid or 0)

    def pending(self, limit: int = 100) -> list[tuple[int, str, bytes, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, topic, payload, qos FROM outbox ORDER BY id LIMIT ?", (limit,)
            ).fetchall()
        return [(r[0], r[1], bytes(r[2]), r[3]) for r in rows]

    def delete(self, row_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


class Outbox:
    """Moves queued rows to the broker whenever the link is up."""

    def __init__(self, queue: EventQueue, link: Publisher, window: int = 50) -> None:
        self.queue = queue
        self.link = link
        self.window = window
        self._lock = threading.Lock()
        self._inflight: dict[int, int] = {}  # mid -> row id
        self._sent_rows: set[int] = set()
        self._early: set[int] = set()  # PUBACKs that beat publish() returning its mid
        self._kick = threading.Event()
        self._stop = threading.Event()
        self.drained = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._kick.set()

    def put(self, topic: str, payload: bytes, qos: int = 1) -> None:
        self.queue.append(topic, payload, qos)
        self.drained.clear()
        self._kick.set()

    def kick(self) -> None:
        self._kick.set()

    def on_published(self, mid: int) -> None:
        with self._lock:
            row = self._inflight.pop(mid, None)
            if row is None:
                self._early.add(mid)
                return
        self._acked(row)

    def stop(self) -> None:
        self._stop.set()
        self._kick.set()
        self._thread.join(timeout=5)

    def _acked(self, row: int) -> None:
        self.queue.delete(row)
        with self._lock:
            self._sent_rows.discard(row)
            idle = not self._inflight
        if idle and len(self.queue) == 0:
            self.drained.set()
        self._kick.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._kick.wait(timeout=5.0)
            self._kick.clear()
            if self._stop.is_set():
                return
            if self.link.is_connected():
                self._send_pending()

    def _send_pending(self) -> None:
        for row, topic, payload, qos in self.queue.pending(self.window):
            with self._lock:
                if row in self._sent_rows or len(self._inflight) >= self.window:
                    continue
                self._sent_rows.add(row)
            mid = self.link.publish(topic, payload, qos)
            if qos == 0:
                self._acked(row)
                continue
            with self._lock:
                early = mid in self._early
                self._early.discard(mid)
                if not early:
                    self._inflight[mid] = row
            if early:
                self._acked(row)
