"""PURE scheduling: given items, what is playing and now, decide what to arm and what to skip.

Rules (the same on every node, so all nodes reach the same decision from the same plan):
- An item sounds from `start` to `window_end`; higher priority wins, emergencies above all.
  Ties keep what is already playing, then the earlier start.
- The winner of an instant preempts a lower-priority item that is playing.
- A clip may join late (skipping the part it missed, which keeps nodes in step) for up to
  `late_join`; after that it is skipped as "late". A clip that loses at its start is skipped as
  "busy". A relay is a window: it waits while something higher plays and resumes afterwards.
- Only one item is armed (prepared for a future instant) at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .protocol import PlanItem


@dataclass(frozen=True)
class PlayState:
    playing: str | None = None  # the item sounding now, as the player last reported
    armed: str | None = None  # the item prepared for a future (or just-passed) instant
    armed_at: datetime | None = None
    done: frozenset[str] = field(default_factory=frozenset)

    def current(self, now: datetime) -> str | None:
        """An armed item whose instant has passed is sounding, even before the report lands."""
        if self.armed is not None and self.armed_at is not None and self.armed_at <= now:
            return self.armed
        return self.playing


@dataclass(frozen=True)
class Arm:
    item: PlanItem
    at: datetime


@dataclass(frozen=True)
class Skip:
    item: PlanItem
    reason: str  # "late" or "busy"


@dataclass(frozen=True)
class Decision:
    arm: Arm | None = None
    skips: tuple[Skip, ...] = ()
    next_wake: datetime | None = None


def rank(item: PlanItem, current: str | None) -> tuple:
    return (item.kind == "emergency", item.priority, item.id == current, -item.start.timestamp())


def best(items: Iterable[PlanItem], current: str | None) -> PlanItem | None:
    pool = sorted(items, key=lambda i: i.id)  # id order breaks the last ties deterministically
    return max(pool, key=lambda i: rank(i, current), default=None)


def live(item: PlanItem, t: datetime) -> bool:
    return item.start <= t < item.window_end


def joinable(item: PlanItem, t: datetime, late_join: timedelta) -> bool:
    return live(item, t) and (item.kind == "relay" or t - item.start <= late_join)


def decide(
    items: Iterable[PlanItem],
    now: datetime,
    state: PlayState,
    *,
    lead: timedelta,
    late_join: timedelta,
) -> Decision:
    pending = [i for i in items if i.id not in state.done]
    by_id = {i.id: i for i in pending}
    current_id = state.current(now)
    current = by_id.get(current_id) if current_id else None

    arm: Arm | None = None
    # What already sounds keeps competing for its whole window, late-join limit or not.
    contenders = [i for i in pending if joinable(i, now, late_join)]
    if current is not None and live(current, now) and current not in contenders:
        contenders.append(current)
    winner = best(contenders, current_id)
    if winner is not None and winner.id != current_id and winner.id != state.armed:
        arm = Arm(winner, now)

    skips = tuple(_skips(pending, now, winner, current_id, state, late_join))
    if arm is None:
        arm = _look_ahead(pending, now, current, state, by_id, lead)
    return Decision(arm, skips, _next_wake(pending, now, lead, late_join))


def _skips(pending, now, winner, current_id, state, late_join):
    for item in pending:
        if not live(item, now) or item.id in (current_id, state.armed):
            continue
        if winner is not None and item.id == winner.id:
            continue
        if not joinable(item, now, late_join):
            yield Skip(item, "late")
        elif item.kind != "relay":
            yield Skip(item, "busy")


def _look_ahead(pending, now, current, state, by_id, lead) -> Arm | None:
    upcoming = [i for i in pending if now < i.start <= now + lead]
    if not upcoming:
        return None
    t = min(i.start for i in upcoming)
    group = [i for i in upcoming if i.start == t]
    occupant = current
    armed = by_id.get(state.armed) if state.armed else None
    if armed is not None and state.armed_at is not None and state.armed_at < t:
        occupant = armed  # it will have started by t
    if occupant is not None and occupant.window_end <= t:
        occupant = None
    contenders = group + ([occupant] if occupant and live(occupant, t) else [])
    winner = best(contenders, occupant.id if occupant else None)
    if winner is None or winner not in group or winner.id == state.armed:
        return None
    if armed is not None and state.armed_at is not None and state.armed_at < t:
        return None  # one armed item at a time: arm this one once the earlier one has started
    return Arm(winner, t)


# Look again just after a start rather than at it: the player thread owns that instant.
SETTLE = timedelta(milliseconds=50)


def _next_wake(pending, now, lead, late_join) -> datetime | None:
    instants = []
    for item in pending:
        for t in (item.start - lead, item.start + SETTLE, item.start + late_join, item.window_end):
            if t > now:
                instants.append(t)
    return min(instants, default=None)
