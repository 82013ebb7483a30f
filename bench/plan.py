"""Benchmark of the plan compiler on generated sites.

Prints ``name: value unit`` lines (the format bench/run_all.py collects): the median and p99
wall time to compile one site (``plan.site``: 50 nodes, 200 programs) and a province
(``plan.province``: 100 such sites, 5,000 nodes, one compile per site).

    .venv/bin/python bench/plan.py            # full run
    .venv/bin/python bench/plan.py --quick    # CI smoke: fewer repeats, 10 sites
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from controller.scheduling.compiler import compile_plans  # noqa: E402
from controller.scheduling.quiet_hours import QuietHours  # noqa: E402
from controller.scheduling.types import MediaRef, NodeSpec, ProgramSpec, Schedule  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 2, 4, 5, 0, tzinfo=TZ)
NODES_PER_SITE = 50
ZONES_PER_SITE = 10
PROGRAMS_PER_SITE = 200
HOLIDAY_KEY = "tet-nguyen-dan"
FAKE_TET = {2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26)}


def fake_holiday_date(key: str, year: int) -> date | None:
    return FAKE_TET.get(year) if key == HOLIDAY_KEY else date(year, 9, 2)


def holiday_resolver() -> tuple[Callable[[str, int], date | None], str]:
    """The real holiday calendar when it is importable, else a small stand-in."""
    try:
        from controller.scheduling.holidays import holiday_date

        if holiday_date(HOLIDAY_KEY, 2027) == FAKE_TET[2027]:
            return holiday_date, "controller.scheduling.holidays"
    except Exception:  # noqa: BLE001 - the benchmark must run while that module evolves
        pass
    return fake_holiday_date, "fake"


def _schedule(rng: random.Random) -> dict:
    hhmm = f"{rng.choice([5, 6, 7, 11, 16, 17, 18, 19, 20]):02}:{rng.choice([0, 15, 30, 45]):02}"
    roll = rng.random()
    if roll < 0.40:
        return {"type": "daily", "time": hhmm}
    if roll < 0.65:
        return {"type": "weekly", "days": rng.sample(range(7), rng.randint(1, 4)), "time": hhmm}
    if roll < 0.75:
        return {"type": "cron", "expr": f"{rng.choice([0, 30])} 6-18/{rng.randint(2, 6)} * * 1-5"}
    if roll < 0.80:
        return {"type": "monthly", "day": rng.randint(1, 28), "time": hhmm}
    if roll < 0.90:
        day = NOW + timedelta(hours=rng.randint(0, 48))
        return {"type": "once", "at": f"{day:%Y-%m-%d}T{hhmm}"}
    if roll < 0.95:
        return {
            "type": "holiday",
            "holiday": HOLIDAY_KEY,
            "time": hhmm,
            "offset_days": rng.randint(-3, 0),
        }
    start = rng.choice([5, 11, 17])
    return {"type": "relay", "time": f"{start:02}:00", "end_time": f"{start:02}:45",
            "stream_url": "http://vov.example/vov1"}  # fmt: skip


def make_site(site: int) -> tuple[list[ProgramSpec], list[NodeSpec]]:
    rng = random.Random(site)
    zones = [f"s{site}-thon-{z}" for z in range(ZONES_PER_SITE)]
    nodes = [NodeSpec(f"s{site}-n{n}", zones[n % ZONES_PER_SITE]) for n in range(NODES_PER_SITE)]
    programs = []
    for pid in range(1, PROGRAMS_PER_SITE + 1):
        schedule = Schedule.from_dict(_schedule(rng))
        relay = schedule.type == "relay"
        level = rng.choices(["normal", "priority", "emergency"], [85, 12, 3])[0]
        media = tuple(
            MediaRef(pid * 10 + i, f"http://ctl/m/{pid}-{i}.mp3", f"{pid:064x}", 10**6,
                     rng.randint(30, 300) * 1000)
            for i in range(rng.randint(1, 3))
        )  # fmt: skip
        programs.append(
            ProgramSpec(
                id=site * 1000 + pid,
                title=f"Chương trình {pid}",
                kind="relay" if relay else ("emergency" if level == "emergency" else "clip"),
                media=() if relay else media,
                zones=None
                if rng.random() < 0.3
                else frozenset(rng.sample(zones, rng.randint(1, 3))),
                priority_level=level,
                rank=rng.randint(0, 99),
                volume=rng.randint(50, 100),
                repeat=rng.randint(1, 3),
                repeat_gap_s=rng.choice([0, 10, 30]),
                valid_from=None if rng.random() < 0.7 else date(2027, 1, 1),
                valid_to=None if rng.random() < 0.7 else date(2027, 12, 31),
                schedule=schedule,
            )
        )
    return programs, nodes


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _timed(job: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = clock.perf_counter()
        job()
        times.append(clock.perf_counter() - began)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke: fewer runs, 10 sites")
    parser.add_argument("--horizon-hours", type=int, default=48)
    args = parser.parse_args(argv)
    horizon = timedelta(hours=args.horizon_hours)
    resolver, resolver_name = holiday_resolver()
    quiet = QuietHours(default=(time(22, 0), time(5, 0)))
    sites = [make_site(s) for s in range(10 if args.quick else 100)]

    def one_site():
        return compile_plans(*sites[0], NOW, horizon, TZ, resolver, quiet)

    def all_sites():
        return [compile_plans(p, n, NOW, horizon, TZ, resolver, quiet) for p, n in sites]

    result = one_site()
    single = _timed(one_site, 5 if args.quick else 50)
    many = _timed(all_sites, 1 if args.quick else 5)
    items = sum(len(plan) for plan in result.plans.values()) / len(result.plans)
    province = "plan.province" if len(sites) == 100 else f"plan.province_smoke_{len(sites)}sites"
    print(f"plan.horizon: {args.horizon_hours} h")
    print(f"plan.site.items_per_node: {items:.1f} items")
    print(f"plan.site.drop_records: {len(result.dropped)} records")
    print(f"plan.site.median: {statistics.median(single) * 1000:.1f} ms")
    print(f"plan.site.p99: {_percentile(single, 99) * 1000:.1f} ms")
    print(f"{province}.nodes: {len(sites) * NODES_PER_SITE} nodes")
    print(f"{province}.median: {statistics.median(many):.2f} s")
    print(f"{province}.p99: {_percentile(many, 99):.2f} s")
    print(f"plan.holiday_resolver: {resolver_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
