"""Fixtures for agent tests: a real broker, a media server, a signing fake controller."""

from __future__ import annotations

import pytest

from broadcast_agents.protocol import public_key_b64
from tests.support.broker import start_mosquitto
from tests.support.media_server import start_media_server
from tests.support.mqtt_client import FakeController

SITE = "xa-test"


@pytest.fixture
def broker(tmp_path):
    b = start_mosquitto(tmp_path)
    yield b
    b.stop()


@pytest.fixture
def media_dir(tmp_path):
    d = tmp_path / "media"
    d.mkdir()
    return d


@pytest.fixture
def media_server(media_dir):
    server = start_media_server(media_dir)
    yield server
    server.stop()


@pytest.fixture
def controller(broker):
    c = FakeController(broker, SITE)
    yield c
    c.close()


@pytest.fixture
def public_key(controller):
    return public_key_b64(controller.key)
