"""Fixtures of the dispatch tests: a seeded commune, a dispatch service on a FakeLink, a broker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.controller.dispatch.commune import commune, dispatch, fake_link  # noqa: F401
from tests.support.broker import Broker, start_mosquitto


@pytest.fixture
def broker(tmp_path) -> Iterator[Broker]:  # type: ignore[no-untyped-def]
    b = start_mosquitto(tmp_path)
    yield b
    b.stop()
