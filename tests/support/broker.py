"""A real Mosquitto broker on a free 127.0.0.1 port, configured under a test's tmp dir.

broker = start_mosquitto(tmp_path)          # -> Broker(host, port, stop(), start())
broker.stop(); broker.start()               # same port, persistent sessions survive
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.waiting import wait_until

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> None:
    """Block until a TCP connect succeeds (the broker is listening) or raise TimeoutError."""

    def listening() -> bool:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            return False

    wait_until(listening, timeout, f"something listening on {host}:{port}")


@dataclass
class Broker:
    host: str
    port: int
    config_path: Path
    log_path: Path
    _proc: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> Broker:
        if self._proc is not None and self._proc.poll() is None:
            return self
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.config_path)], stdout=log, stderr=log
        )
        log.close()
        try:
            wait_for_port(self.host, self.port)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"mosquitto did not start:\n{self.log_path.read_text()}") from None
        return self

    def stop(self) -> None:
        """SIGTERM (mosquitto saves its persistence file) and wait."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


def start_mosquitto(tmp_path: Path, config_extra: str = "") -> Broker:
    """Start mosquitto with anonymous access and persistence under tmp_path/mosquitto."""
    root = Path(tmp_path) / "mosquitto"
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = root / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\n"
        "allow_anonymous true\n"
        "persistence true\n"
        f"persistence_location {root}/\n"
        "autosave_interval 1\n"
        "max_queued_messages 10000\n"
        # Started as root, mosquitto would drop to the `mosquitto` user, which cannot write
        # its persistence file here: sessions and retained messages would not survive a restart.
        f"{'user root' if os.geteuid() == 0 else ''}\n"
        f"{config_extra}\n"
    )
    return Broker("127.0.0.1", port, config, root / "mosquitto.log").start()
