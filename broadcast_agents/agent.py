"""Wires the node together: MQTT in, verified plans and commands, scheduling, playback, reports.

All decisions happen on one thread (the main loop) fed by an inbox queue; MQTT callbacks,
player reports and the prefetcher only post to the inbox. That keeps the state simple.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import __version__
from .amplifier import NoAmplifier, gpio_amplifier
from .cache import MediaCache
from .clock import ClockProbe, NoClockProbe, NtpClockProbe
from .config import AgentConfig
from .events import EventQueue, Outbox
from .fetcher import Fetcher, Prefetcher
from .mqtt_link import LinkCallbacks, MqttLink
from .periodic import Periodic
from .plan_store import PlanStore
from .player import Player, Report
from .protocol import (
    Accepted,
    Ack,
    Command,
    EnvelopeVerifier,
    Event,
    MessageError,
    PlanItem,
    Rejected,
    State,
    canonical_json,
    parse_command,
    parse_plan,
    topics,
)
from .protocol.timefmt import now_utc, parse_time
from .sinks import Sink, make_sink
from .telemetry import build_telemetry
from .timeline import PlayState, decide

log = logging.getLogger(__name__)
DONE_KEPT = timedelta(days=2)


@dataclass
class _Inbound:
    kind: str  # "msg" | "report" | "connected" | "wake"
    topic: str = ""
    payload: bytes = b""
    report: Report | None = None


class Agent:
    def __init__(
        self,
        cfg: AgentConfig,
        *,
        sink: Sink | None = None,
        amplifier: Any = None,
        clock_probe: ClockProbe | None = None,
        store: PlanStore | None = None,
    ) -> None:
        self.cfg = cfg
        self.started_at = time.monotonic()
        self.inbox: queue.Queue[_Inbound] = queue.Queue()
        self.store = store or PlanStore(cfg.state_dir)
        self.verifier = EnvelopeVerifier(cfg.site, cfg.public_key, self.store.load_verifier())
        self.plan = self.store.load_plan()
        self.adhoc: dict[str, PlanItem] = self.store.load_adhoc()
        self.done: dict[str, str] = self.store.load_done()
        self.playing: str | None = None
        self.armed: str | None = None
        self.armed_at: datetime | None = None
        self.next_wake: datetime | None = None
        self.cache = MediaCache(cfg.cache_dir, cfg.cache_max_bytes)
        self.fetcher = Fetcher(self.cache, cfg.base_url, cfg.token)
        self.prefetcher = Prefetcher(self.fetcher)
        self.clock_probe = clock_probe or (
            NtpClockProbe(cfg.ntp_server) if cfg.ntp_server else NoClockProbe()
        )
        self.amplifier = amplifier or self._make_amplifier()
        self.player = Player(
            sink or make_sink(cfg.player.sink, cfg.node),
            self.fetcher.ensure,
            lambda r: self.inbox.put(_Inbound("report", report=r)),
            amplifier=self.amplifier,
            sample_rate=cfg.player.sample_rate,
            output_latency_s=cfg.player.output_latency_ms / 1000,
            late_join_s=cfg.player.late_join_ms / 1000,
            volume=self.store.load_volume(),
        )
        self.link = MqttLink(
            cfg.mqtt,
            client_id=f"tt-{cfg.site}-{cfg.node}",
            subscriptions=[(t, 1) for t in topics.node_subscriptions(cfg.site, cfg.node, cfg.zone)],
            will=(self._topic("state"), self._state_payload(online=False)),
            callbacks=LinkCallbacks(
                on_message=lambda t, p: self.inbox.put(_Inbound("msg", t, p)),
                on_connected=lambda: self.inbox.put(_Inbound("connected")),
                on_published=lambda mid: self.outbox.on_published(mid),
                state_payload=lambda: (self._topic("state"), self._state_payload(online=True)),
            ),
        )
        self.outbox = Outbox(EventQueue(cfg.state_dir / "outbox.sqlite"), self.link)
        self._periodic = [
            Periodic(cfg.telemetry_interval_s, self._publish_telemetry, "telemetry"),
            Periodic(cfg.ntp_interval_s, self.clock_probe.measure, "clock"),
        ]

    def _make_amplifier(self) -> Any:
        g = self.cfg.gpio
        if g.amp_pin is None:
            return NoAmplifier()
        return gpio_amplifier(g.amp_pin, g.warmup_ms / 1000, g.idle_off_s)

    # ---------------------------------------------------------------- lifecycle

    def run(self, stop: threading.Event) -> None:
        """Run until `stop` is set; then publish offline state and disconnect."""
        self.outbox.start()
        self.prefetcher.start()
        self._want_media()
        self.link.start()
        for p in self._periodic:
            p.start()
        threading.Thread(target=self.clock_probe.measure, daemon=True).start()
        try:
            self._loop(stop)
        finally:
            self._shutdown()

    def request_stop(self, stop: threading.Event) -> None:
        stop.set()
        self.inbox.put(_Inbound("wake"))

    def _loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self._schedule()
            try:
                msg = self.inbox.get(timeout=self._timeout())
            except queue.Empty:
                continue
            while True:
                self._dispatch(msg)
                try:
                    msg = self.inbox.get_nowait()
                except queue.Empty:
                    break

    def _timeout(self) -> float:
        if self.next_wake is None:
            return 1.0
        return min(1.0, max(0.0, (self.next_wake - now_utc()).total_seconds()))

    def _shutdown(self) -> None:
        for p in self._periodic:
            p.stop()
        self.player.close()
        self.prefetcher.stop()
        self.link.stop(final=(self._topic("state"), self._state_payload(online=False)))
        self.outbox.stop()
        self.amplifier.close()

    # ---------------------------------------------------------------- inbound

    def _dispatch(self, msg: _Inbound) -> None:
        if msg.kind == "msg":
            self._on_message(msg.topic, msg.payload)
        elif msg.kind == "report" and msg.report is not None:
            self._on_report(msg.report)
        elif msg.kind == "connected":
            self.outbox.kick()
            self._publish_telemetry()

    def _on_message(self, topic: str, payload: bytes) -> None:
        ref = topics.parse(topic)
        if ref is None or ref.leaf not in ("plan", "cmd"):
            return
        result = self.verifier.check(payload, now_utc(), expect_kind=ref.leaf)
        if isinstance(result, Rejected):
            log.warning("rejected %s on %s: %s", result.reason_code, topic, result.message)
            self._reject(result.envelope_id or "", result.reason_code, result.message, topic)
            return
        if not isinstance(result, Accepted):
            return  # a duplicate: a retained re-delivery or a QoS 1 resend, silently ignored
        if ref.leaf == "plan":
            self._on_plan(result.envelope, topic)
        else:
            self._on_command(result.envelope, topic)
        # Only now: had the verifier's memory been saved first, a crash before the plan was
        # saved would make the retained re-delivery a duplicate, and the plan would be lost.
        self.store.save_verifier(self.verifier.state)

    def _reject(self, item: str, code: str, message: str, topic: str) -> None:
        self._event("rejected", item, now_utc(), {"reason": code, "message": message[:300],
                                                  "topic": topic})  # fmt: skip

    def _on_plan(self, envelope: dict[str, Any], topic: str) -> None:
        try:
            plan = parse_plan(envelope)
        except MessageError as exc:
            self._reject(envelope["id"], "invalid_body", str(exc), topic)
            return
        if plan.node != self.cfg.node:
            self._reject(envelope["id"], "wrong_node", f"plan for {plan.node!r}", topic)
            return
        self.store.save_plan(envelope)
        self.plan = plan
        self._drop_removed({i.id for i in plan.items} | set(self.adhoc))
        log.info("plan seq %s accepted with %d items", plan.seq, len(plan.items))
        if self.link.is_connected():  # the controller sees at once which plan the node holds
            self.link.publish(self._topic("state"), self._state_payload(True), 1, True)
        self._want_media()

    def _drop_removed(self, kept: set[str]) -> None:
        """Stop what the new plan no longer holds (a program cancelled or paused meanwhile);
        `play_now` items are not part of the plan and stay."""
        if self.armed is not None and self.armed not in kept:
            if not self.player.cancel_armed(self.armed):
                self.player.stop(self.armed, reason="removed")  # it began sounding meanwhile
            self.armed = self.armed_at = None
        for item_id in {self.playing, self.player.now_playing} - {None}:
            if item_id not in kept:
                self.player.stop(item_id, reason="removed")

    def _on_command(self, envelope: dict[str, Any], topic: str) -> None:
        try:
            cmd = parse_command(envelope)
        except MessageError as exc:
            self._reject(envelope["id"], "invalid_body", str(exc), topic)
            self._ack(envelope["id"], "rejected", {"message": str(exc)[:300]})
            return
        detail = self._apply(cmd)
        self._ack(envelope["id"], "ok", detail)

    def _apply(self, cmd: Command) -> dict[str, Any] | None:
        if cmd.op == "play_now" and cmd.item is not None:
            self.adhoc[cmd.item.id] = cmd.item
            self.store.save_adhoc(self.adhoc.values())
            if self.done.pop(cmd.item.id, None) is not None:  # sent again: play it again
                self.store.save_done(self.done)
            self._want_media()
            return {"item": cmd.item.id}
        if cmd.op == "stop" and cmd.target:
            return {"stopped": self._stop_items(cmd.target)}
        if cmd.op == "set_volume" and cmd.volume is not None:
            self.player.volume = cmd.volume
            self.store.save_volume(cmd.volume)
            return {"volume": cmd.volume}
        if cmd.op == "resync":
            if self.link.is_connected():
                self.link.publish(self._topic("state"), self._state_payload(True), 1, True)
                self.link.resubscribe(topics.node_plan(self.cfg.site, self.cfg.node))
            self._want_media()
        return None

    def _stop_items(self, target: str) -> list[str]:
        stopped = []
        now = now_utc()
        if self.playing and target in ("all", self.playing) and self.player.stop(self.playing):
            stopped.append(self.playing)
        if self.armed and target in ("all", self.armed):
            self.player.cancel_armed(self.armed)
            self._mark_done(self._item(self.armed))
            self._event("skipped", self.armed, now, {"reason": "stopped"})
            stopped.append(self.armed)
            self.armed = self.armed_at = None
        future = self._item(target) if target != "all" else None
        if future is not None and target not in stopped and target not in self.done:
            self._mark_done(future)
            self._event("skipped", target, now, {"reason": "stopped"})
            stopped.append(target)
        return stopped

    # ---------------------------------------------------------------- player reports

    def _on_report(self, r: Report) -> None:
        item = r.item
        if r.kind == "started":
            self.playing = item.id
            if self.armed == item.id:
                self.armed = self.armed_at = None
            self._event("started", item.id, r.at, r.detail)
            return
        if self.playing == item.id:
            self.playing = None
        if self.armed == item.id:
            self.armed = self.armed_at = None
        reason = (r.detail or {}).get("reason")
        if r.kind == "stopped" and reason == "shutdown":
            return
        if r.kind == "stopped" and reason in ("preempted", "removed"):
            if item.kind != "relay":  # a relay resumes inside its window; a clip does not
                self._mark_done(item)
            by = (r.detail or {}).get("by")
            cut = {"by": by} if reason == "preempted" else {"reason": "removed"}
            self._event("preempted", item.id, r.at, cut)
            return
        self._mark_done(item)
        if r.kind == "stopped":
            self._event("finished", item.id, r.at, {"reason": "stopped"})
        else:
            self._event(r.kind, item.id, r.at, r.detail)

    # ---------------------------------------------------------------- scheduling

    def _items(self) -> list[PlanItem]:
        items = list(self.plan.items) if self.plan else []
        return items + [i for i in self.adhoc.values() if i.id not in {x.id for x in items}]

    def _item(self, item_id: str) -> PlanItem | None:
        return next((i for i in self._items() if i.id == item_id), None)

    def _schedule(self) -> None:
        now = now_utc()
        warmup = timedelta(milliseconds=self.cfg.gpio.warmup_ms if self.cfg.gpio.amp_pin else 0)
        state = PlayState(self.playing, self.armed, self.armed_at, frozenset(self.done))
        decision = decide(
            self._items(),
            now,
            state,
            lead=timedelta(milliseconds=self.cfg.player.lead_ms) + warmup,
            late_join=timedelta(milliseconds=self.cfg.player.late_join_ms),
        )
        for skip in decision.skips:
            self._mark_done(skip.item)
            self._event("skipped", skip.item.id, now, {"reason": skip.reason})
        if decision.arm is not None:
            self.player.arm(decision.arm.item, decision.arm.at)
            self.armed, self.armed_at = decision.arm.item.id, decision.arm.at
        self.next_wake = decision.next_wake
        self._prune(now)

    def _mark_done(self, item: PlanItem | None) -> None:
        if item is not None:
            self.done[item.id] = item.window_end.isoformat()
            self.store.save_done(self.done)
            if self.adhoc.pop(item.id, None) is not None:  # done.json now keeps it from replay
                self.store.save_adhoc(self.adhoc.values())

    def _prune(self, now: datetime) -> None:
        old = [k for k, v in self.done.items() if parse_time(v) < now - DONE_KEPT]
        for key in old:
            del self.done[key]
        if old:
            self.store.save_done(self.done)
        busy = (self.playing, self.armed)  # their report still has to come
        expired = [k for k, i in self.adhoc.items() if i.window_end <= now and k not in busy]
        for key in expired:
            del self.adhoc[key]
        if expired:
            self.store.save_adhoc(self.adhoc.values())

    def _want_media(self) -> None:
        now = now_utc()
        items = sorted(
            (i for i in self._items() if i.window_end > now and i.id not in self.done),
            key=lambda i: i.start,
        )
        self.prefetcher.want(ref for i in items for ref in i.media)

    # ---------------------------------------------------------------- reports out

    def _topic(self, leaf: str) -> str:
        return topics.node_topic(self.cfg.site, self.cfg.node, leaf)

    def _state_payload(self, online: bool) -> bytes:
        plan = getattr(self, "plan", None)
        state = State(online, self.cfg.node, __version__, plan.seq if plan else None, now_utc())
        return canonical_json(state.to_dict())

    def _event(self, kind: str, item: str, at: datetime, detail: Any = None) -> None:
        event = Event(self.cfg.node, kind, item, at, detail or None, uuid.uuid4().hex)
        log.info("event %s %s", kind, item)
        self.outbox.put(self._topic("event"), canonical_json(event.to_dict()))

    def _ack(self, cmd_id: str, result: str, detail: Any = None) -> None:
        ack = Ack(self.cfg.node, cmd_id, result, now_utc(), detail or None)
        self.outbox.put(self._topic("ack"), canonical_json(ack.to_dict()))

    def _publish_telemetry(self) -> None:
        if not self.link.is_connected():
            return
        t = build_telemetry(
            node=self.cfg.node,
            now=now_utc(),
            volume=self.player.volume,
            now_playing=self.player.now_playing,
            plan_seq=self.plan.seq if self.plan else None,
            cache_bytes=self.cache.total_bytes(),
            clock_offset_ms=self.clock_probe.offset_ms(),
            version=__version__,
            uptime_s=time.monotonic() - self.started_at,
        )
        self.link.publish(self._topic("telemetry"), canonical_json(t.to_dict()), 0, False)
