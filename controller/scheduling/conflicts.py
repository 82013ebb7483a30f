"""Schedule conflicts (trùng lịch) of a new or edited program, and the officer's three answers.

``find_conflicts`` lists where the candidate would sound at the same time as another program in
a shared zone. ``resolve`` turns the officer's ``on_conflict`` choice into data stored in the
program, which the compiler honours on every later compile:

* ``reject``: nothing is saved; :class:`ConflictRejected` carries the conflicts (API: 409).
* ``override``: the program is saved with ``on_conflict="override"``. The compiler orders
  overlapping items by (level, override, rank, earlier id), so the program beats every program
  of its own level wherever they overlap. It never beats a higher level (an emergency stays an
  emergency); such conflicts are returned as ``remaining``.
* ``append``: each conflicting occurrence moves to start right after the other program ends,
  stored as ``shifts`` {occurrence key: seconds later}; item ids keep the original key.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from controller.scheduling import priorities
from controller.scheduling.recurrence import HolidayResolver, program_occurrences
from controller.scheduling.types import NodeSpec, ProgramSpec, SchedulingError

DEFAULT_WINDOW = timedelta(days=30)
_MAX_APPEND_STEPS = 100


@dataclass(frozen=True)
class Conflict:
    """One overlap between an occurrence of the candidate and one of another program."""

    program_id: int
    title: str
    zone: str
    nodes: tuple[str, ...]
    start: datetime
    end: datetime
    occurrence_key: str
    other_start: datetime
    other_end: datetime
    winner: str  # "candidate" or "other": who keeps the overlap if nothing changes
    other_level: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the API's 409 answer."""
        return {
            "program_id": self.program_id,
            "title": self.title,
            "zone": self.zone,
            "nodes": list(self.nodes),
            "start": self.start.isoformat(timespec="seconds"),
            "end": self.end.isoformat(timespec="seconds"),
            "occurrence": self.occurrence_key,
            "other_start": self.other_start.isoformat(timespec="seconds"),
            "other_end": self.other_end.isoformat(timespec="seconds"),
            "winner": self.winner,
        }


class ConflictRejected(SchedulingError):
    """The officer chose ``reject`` and the program overlaps others."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        names = ", ".join(sorted({f"«{c.title}»" for c in conflicts}))
        super().__init__(
            f"Lịch phát trùng với {len(conflicts)} lượt phát của chương trình {names}",
            f"the schedule overlaps {len(conflicts)} occurrence(s) of other programs",
            field="schedule",
        )
        self.conflicts = conflicts


@dataclass(frozen=True)
class Resolution:
    """The program to save and the conflicts the chosen mode could not settle."""

    program: ProgramSpec
    remaining: list[Conflict] = field(default_factory=list)


def _zones(nodes: Sequence[NodeSpec]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for node in nodes:
        out.setdefault(node.zone, []).append(node.id)
    return {zone: tuple(ids) for zone, ids in out.items()}


def _targets(program: ProgramSpec, zones: dict[str, tuple[str, ...]]) -> set[str]:
    return set(zones) if program.zones is None else set(program.zones) & set(zones)


def _strength(program: ProgramSpec) -> tuple[int, int, int, int]:
    return priorities.strength(
        program.priority_level, program.rank, program.on_conflict == "override", program.id
    )


def _overlapping_pairs(
    mine: list[tuple[str, datetime, datetime]], theirs: list[tuple[str, datetime, datetime]]
) -> list[tuple[tuple[str, datetime, datetime], tuple[str, datetime, datetime]]]:
    """Overlapping pairs of two start-sorted occurrence lists (bisect, not all pairs)."""
    if not theirs:
        return []
    their_starts = [t[1] for t in theirs]
    longest = max(t[2] - t[1] for t in theirs)
    pairs = []
    for occ in mine:
        _key, start, end = occ
        # Only occurrences starting before our end, and not so early they must be over.
        idx = bisect_left(their_starts, end) - 1
        while idx >= 0 and their_starts[idx] > start - longest:
            if theirs[idx][2] > start:
                pairs.append((occ, theirs[idx]))
            idx -= 1
    pairs.sort(key=lambda pair: (pair[0][1], pair[1][1]))
    return pairs


def find_conflicts(
    candidate: ProgramSpec,
    existing: Sequence[ProgramSpec],
    nodes: Sequence[NodeSpec],
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    *,
    tz: ZoneInfo,
    holiday_resolver: HolidayResolver | None = None,
) -> list[Conflict]:
    """Overlaps of the candidate with ``existing`` programs in shared zones, ``[now, now+window)``.

    ``existing`` should be the programs that will be compiled (approved, not deleted); a program
    with the candidate's id is skipped, so an edit does not conflict with its old self.
    """
    zones = _zones(nodes)
    my_zones = _targets(candidate, zones)
    end = now + window
    mine = program_occurrences(candidate, tz, now, end, holiday_resolver)
    found: list[Conflict] = []
    if not mine or not my_zones:
        return found
    my_strength = _strength(candidate)
    for other in existing:
        shared = my_zones & _targets(other, zones)
        if other.id == candidate.id or not shared:
            continue
        theirs = program_occurrences(other, tz, now, end, holiday_resolver)
        winner = "candidate" if my_strength > _strength(other) else "other"
        for (key, start, finish), (_k, o_start, o_end) in _overlapping_pairs(mine, theirs):
            for zone in sorted(shared):
                found.append(
                    Conflict(
                        program_id=other.id,
                        title=other.title,
                        zone=zone,
                        nodes=zones[zone],
                        start=max(start, o_start),
                        end=min(finish, o_end),
                        occurrence_key=key,
                        other_start=o_start,
                        other_end=o_end,
                        winner=winner,
                        other_level=other.priority_level,
                    )
                )
    found.sort(key=lambda c: (c.start, c.zone, c.program_id))
    return found


def _busy_intervals(
    candidate: ProgramSpec,
    existing: Sequence[ProgramSpec],
    zones: dict[str, tuple[str, ...]],
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    holiday_resolver: HolidayResolver | None,
) -> list[tuple[datetime, datetime]]:
    """Union of other programs' occurrences in the candidate's zones, merged and sorted."""
    my_zones = _targets(candidate, zones)
    spans = sorted(
        (o_start, o_end)
        for other in existing
        if other.id != candidate.id and my_zones & _targets(other, zones)
        for _key, o_start, o_end in program_occurrences(other, tz, start, end, holiday_resolver)
    )
    merged: list[tuple[datetime, datetime]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def append_shifts(
    candidate: ProgramSpec,
    existing: Sequence[ProgramSpec],
    nodes: Sequence[NodeSpec],
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    *,
    tz: ZoneInfo,
    holiday_resolver: HolidayResolver | None = None,
) -> dict[str, int]:
    """Shift map for ``append``: each overlapping occurrence starts when the others are done.

    An occurrence may hop over several back-to-back programs. Shifts are whole seconds, from the
    original civil start (the occurrence key); occurrences that do not overlap are absent.
    """
    base = replace(candidate, shifts={})
    zones = _zones(nodes)
    busy = _busy_intervals(base, existing, zones, tz, now, now + window * 2, holiday_resolver)
    busy_starts = [b[0] for b in busy]
    duration = base.duration()
    shifts: dict[str, int] = {}
    for key, start, _end in program_occurrences(base, tz, now, now + window, holiday_resolver):
        moved = start
        for _step in range(_MAX_APPEND_STEPS):
            idx = bisect_right(busy_starts, moved + duration) - 1
            # The busy run overlapping [moved, moved+duration) is the last one starting before
            # its end, if it ends after ``moved``; jump past it and look again.
            if idx < 0 or busy[idx][1] <= moved or busy[idx][0] >= moved + duration:
                break
            moved = busy[idx][1]
        if moved != start:
            shifts[key] = math.ceil((moved - start).total_seconds())
    return shifts


def resolve(
    candidate: ProgramSpec,
    mode: str,
    existing: Sequence[ProgramSpec],
    nodes: Sequence[NodeSpec],
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    *,
    tz: ZoneInfo,
    holiday_resolver: HolidayResolver | None = None,
) -> Resolution:
    """Apply the officer's ``on_conflict`` choice; return the program to store.

    Raises :class:`ConflictRejected` for ``reject`` when there are conflicts.
    """
    args = {"tz": tz, "holiday_resolver": holiday_resolver}
    if mode == "append":
        shifts = append_shifts(candidate, existing, nodes, now, window, **args)
        program = replace(candidate, on_conflict="append", shifts=shifts)
        return Resolution(program, find_conflicts(program, existing, nodes, now, window, **args))
    if mode == "override":
        program = replace(candidate, on_conflict="override", shifts={})
        left = find_conflicts(program, existing, nodes, now, window, **args)
        return Resolution(program, [c for c in left if c.winner == "other"])
    if mode != "reject":
        raise SchedulingError(
            "Cách xử lý trùng lịch phải là từ chối, ghi đè hoặc nối tiếp",
            f"on_conflict must be reject, override or append, got {mode!r}",
            field="on_conflict",
        )
    program = replace(candidate, on_conflict="reject", shifts={})
    conflicts = find_conflicts(program, existing, nodes, now, window, **args)
    if conflicts:
        raise ConflictRejected(conflicts)
    return Resolution(program)
