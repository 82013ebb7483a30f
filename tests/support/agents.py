"""Launch real agent processes (`python -m broadcast_agents`) with generated TOML configs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class AgentProcess:
    node: str
    root: Path
    proc: subprocess.Popen

    @property
    def sink_dir(self) -> Path:
        return self.root / "out"

    @property
    def log(self) -> str:
        return (self.root / "agent.log").read_text(errors="replace")

    def terminate(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)

    def sidecars(self) -> list[dict]:
        """Sidecars of items whose first sample was played (file sink)."""
        out = []
        for path in sorted(self.sink_dir.glob("*.json")):
            data = json.loads(path.read_text())
            if "first_sample_at" in data:
                out.append(data)
        return out


def write_config(root: Path, *, node: str, zone: str, site: str, broker, public_key: str,
                 base_url: str = "", extra: str = "") -> Path:  # fmt: skip
    root.mkdir(parents=True, exist_ok=True)
    path = root / "agent.toml"
    path.write_text(
        f"""
[node]
id = "{node}"
zone = "{zone}"
site = "{site}"

[mqtt]
host = "{broker.host}"
port = {broker.port}
keepalive = 5
reconnect_min_s = 1
reconnect_max_s = 1

[controller]
public_key = "{public_key}"
base_url = "{base_url}"

[player]
sink = "file:{root / "out"}"
lead_ms = 1500
late_join_ms = 3000

[cache]
dir = "{root / "cache"}"
max_bytes = 50000000

[state]
dir = "{root / "state"}"

[telemetry]
interval_s = 30
{extra}
"""
    )
    return path


def start_agent(root: Path, node: str, **kw) -> AgentProcess:
    config = write_config(root, node=node, **kw)
    log = (root / "agent.log").open("ab")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "broadcast_agents", "--config", str(config), "--log-level", "INFO"],
        stdout=log,
        stderr=log,
        env=env,
        cwd=ROOT,
    )
    log.close()
    return AgentProcess(node, root, proc)
