"""Tests for the plan compiler: examples, invariants on random programs, and TZ independence."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controller.scheduling import priorities
from controller.scheduling.compiler import CompiledPlans, compile_plans
from controller.scheduling.quiet_hours import QuietHours
from controller.scheduling.recurrence import program_occurrences
from controller.scheduling.types import MediaRef, NodeSpec, ProgramSpec, Schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REPO = Path(__file__).resolve().parents[3]
NO_QUIET = QuietHours(default=(time(0, 0), time(0, 0)))


def fake_holidays(key: str, year: int) -> date | None:
    return date(2027, 2, 6) if (key, year) == ("tet", 2027) else None


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def media(seconds: int, n: int = 1) -> MediaRef:
    return MediaRef(n, f"http://ctl/media/{n}.mp3", f"{n:064x}", 1000 * n, seconds * 1000)


def program(pid: int, schedule: dict, **kw: object) -> ProgramSpec:
    fields = {
        "id": pid, "title": f"Chương trình {pid}", "kind": "clip", "media": (media(60),),
        "zones": None, "priority_level": "normal", "rank": 0, "volume": 80, "repeat": 1,
        "repeat_gap_s": 0, "valid_from": None, "valid_to": None,
        "schedule": Schedule.from_dict(schedule),
    }  # fmt: skip
    fields.update(kw)
    return ProgramSpec(**fields)  # type: ignore[arg-type]


NODES = [NodeSpec("a1", "a"), NodeSpec("a2", "a"), NodeSpec("b1", "b")]


MONDAY = at(2027, 1, 4, 0)


def compile_(programs, now=MONDAY, horizon=timedelta(days=1), nodes=NODES, quiet=NO_QUIET):
    return compile_plans(programs, nodes, now, horizon, TZ, fake_holidays, quiet)


def starts(plan) -> list[str]:
    return [item.start.strftime("%d %H:%M") for item in plan]


# --- examples --------------------------------------------------------------------------------


def test_item_wire_shape_matches_the_design() -> None:
    p = program(7, {"type": "daily", "time": "06:00"}, media=(media(30, 1), media(90, 2)))
    item = compile_([p]).plans["a1"][0]
    assert item.to_wire() == {
        "id": "p7-20270104T0600",
        "start": "2027-01-04T06:00:00+07:00",
        "end": "2027-01-04T06:02:00+07:00",
        "priority": 100,
        "title": "Chương trình 7",
        "kind": "clip",
        "volume": 80,
        "media": [
            {"url": "http://ctl/media/1.mp3", "sha256": f"{1:064x}", "bytes": 1000,
             "duration_ms": 30000},
            {"url": "http://ctl/media/2.mp3", "sha256": f"{2:064x}", "bytes": 2000,
             "duration_ms": 90000},
        ],
    }  # fmt: skip


def test_repeats_with_gaps_set_the_length_and_the_wire_blocks() -> None:
    p = program(1, {"type": "daily", "time": "07:00"}, repeat=3, repeat_gap_s=20)
    item = compile_([p]).plans["a1"][0]
    assert item.end - item.start == timedelta(seconds=3 * 60 + 2 * 20)
    wire = item.to_wire()
    assert len(wire["media"]) == 3
    assert (wire["block_size"], wire["block_gap_ms"]) == (1, 20_000)


def test_zones_every_node_of_a_targeted_zone_gets_the_item() -> None:
    p = program(1, {"type": "daily", "time": "07:00"}, zones=frozenset({"a", "ghost"}))
    plans = compile_([p]).plans
    assert starts(plans["a1"]) == starts(plans["a2"]) == ["04 07:00"]
    assert plans["b1"] == ()


def test_higher_level_preempts_and_the_lower_is_shortened_or_dropped() -> None:
    low = program(1, {"type": "daily", "time": "06:00"}, media=(media(600),))
    late_low = program(2, {"type": "daily", "time": "06:03"})
    high = program(3, {"type": "daily", "time": "06:02"}, priority_level="priority")
    result = compile_([low, late_low, high])
    plan = result.plans["b1"]
    assert [(i.program_id, f"{i.start:%H:%M}", f"{i.end:%H:%M}") for i in plan] == [
        (1, "06:00", "06:02"),
        (3, "06:02", "06:03"),
        (2, "06:03", "06:04"),
    ]
    b_records = {(d.program_id, d.action, d.reason, d.by_program_id) for d in result.dropped
                 if d.zone == "b"}  # fmt: skip
    assert b_records == {(1, "shortened", "preempted", 3)}
    shortened = next(d for d in result.dropped if d.zone == "b")
    assert shortened.new_end == at(2027, 1, 4, 6, 2)
    assert shortened.nodes == ("b1",)
    assert "Rút ngắn" in shortened.message_vi


def test_weaker_program_starting_during_a_stronger_one_is_dropped_with_a_record() -> None:
    strong = program(1, {"type": "daily", "time": "06:00"}, media=(media(600),), rank=5)
    weak = program(2, {"type": "daily", "time": "06:05"}, rank=4)
    result = compile_([strong, weak])
    assert [i.program_id for i in result.plans["a1"]] == [1]
    record = next(d for d in result.dropped if d.zone == "a")
    assert (record.item_id, record.action, record.by_program_id) == (
        "p2-20270104T0605",
        "dropped",
        1,
    )
    assert "Không phát" in record.message_vi


def test_tie_goes_to_higher_rank_then_earlier_program() -> None:
    first = program(1, {"type": "daily", "time": "06:00"})
    second = program(2, {"type": "daily", "time": "06:00"})
    assert [i.program_id for i in compile_([second, first]).plans["a1"]] == [1]
    ranked = program(2, {"type": "daily", "time": "06:00"}, rank=1)
    assert [i.program_id for i in compile_([first, ranked]).plans["a1"]] == [2]
    assert compile_([first, ranked]).plans["a1"][0].priority == 101


def test_validity_range_is_inclusive_on_civil_dates() -> None:
    p = program(1, {"type": "daily", "time": "06:00"},
                valid_from=date(2027, 1, 5), valid_to=date(2027, 1, 7))  # fmt: skip
    plan = compile_([p], horizon=timedelta(days=7)).plans["a1"]
    assert starts(plan) == ["05 06:00", "06 06:00", "07 06:00"]


def test_item_in_progress_stays_and_finished_items_go() -> None:
    p = program(1, {"type": "cron", "expr": "0,30 6 * * *"}, media=(media(20 * 60),))
    plan = compile_([p], now=at(2027, 1, 4, 6, 35)).plans["a1"]
    assert starts(plan)[:2] == ["04 06:30", "05 06:00"]
    assert plan[0].end == at(2027, 1, 4, 6, 50)


def test_quiet_hours_drop_and_cut_non_emergency_but_not_emergency() -> None:
    quiet = QuietHours(per_zone={"b": (time(21, 0), time(6, 0))})
    clip = program(1, {"type": "daily", "time": "21:58"}, media=(media(300),))
    night = program(2, {"type": "daily", "time": "23:00"})
    alarm = program(3, {"type": "daily", "time": "23:30"}, kind="emergency",
                    priority_level="emergency")  # fmt: skip
    result = compile_([clip, night, alarm], quiet=quiet)
    a_plan = result.plans["a1"]
    assert [(i.program_id, i.end.strftime("%H:%M")) for i in a_plan] == [(1, "22:00"), (3, "23:31")]
    assert [i.program_id for i in result.plans["b1"]] == [3]
    reasons = sorted((d.zone, d.program_id, d.action) for d in result.dropped)
    assert reasons == [("a", 1, "shortened"), ("a", 2, "dropped"), ("b", 1, "dropped"),
                       ("b", 2, "dropped")]  # fmt: skip
    assert all(d.reason == "quiet_hours" for d in result.dropped)
    assert (
        "giờ yên tĩnh (21:00–06:00)" in next(d for d in result.dropped if d.zone == "b").message_vi
    )


def test_relay_window_item_carries_the_stream_and_end() -> None:
    relay = program(
        9,
        {"type": "relay", "time": "05:30", "end_time": "06:15", "days": [0]},
        kind="relay", media=(), stream_url="http://vov.example/vov1",
    )  # fmt: skip
    plan = compile_([relay], horizon=timedelta(days=7)).plans["a1"]
    assert len(plan) == 1
    wire = plan[0].to_wire()
    assert (wire["start"], wire["end"]) == (
        "2027-01-04T05:30:00+07:00",
        "2027-01-04T06:15:00+07:00",
    )
    assert wire["stream_url"] == "http://vov.example/vov1"
    assert wire["kind"] == "relay" and wire["media"] == []


def test_holiday_greeting_on_tet_eve() -> None:
    greeting = program(4, {"type": "holiday", "holiday": "tet", "time": "20:00", "offset_days": -1},
                       kind="greeting")  # fmt: skip
    plan = compile_([greeting], now=at(2027, 2, 5, 8)).plans["b1"]
    assert [i.to_wire()["start"] for i in plan] == ["2027-02-05T20:00:00+07:00"]
    assert plan[0].id == "p4-20270205T2000"


def test_ids_are_stable_across_recompiles_and_input_order() -> None:
    programs = [program(i, {"type": "cron", "expr": f"{i * 7 % 60} */3 * * *"},
                        rank=i % 3) for i in range(1, 12)]  # fmt: skip
    first = compile_(programs, now=at(2027, 1, 4, 0), horizon=timedelta(hours=48))
    later = compile_(list(reversed(programs)), now=at(2027, 1, 4, 5),
                     horizon=timedelta(hours=48), nodes=list(reversed(NODES)))  # fmt: skip
    overlap_first = {i.id: i for i in first.plans["a1"] if i.start >= at(2027, 1, 4, 5)}
    overlap_later = {i.id: i for i in later.plans["a1"] if i.start < first.until}
    assert overlap_first == overlap_later
    assert overlap_first


def test_override_program_beats_its_own_level_but_not_a_higher_one() -> None:
    old = program(1, {"type": "daily", "time": "06:00"}, rank=50)
    new = program(2, {"type": "daily", "time": "06:00"}, on_conflict="override")
    assert [i.program_id for i in compile_([old, new]).plans["a1"]] == [2]
    boss = program(3, {"type": "daily", "time": "06:00"}, priority_level="priority")
    assert [i.program_id for i in compile_([old, new, boss]).plans["a1"]] == [3]


def test_append_shift_moves_the_occurrence_and_keeps_the_id() -> None:
    shifted = program(2, {"type": "daily", "time": "06:00"}, shifts={"20270104T0600": 60})
    other = program(1, {"type": "daily", "time": "06:00"})
    plan = compile_([other, shifted]).plans["a1"]
    assert [(i.id, i.start.strftime("%H:%M")) for i in plan] == [
        ("p1-20270104T0600", "06:00"), ("p2-20270104T0600", "06:01")]  # fmt: skip


# --- properties on random programs -----------------------------------------------------------

ZONES = ("a", "b", "c")
LEVELS = tuple(priorities.LEVELS)


@st.composite
def schedules(draw: st.DrawFn) -> dict:
    hour = draw(st.sampled_from([5, 6, 7, 21, 22, 23]))
    minute = draw(st.sampled_from([0, 1, 5, 30, 59]))
    hhmm = f"{hour:02}:{minute:02}"
    kind = draw(st.sampled_from(["daily", "weekly", "once", "cron", "relay", "holiday"]))
    if kind == "weekly":
        return {"type": "weekly", "days": draw(st.lists(st.integers(0, 6), min_size=1)),
                "time": hhmm}  # fmt: skip
    if kind == "once":
        day = draw(st.integers(3, 6))
        return {"type": "once", "at": f"2027-01-0{day}T{hhmm}"}
    if kind == "cron":
        return {"type": "cron", "expr": f"{minute} {hour},{(hour + 1) % 24} * * *"}
    if kind == "relay":
        length = draw(st.sampled_from([10, 45, 120]))
        end = (hour * 60 + minute + length) % 1440
        return {"type": "relay", "time": hhmm, "end_time": f"{end // 60:02}:{end % 60:02}",
                "stream_url": "http://relay/x"}  # fmt: skip
    if kind == "holiday":
        return {"type": "holiday", "holiday": "tet", "time": hhmm, "offset_days": -33}
    return {"type": "daily", "time": hhmm}


@st.composite
def programs(draw: st.DrawFn) -> list[ProgramSpec]:
    count = draw(st.integers(1, 14))
    out = []
    for pid in range(1, count + 1):
        sched = draw(schedules())
        level = draw(st.sampled_from(LEVELS))
        relay = sched["type"] == "relay"
        kind = "relay" if relay else ("emergency" if level == "emergency" else "clip")
        zones = draw(st.none() | st.frozensets(st.sampled_from(ZONES), min_size=1))
        seconds = draw(st.lists(st.sampled_from([5, 45, 300, 1800]), min_size=1, max_size=3))
        shifts = {}
        if draw(st.booleans()) and sched["type"] == "daily":
            hh, mm = sched["time"].split(":")
            shifts = {f"20270104T{hh}{mm}": draw(st.sampled_from([30, 600]))}
        out.append(
            program(
                pid, sched, kind=kind, zones=zones, priority_level=level,
                rank=draw(st.integers(0, 3)),
                media=() if relay else tuple(media(s, i) for i, s in enumerate(seconds, 1)),
                stream_url="http://relay/x" if relay else None,
                repeat=draw(st.integers(1, 3)), repeat_gap_s=draw(st.sampled_from([0, 30])),
                on_conflict=draw(st.sampled_from(["reject", "override"])), shifts=shifts,
                valid_to=draw(st.sampled_from([None, date(2027, 1, 4)])),
            )
        )  # fmt: skip
    return out


nodes_strategy = st.lists(st.sampled_from(ZONES), min_size=1, max_size=5).map(
    lambda zones: [NodeSpec(f"n{i}", zone) for i, zone in enumerate(zones)]
)
quiet_strategy = st.sampled_from(
    [
        NO_QUIET,
        QuietHours(),
        QuietHours(per_zone={"a": (time(23, 0), time(4, 0)), "c": (time(0, 0), time(0, 0))}),
    ]
)
now_strategy = st.integers(0, 3 * 24 * 60).map(lambda m: at(2027, 1, 3) + timedelta(minutes=m))


def strength(p: ProgramSpec) -> tuple:
    return priorities.strength(p.priority_level, p.rank, p.on_conflict == "override", p.id)


def check_invariants(result: CompiledPlans, progs, nodes, quiet, now: datetime) -> None:
    by_id = {p.id: p for p in progs}
    zone_of = {n.id: n.zone for n in nodes}
    for node_id, plan in result.plans.items():
        # No two items overlap on a node; all are inside the window and in their zone's scope.
        for before, after in zip(plan, plan[1:], strict=False):
            assert before.end <= after.start, (node_id, before, after)
        for item in plan:
            assert item.end > now and item.start < result.until and item.start < item.end
            targets = by_id[item.program_id].zones
            assert targets is None or zone_of[node_id] in targets
            if not by_id[item.program_id].is_emergency:
                for q_start, q_end in quiet.intervals(zone_of[node_id], TZ, item.start, item.end):
                    assert not (q_start < item.end and q_end > item.start)
    # Higher priority never loses to lower.
    for record in result.dropped:
        if record.reason == "preempted" and record.by_program_id != record.program_id:
            assert strength(by_id[record.by_program_id]) > strength(by_id[record.program_id])
    # Every occurrence in the window appears (maybe shortened) or has a drop record.
    records = {(d.zone, d.item_id): d for d in result.dropped if d.action == "dropped"}
    cuts = {(d.zone, d.item_id): d.new_end for d in result.dropped if d.action == "shortened"}
    for p in progs:
        for key, start, end in program_occurrences(p, TZ, now, result.until, fake_holidays):
            if start >= result.until:
                continue
            item_id = f"p{p.id}-{key}"
            for node in nodes:
                if p.zones is not None and node.zone not in p.zones:
                    continue
                found = [i for i in result.plans[node.id] if i.id == item_id]
                if not found:
                    # Dropped, or cut so short that it is over by ``now``.
                    cut_to = cuts.get((node.zone, item_id))
                    assert (node.zone, item_id) in records or (cut_to and cut_to <= now)
                    continue
                assert found[0].start == start
                if found[0].end != end:
                    assert found[0].end < end and (node.zone, item_id) in cuts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(progs=programs(), nodes=nodes_strategy, quiet=quiet_strategy, now=now_strategy,
       hours=st.integers(1, 72))  # fmt: skip
def test_invariants_hold_for_random_programs(progs, nodes, quiet, now, hours) -> None:
    result = compile_plans(progs, nodes, now, timedelta(hours=hours), TZ, fake_holidays, quiet)
    assert set(result.plans) == {n.id for n in nodes}
    check_invariants(result, progs, nodes, quiet, now)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(progs=programs(), nodes=nodes_strategy, now=now_strategy, seed=st.integers(0, 1000))
def test_output_does_not_depend_on_input_order(progs, nodes, now, seed) -> None:
    first = compile_plans(progs, nodes, now, timedelta(days=1), TZ, fake_holidays, QuietHours())
    shuffled_progs, shuffled_nodes = list(progs), list(nodes)
    random.Random(seed).shuffle(shuffled_progs)
    random.Random(seed).shuffle(shuffled_nodes)
    second = compile_plans(
        shuffled_progs, shuffled_nodes, now, timedelta(days=1), TZ, fake_holidays, QuietHours()
    )
    assert second.plans == first.plans

    def key(d):
        return (d.zone, d.item_id, d.action, d.reason)

    assert sorted(map(key, second.dropped)) == sorted(map(key, first.dropped))


# --- the server's time zone does not matter ---------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import json, random, time as _time
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo
    from controller.scheduling.compiler import compile_plans
    from controller.scheduling.quiet_hours import QuietHours
    from controller.scheduling.types import MediaRef, NodeSpec, ProgramSpec, Schedule

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    rng = random.Random(7)
    kinds = [
        {"type": "daily", "time": "06:00"}, {"type": "weekly", "days": [0, 3], "time": "17:30"},
        {"type": "cron", "expr": "15 5-8 * * 1-5"}, {"type": "once", "at": "2027-02-05T19:00"},
        {"type": "holiday", "holiday": "tet", "time": "20:00", "offset_days": -1},
        {"type": "monthly", "day": 5, "time": "21:50"},
    ]
    progs = [
        ProgramSpec(i, f"P{i}", "clip", (MediaRef(i, "u", "s", 1, rng.choice([30, 600]) * 1000),),
                    rng.choice([None, frozenset({"a"})]), rng.choice(["normal", "priority"]),
                    rng.randint(0, 5), 70, rng.randint(1, 2), 10, None, None,
                    Schedule.from_dict(rng.choice(kinds)))
        for i in range(1, 40)
    ]
    nodes = [NodeSpec("n1", "a"), NodeSpec("n2", "b")]
    holidays = lambda key, year: date(2027, 2, 6) if year == 2027 else None
    now = datetime(2027, 2, 4, 23, 0, tzinfo=ZoneInfo("UTC"))
    result = compile_plans(progs, nodes, now, timedelta(days=3), tz, holidays, QuietHours())
    print(json.dumps({
        "local_tz": _time.tzname,
        "plans": {n: [i.to_wire() for i in items] for n, items in sorted(result.plans.items())},
        "dropped": sorted([d.item_id, d.zone, d.action, d.reason, d.message_vi]
                          for d in result.dropped),
    }, ensure_ascii=False, sort_keys=True))
    """
)


def test_results_are_identical_whatever_the_server_time_zone() -> None:
    outputs = {}
    for zone in ("UTC", "America/New_York", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"):
        env = {**os.environ, "TZ": zone}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
        outputs[zone] = json.loads(done.stdout)
    local_names = {tuple(o.pop("local_tz")) for o in outputs.values()}
    assert len(local_names) == 4  # the children really ran under different zones
    reference = outputs["UTC"]
    assert sum(len(items) for items in reference["plans"].values()) > 10
    assert reference["dropped"]
    for zone, output in outputs.items():
        assert output == reference, zone
    starts_seen = {i["start"][-6:] for items in reference["plans"].values() for i in items}
    assert starts_seen == {"+07:00"}


def test_one_site_of_50_nodes_and_200_programs_compiles_well_under_a_second() -> None:
    import time as clock

    rng = random.Random(3)
    zones = [f"thon-{z}" for z in range(10)]
    nodes = [NodeSpec(f"n{n}", zones[n % 10]) for n in range(50)]
    progs = [
        program(
            pid,
            rng.choice([
                {"type": "daily", "time": f"{rng.choice([6, 11, 17]):02}:{rng.choice([0, 30]):02}"},
                {"type": "weekly", "days": [rng.randint(0, 6)], "time": "06:15"},
                {"type": "cron", "expr": "0 6-18/3 * * 1-5"},
            ]),
            zones=None if rng.random() < 0.3 else frozenset(rng.sample(zones, 2)),
            rank=rng.randint(0, 99),
            media=(media(rng.randint(30, 300)),),
        )
        for pid in range(1, 201)
    ]  # fmt: skip
    began = clock.perf_counter()
    result = compile_plans(progs, nodes, MONDAY, timedelta(hours=48), TZ, fake_holidays,
                           QuietHours())  # fmt: skip
    elapsed = clock.perf_counter() - began
    assert all(result.plans[n.id] for n in nodes)
    assert elapsed < 1.0, elapsed
