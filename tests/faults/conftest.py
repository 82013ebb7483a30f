"""Fixtures of the fault tests: a real broker (Mosquitto unless a module overrides ``broker``)
and ``rig``, a whole commune (controller over HTTP + dispatch + clip + agent processes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.config import Config
from controller.dispatch.service import DispatchService
from controller.users import create_token
from tests.faults.rig import NODES, Rig
from tests.support.audio import make_tone
from tests.support.broker import start_mosquitto
from tests.support.live_server import live_server


@pytest.fixture
def broker(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    b = start_mosquitto(tmp_path)
    yield b
    b.stop()


@pytest.fixture
def config(config: Config, broker) -> Config:  # type: ignore[no-untyped-def]
    config.mqtt.host, config.mqtt.port = broker.host, broker.port
    config.dispatch.lead_ms = 3000
    config.quiet_hours.start = config.quiet_hours.end = "00:00"  # phát ngay at any hour of the run
    return config


@pytest.fixture(scope="session")
def clip_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tone(tmp_path_factory.mktemp("clip") / "clip", 1.5, 440)


def _seed(admin) -> None:  # type: ignore[no-untyped-def]
    for zone in sorted(set(NODES.values())):
        r = admin.post("/api/v1/zones", json={"id": zone, "name": f"Thôn {zone[-1]}"})
        assert r.status_code == 201, r.json
    for node, zone in NODES.items():
        r = admin.post("/api/v1/nodes", json={"id": node, "zone": zone, "name": f"Cụm {node}"})
        assert r.status_code == 201, r.json


@pytest.fixture
def rig(  # type: ignore[no-untyped-def]
    app, config, broker, api_as, admin_api, make_user, clip_file, tmp_path, monkeypatch
) -> Iterator[Rig]:
    _seed(admin_api)
    officer = api_as("officer")
    with clip_file.open("rb") as f:
        r = officer.post(
            "/api/v1/media",
            data={"file": (f, "clip.mp3"), "title": "Bản tin thử", "category": "announcement"},
            content_type="multipart/form-data",
        )
    assert r.status_code == 201, r.json
    with app.extensions["tt.db"].session() as session:
        node_token = create_token(session, make_user("node"))
    service = DispatchService(app)
    service.start()
    assert service.link.wait_connected(20), "controller did not connect to the broker"
    with live_server(app) as base_url:
        config.server.public_url = base_url
        rig = Rig(app, broker, service, base_url, officer, node_token, r.json["id"],
                  tmp_path / "nodes", monkeypatch)  # fmt: skip
        try:
            yield rig
        finally:
            rig.stop_agents()
            service.stop()
