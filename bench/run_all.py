"""``make bench``: run every benchmark under bench/ and write one Markdown report.

Each benchmark is a script printing ``name: value unit`` lines (medians and p99s over its own
repeated runs). This collects them, puts each figure next to its target from the issues, adds
the machine's description and writes ``var/bench-report.md``.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^([A-Za-z0-9_.\-/ ]+):\s+([-+0-9.eE]+)\s*(\S*)\s*$")

# Figure name pattern -> target, from the issues.
TARGETS: list[tuple[str, str]] = [
    (r"^plan\.site\.(median|p99)$", "< 1 s (1 site × 50 nodes × 200 programs)"),
    (r"^plan\.province\.(median|p99)$", "< 30 s (100 sites × 5,000 nodes)"),
    (r"^tts\.espeak_300_words", "< 2 s (300-word notice, offline)"),
    (r"^tts\.cache_hit", "< 50 ms"),
    (r"^ingest\.total$", "< 15 s (10-minute MP3)"),
    (r"fanout\.(all|zones)\.p99$", "< 500 ms"),
    (r"^plans_publish\.1000$", "< 5 s (1,000 plans)"),
    (r"^skew_p99$", "< 20 ms"),
    (r"^agent_rss", "< 80 MB"),
]

# Scripts run with extra arguments too: (script, args, label prefixed to figure names).
EXTRA_RUNS: list[tuple[str, list[str], str]] = [("fanout.py", ["--nodes", "5000"], "5000 nodes: ")]


def _target(name: str) -> str:
    bare = name.split(": ", 1)[-1]
    for pattern, target in TARGETS:
        if re.search(pattern, bare):
            return target
    return ""


def _machine() -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.platform()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores{mem}, {system}"


def main(argv: list[str]) -> int:
    extra = [a for a in argv if a.startswith("--")]
    scripts = sorted(p for p in (ROOT / "bench").glob("*.py") if p.name != "run_all.py")
    runs = [(script, [], "") for script in scripts]
    runs += [
        (ROOT / "bench" / name, args, label)
        for name, args, label in EXTRA_RUNS
        if "--quick" not in extra
    ]
    rows: list[tuple[str, str, str, str, str]] = []
    failures = []
    for script, args, label in runs:
        print(f"== {script.name} {' '.join(args)}", flush=True)
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(script), *args, *extra],
            cwd=ROOT,
            text=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        print(proc.stdout, end="")
        if proc.returncode != 0:
            failures.append(f"{script.name} {' '.join(args)}".strip())
            print(proc.stderr[-2000:], file=sys.stderr)
        for line in proc.stdout.splitlines():
            match = LINE.match(line.strip())
            if match:
                name, value, unit = match.groups()
                name = label + name.strip()
                rows.append((script.stem, name, value, unit, _target(name)))
        print(f"   ({time.monotonic() - started:.1f} s)")
    report = ROOT / "var" / "bench-report.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Benchmark report",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on: {_machine()}.",
        "",
        "| bench | figure | value | unit | target |",
        "|---|---|---|---|---|",
        *[f"| {b} | {n} | {v} | {u} | {t} |" for b, n, v, u, t in rows],
    ]
    if failures:
        lines += ["", f"Failed benchmarks: {', '.join(failures)}"]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nReport: {report}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
