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

# Figure name fragment -> target text, from the issues.
TARGETS: dict[str, str] = {
    "plan.site": "< 1 s (1 site × 50 nodes × 200 programs)",
    "plan.province": "< 30 s (100 sites × 5,000 nodes)",
    "tts.espeak": "300-word notice < 2 s offline",
    "tts.cache_hit": "< 50 ms",
    "ingest": "10-min MP3 < 15 s",
    "fanout": "p99 < 500 ms",
    "plans_publish": "1,000 plans < 5 s",
    "sync.skew": "p99 < 20 ms",
    "rss": "agent < 80 MB",
}


def _target(name: str) -> str:
    for fragment, target in TARGETS.items():
        if fragment in name:
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
    rows: list[tuple[str, str, str, str, str]] = []
    failures = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(script), *extra], cwd=ROOT, text=True,
                              capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        print(proc.stdout, end="")
        if proc.returncode != 0:
            failures.append(script.name)
            print(proc.stderr[-2000:], file=sys.stderr)
        for line in proc.stdout.splitlines():
            match = LINE.match(line.strip())
            if match:
                name, value, unit = match.groups()
                rows.append((script.stem, name.strip(), value, unit, _target(name)))
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
