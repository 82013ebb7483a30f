"""The plan compiler: programs + nodes + a time window -> each node's timeline of plan items.

Pure function, no I/O. Occurrences are computed once per program, placed into each targeted
zone (every node of a zone gets the same plan, so work is per zone, not per node), cut by
quiet hours, then overlaps are resolved strongest-first against a sorted list of accepted
intervals (bisect), so a zone costs O(n log n) plus list inserts instead of O(n²) pair checks.
Every occurrence that is shortened or left out is reported in ``CompiledPlans.dropped``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from controller.scheduling import priorities
from controller.scheduling.quiet_hours import QuietHours
from controller.scheduling.recurrence import HolidayResolver, program_occurrences
from controller.scheduling.types import DropRecord, NodeSpec, PlanItem, ProgramSpec


@dataclass(frozen=True)
class CompiledPlans:
    """Each node's plan (items sorted by start) and every shortened or dropped occurrence."""

    plans: dict[str, tuple[PlanItem, ...]]
    dropped: list[DropRecord]
    now: datetime
    until: datetime


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


class _Occurrence:
    """One occurrence of a program, shared by every zone it targets."""

    __slots__ = ("program", "item_id", "start", "end", "order", "priority", "_item")

    def __init__(self, program: ProgramSpec, key: str, start: datetime, end: datetime) -> None:
        self.program = program
        self.item_id = f"p{program.id}-{key}"
        self.start = start
        self.end = end
        self.priority = priorities.wire_priority(program.priority_level, program.rank)
        strength = priorities.strength(
            program.priority_level, program.rank, program.on_conflict == "override", program.id
        )
        # Ascending sort order puts the strongest first; ties go to the earlier occurrence.
        self.order = (tuple(-part for part in strength), _ms(start))
        self._item: PlanItem | None = None

    def item(self, tz: ZoneInfo, end_ms: int | None = None) -> PlanItem:
        """The plan item, cached when uncut; ``end_ms`` gives a shortened copy."""
        if end_ms is None and self._item is not None:
            return self._item
        p = self.program
        end = self.end if end_ms is None else datetime.fromtimestamp(end_ms / 1000, tz)
        item = PlanItem(
            id=self.item_id,
            program_id=p.id,
            start=self.start,
            end=end,
            priority=self.priority,
            title=p.title,
            kind=p.kind,
            volume=p.volume,
            media=p.media,
            stream_url=p.relay_url if p.kind == "relay" else None,
            repeat=1 if p.kind == "relay" else p.repeat,
            repeat_gap_ms=p.repeat_gap_s * 1000,
        )
        if end_ms is None:
            self._item = item
        return item


@dataclass
class _ZoneContext:
    zone: str
    nodes: tuple[str, ...]
    tz: ZoneInfo
    now_ms: int
    until_ms: int
    titles: dict[int, str]
    dropped: list[DropRecord]
    quiet_label: str

    def record(
        self,
        occ: _Occurrence,
        end_ms: int | None,
        reason: str,
        by: int | None,
    ) -> None:
        """Report a cut or drop, but only for occurrences the plan window is about."""
        if _ms(occ.end) <= self.now_ms or _ms(occ.start) >= self.until_ms:
            return
        new_end = None if end_ms is None else datetime.fromtimestamp(end_ms / 1000, self.tz)
        self.dropped.append(
            DropRecord(
                item_id=occ.item_id,
                program_id=occ.program.id,
                title=occ.program.title,
                zone=self.zone,
                nodes=self.nodes,
                start=occ.start,
                end=occ.end,
                action="dropped" if new_end is None else "shortened",
                reason=reason,
                by_program_id=by,
                new_end=new_end,
                message_vi=self._message(reason, by, new_end),
            )
        )

    def _message(self, reason: str, by: int | None, new_end: datetime | None) -> str:
        if reason == "quiet_hours":
            what = "Không phát" if new_end is None else f"Dừng lúc {new_end:%H:%M}"
            return f"{what}: giờ yên tĩnh ({self.quiet_label}) chỉ phát chương trình khẩn cấp"
        other = f"chương trình #{by} «{self.titles.get(by or 0, '')}»"
        if new_end is None:
            return f"Không phát: trùng giờ với {other} có mức ưu tiên cao hơn"
        return f"Rút ngắn, dừng lúc {new_end:%H:%M}: nhường cho {other} có mức ưu tiên cao hơn"


def _apply_quiet_hours(
    entries: list[tuple[_Occurrence, int, int]],
    quiet: list[tuple[int, int]],
    ctx: _ZoneContext,
) -> list[tuple[_Occurrence, int, int]]:
    """Cut or drop non-emergency entries that reach into quiet hours."""
    if not quiet:
        return entries
    q_starts = [q[0] for q in quiet]
    kept = []
    for occ, start, end in entries:
        if occ.program.is_emergency:
            kept.append((occ, start, end))
            continue
        idx = bisect_right(q_starts, start) - 1
        if idx >= 0 and quiet[idx][1] > start:
            ctx.record(occ, None, "quiet_hours", None)
            continue
        if idx + 1 < len(quiet) and q_starts[idx + 1] < end:
            end = q_starts[idx + 1]
            ctx.record(occ, end, "quiet_hours", None)
        kept.append((occ, start, end))
    return kept


def _resolve_overlaps(
    entries: list[tuple[_Occurrence, int, int]], ctx: _ZoneContext
) -> list[tuple[_Occurrence, int, int]]:
    """Place entries strongest first; a weaker one is cut at the first stronger start or dropped.

    Accepted intervals stay sorted and disjoint, so both ``starts`` and ``ends`` are sorted and
    the entries overlapping a candidate are a contiguous run found with one bisect.
    """
    entries.sort(key=lambda entry: entry[0].order)
    starts: list[int] = []
    ends: list[int] = []
    owners: list[_Occurrence] = []
    for occ, start, end in entries:
        upper = bisect_left(starts, end)
        first = upper
        while first > 0 and ends[first - 1] > start:
            first -= 1
        if first < upper:
            blocker = owners[first]
            if starts[first] <= start:
                ctx.record(occ, None, "preempted", blocker.program.id)
                continue
            end = starts[first]
            ctx.record(occ, end, "preempted", blocker.program.id)
        starts.insert(first, start)
        ends.insert(first, end)
        owners.insert(first, occ)
    return list(zip(owners, starts, ends, strict=True))


def _expand(
    programs: Sequence[ProgramSpec],
    zones: dict[str, list[str]],
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    holiday_resolver: HolidayResolver | None,
) -> dict[str, list[tuple[_Occurrence, int, int]]]:
    """Occurrences of every program, computed once, listed under each zone they target."""
    per_zone: dict[str, list[tuple[_Occurrence, int, int]]] = {zone: [] for zone in zones}
    for program in programs:
        targets = zones.keys() if program.zones is None else program.zones & zones.keys()
        if not targets:
            continue
        for key, begin, finish in program_occurrences(program, tz, start, end, holiday_resolver):
            occ = _Occurrence(program, key, begin, finish)
            entry = (occ, _ms(begin), _ms(finish))
            for zone in targets:
                per_zone[zone].append(entry)
    return per_zone


def compile_plans(
    programs: Sequence[ProgramSpec],
    nodes: Sequence[NodeSpec],
    now: datetime,
    horizon: timedelta,
    tz: ZoneInfo,
    holiday_resolver: HolidayResolver | None,
    quiet_hours: QuietHours,
) -> CompiledPlans:
    """Compile every node's plan for ``[now, now + horizon)``.

    An item in progress at ``now`` stays; items that ended by ``now`` are left out. Overlaps are
    resolved over a margin beyond both ends of the window (the longest occurrence), so an item
    near an edge is cut the same way on every recompile.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(tz)
    until = now + horizon
    margin = max(
        (p.duration() + timedelta(seconds=max(p.shifts.values(), default=0)) for p in programs),
        default=timedelta(0),
    )
    zones: dict[str, list[str]] = {}
    for node in nodes:
        zones.setdefault(node.zone, []).append(node.id)
    per_zone = _expand(programs, zones, tz, now - margin, until + margin, holiday_resolver)
    titles = {p.id: p.title for p in programs}
    dropped: list[DropRecord] = []
    now_ms, until_ms = _ms(now), _ms(until)
    plans: dict[str, tuple[PlanItem, ...]] = {}
    for zone, node_ids in zones.items():
        window = quiet_hours.window_for(zone)
        ctx = _ZoneContext(
            zone, tuple(node_ids), tz, now_ms, until_ms, titles, dropped,
            f"{window[0]:%H:%M}–{window[1]:%H:%M}",
        )  # fmt: skip
        quiet = [
            (_ms(a), _ms(b))
            for a, b in quiet_hours.intervals(zone, tz, now - margin, until + margin)
        ]
        accepted = _resolve_overlaps(_apply_quiet_hours(per_zone[zone], quiet, ctx), ctx)
        items = tuple(
            occ.item(tz, None if end == _ms(occ.end) else end)
            for occ, start, end in accepted
            if end > now_ms and start < until_ms
        )
        for node_id in node_ids:
            plans[node_id] = items
    return CompiledPlans(plans=plans, dropped=dropped, now=now, until=until)
