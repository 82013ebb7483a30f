"""``python -m controller serve`` as a real process with its own config file, for crash tests.

ctl = ControllerProcess.create(tmp_path / "ctl", broker)   # writes config, admin token
ctl.start(); ctl.api("get", "/api/v1/nodes"); ctl.kill9(); ctl.start()
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support.broker import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SITE = "xa-binh-yen"


def _config_text(root: Path, port: int, broker: Any, database_url: str) -> str:
    return f"""
[site]
id = "{SITE}"
name = "Xã Bình Yên"

[server]
host = "127.0.0.1"
port = {port}
public_url = "http://127.0.0.1:{port}"
threads = 4
secret_key_file = "{root / "secret_key"}"

[database]
url = "{database_url}"

[mqtt]
host = "{broker.host}"
port = {broker.port}

[storage]
media_dir = "{root / "media"}"

[signing]
private_key = "{root / "signing_key"}"

[quiet_hours]
# Off (start = end): the test broadcasts at whatever hour it runs.
start = "00:00"
end = "00:00"
"""


@dataclass
class ControllerProcess:
    root: Path
    port: int
    config_path: Path
    token: str = ""
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @classmethod
    def create(cls, root: Path, broker: Any, database_url: str | None = None) -> ControllerProcess:
        root.mkdir(parents=True, exist_ok=True)
        port = free_port()
        url = database_url or f"sqlite:///{root / 'tt.db'}"
        config = root / "controller.toml"
        config.write_text(_config_text(root, port, broker, url))
        ctl = cls(root, port, config)
        ctl.cli("user", "create", "admin", "--role", "admin", "--password-stdin",
                stdin="mat-khau-quan-tri\n")  # fmt: skip
        ctl.token = ctl.cli("token", "create", "admin").strip()
        return ctl

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "controller", "--config", str(self.config_path), *args],
            input=stdin, capture_output=True, text=True, cwd=ROOT, env=self._env(), timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def _env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}

    def start(self, timeout: float = 30.0) -> None:
        log = (self.root / "controller.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "controller", "--config", str(self.config_path), "serve"],
            stdout=log, stderr=log, cwd=ROOT, env=self._env(),
        )  # fmt: skip
        log.close()
        wait_until(self._healthy, timeout, "controller /healthz ok")

    def _healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"controller exited:\n{self.log[-3000:]}")
        try:
            return requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    @property
    def log(self) -> str:
        return (self.root / "controller.log").read_text(errors="replace")

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.base_url}{path}", headers=headers, timeout=30,
                                **kwargs)  # fmt: skip
