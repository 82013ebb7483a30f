"""Plays items on the sink at their planned instant: one armed session, one active session.

A session prepares ahead (media on disk, amplifier warm, decoder running, sink open), sleeps
until a few ms before its instant, spins to it, and hands the first sample to the sink. On
activation it stops whatever was sounding (a preemption). Reports go to a callback, which the
agent turns into events.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .decoder import PcmSource, decode_files, open_stream
from .fetcher import FetchError
from .gain import apply_gain
from .protocol import MediaRef, PlanItem
from .protocol.timefmt import from_epoch
from .sinks import Sink, SinkSession

log = logging.getLogger(__name__)
SPIN_S = 0.0003  # sleep (futex timeout, ~0.1 ms slack) until this close, then busy-wait
CHUNK_S = 0.02
HEADROOM_S = 0.1  # how far ahead of the sound card writes run


@dataclass(frozen=True)
class Report:
    """kind: started | finished | failed | skipped (reason: late) | stopped (reason: preempted,
    stopped, removed or shutdown)."""

    kind: str
    item: PlanItem
    at: datetime
    detail: dict | None = None


class Player:
    def __init__(
        self,
        sink: Sink,
        media: Callable[[MediaRef], Path],
        report: Callable[[Report], None],
        *,
        amplifier=None,
        sample_rate: int = 48000,
        output_latency_s: float = 0.0,
        late_join_s: float = 5.0,
        volume: int = 100,
        clock: Callable[[], float] = time.time,
        decode: Callable[..., PcmSource] = decode_files,
        stream: Callable[[str, int], PcmSource] = open_stream,
    ) -> None:
        from .amplifier import NoAmplifier

        self.sink = sink
        self.media = media
        self.report = report
        self.amplifier = amplifier or NoAmplifier()
        self.sample_rate = sample_rate
        self.output_latency_s = output_latency_s
        self.late_join_s = late_join_s
        self.volume = volume
        self.clock = clock
        self.decode = decode
        self.stream = stream
        self._lock = threading.Lock()
        self._armed: _Session | None = None
        self._active: _Session | None = None

    @property
    def now_playing(self) -> str | None:
        active = self._active
        return active.item.id if active else None

    def arm(self, item: PlanItem, at: datetime) -> None:
        """Prepare `item` to start at `at`, replacing any armed session not yet started."""
        session = _Session(self, item, at.timestamp())
        with self._lock:
            old, self._armed = self._armed, session
        if old is not None:
            old.cancel()
        session.start()

    def cancel_armed(self, item_id: str | None = None) -> bool:
        with self._lock:
            armed = self._armed
            if armed is None or (item_id is not None and armed.item.id != item_id):
                return False
            self._armed = None
        armed.cancel()
        return True

    def stop(self, item_id: str | None = None, reason: str = "stopped") -> bool:
        """Stop the active session (if it is `item_id`, when given)."""
        with self._lock:
            active = self._active
            if active is None or (item_id is not None and active.item.id != item_id):
                return False
        active.halt(reason, None)
        return True

    def close(self) -> None:
        self.cancel_armed()
        self.stop(reason="shutdown")
        for session in (self._armed, self._active):
            if session is not None:
                session.join()

    # -- called by sessions

    def _activate(self, session: _Session) -> bool:
        """Make `session` the sounding one; False if it was cancelled meanwhile."""
        with self._lock:
            if session.cancelled.is_set():
                return False
            if self._armed is session:
                self._armed = None
            previous, self._active = self._active, session
        if previous is not None:
            previous.halt("preempted", session.item.id)
        return True

    def _deactivate(self, session: _Session) -> None:
        """`session` ended (played, failed, skipped or cancelled): forget it."""
        with self._lock:
            if self._active is session:
                self._active = None
            if self._armed is session:
                self._armed = None

    def _gain(self, item: PlanItem) -> float:
        # An emergency must be heard whatever the node was turned down to: item volume only.
        node = 1.0 if item.kind == "emergency" else self.volume / 100.0
        return item.volume / 100.0 * node


class _Session:
    def __init__(self, player: Player, item: PlanItem, at: float) -> None:
        self.p = player
        self.item = item
        self.at = at  # when to begin: the item's start, or now for one joined late
        # What lateness is measured from: a clip's own start, whenever it was armed, so a late
        # join skips exactly what the other nodes already played; a relay just starts at `at`.
        self.origin = at if item.kind == "relay" else item.start.timestamp()
        self.cancelled = threading.Event()  # before activation: go away silently
        self.halted = threading.Event()  # after activation: stop sounding
        self.halt_reason: tuple[str, str | None] = ("stopped", None)
        self._thread = threading.Thread(target=self._run, name=f"play-{item.id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=5)

    def cancel(self) -> None:
        self.cancelled.set()

    def halt(self, reason: str, by: str | None) -> None:
        self.halt_reason = (reason, by)
        self.halted.set()

    def _run(self) -> None:
        amp_ready = self.p.amplifier.acquire()
        try:
            self._prepare_and_play(amp_ready)
        except (
            FetchError
        ) as exc:  # expected in the field (link down, bad file): the reason is enough
            log.warning("playing %s failed: %s", self.item.id, exc)
            self._report("failed", self.p.clock(), {"error": str(exc)[:300]})
        except Exception as exc:  # unexpected: report, keep the traceback, never kill the agent
            log.exception("playing %s failed", self.item.id)
            self._report("failed", self.p.clock(), {"error": str(exc)[:300]})
        finally:
            self.p._deactivate(self)
            self.p.amplifier.release()

    def _prepare_and_play(self, amp_ready: float) -> None:
        p, item = self.p, self.item
        if item.kind == "relay":
            source = p.stream(item.stream_url or "", p.sample_rate)
        else:
            paths = [p.media(ref) for ref in item.media]  # blocks while a download finishes
            if self.cancelled.is_set():
                return
            source = p.decode(paths, p.sample_rate, item.gaps_ms())
        sink: SinkSession | None = None
        try:
            first = source.read(self._chunk_bytes())  # decoder is up and running
            sink = p.sink.open(item.id, p.sample_rate)
            target = max(self.at, amp_ready) - p.output_latency_s
            if not self._wait_until(target):
                return
            late = p.clock() - (self.origin - p.output_latency_s)
            if item.kind != "relay" and late > 0.002:
                caught = self._catch_up(source, first, late)
                if caught is None:
                    return
                first, late = caught
            if not p._activate(self):
                return
            self._play(sink, source, first, late)
        finally:
            source.close()
            if sink is not None:
                sink.close()

    def _wait_until(self, target: float) -> bool:
        """Sleep to just before target, then spin; False if cancelled meanwhile."""
        clock = self.p.clock
        remaining = target - clock() - SPIN_S
        if remaining > 0 and self.cancelled.wait(remaining):
            return False
        while clock() < target:
            if self.cancelled.is_set():
                return False
        return not self.cancelled.is_set()

    def _chunk_bytes(self) -> int:
        return int(self.p.sample_rate * CHUNK_S) * 2

    def _catch_up(self, source: PcmSource, first: bytes, late: float) -> tuple[bytes, float] | None:
        """Drop the samples a late clip missed (to stay in step with the other nodes): the rest
        and how late it now is; None, after reporting `skipped`, when it is too late to join
        or nothing is left to play."""
        rest = b""
        if late <= self.p.late_join_s:
            rest, late = self._skip(source, first)
        if rest:
            return rest, late
        if not self.cancelled.is_set():  # cancelled meanwhile: the agent no longer wants it
            log.warning("%s skipped: %.1f s late", self.item.id, late)
            detail = {"reason": "late", "late_ms": round(late * 1000, 1)}
            self._report("skipped", self.p.clock(), detail)
        return None

    def _play(self, sink: SinkSession, source: PcmSource, first: bytes, late: float) -> None:
        p, rate = self.p, self.p.sample_rate
        t0 = p.clock()
        sink.write(apply_gain(first, p._gain(self.item)))
        started_at = t0 + p.output_latency_s
        sink.started(from_epoch(started_at))
        self._report("started", started_at, {"late_ms": round(max(late, 0) * 1000, 1)})
        written = len(first) // 2
        if self.item.kind == "relay":
            written = self._pump_relay(source, sink, written)
        else:
            written = self._pump(source, sink, t0, written)
        if self.halted.is_set():
            reason, by = self.halt_reason
            self._report("stopped", p.clock(), {"reason": reason, **({"by": by} if by else {})})
        else:
            self._report("finished", started_at + written / rate, None)

    def _skip(self, source: PcmSource, first: bytes) -> tuple[bytes, float]:
        """Read past the samples due before now; the lateness is measured again after every
        read, since decoding what is skipped takes time too (else the node falls behind)."""
        origin = self.origin - self.p.output_latency_s
        buf, dropped = first, 0  # dropped: bytes consumed before buf
        while True:
            late = self.p.clock() - origin
            skip = int(late * self.p.sample_rate) * 2 - dropped
            if len(buf) > skip:
                return buf[skip:], late
            need, dropped = skip - len(buf), dropped + len(buf)
            buf = source.read(max(self._chunk_bytes(), min(need, 1 << 20)))
            if not buf:
                return b"", late

    def _pump(self, source: PcmSource, sink: SinkSession, t0: float, written: int) -> int:
        rate, chunk = self.p.sample_rate, self._chunk_bytes()
        while not self.halted.is_set():
            data = source.read(chunk)
            if not data:
                break
            due = t0 + written / rate - HEADROOM_S  # pace writes to the sound card's clock
            wait = due - self.p.clock()
            if wait > 0 and self.halted.wait(wait):
                break
            sink.write(apply_gain(data, self.p._gain(self.item)))
            written += len(data) // 2
        return written

    def _pump_relay(self, source: PcmSource, sink: SinkSession, written: int) -> int:
        end = self.item.window_end.timestamp()
        backoff = 0.5
        while not self.halted.is_set() and self.p.clock() < end:
            data = source.read(self._chunk_bytes())
            if data:
                sink.write(apply_gain(data, self.p._gain(self.item)))
                written += len(data) // 2
                backoff = 0.5
                continue
            # The stream dropped: reconnect until the window closes.
            source.close()
            if self.halted.wait(min(backoff, max(0.0, end - self.p.clock()))):
                break
            backoff = min(backoff * 2, 10.0)
            source = self.p.stream(self.item.stream_url or "", self.p.sample_rate)
        source.close()
        return written

    def _report(self, kind: str, at: float, detail: dict | None) -> None:
        self.p.report(Report(kind, self.item, from_epoch(at), detail))
