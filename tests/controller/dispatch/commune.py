"""Test data and fixtures shared by the dispatch and dispatch-API tests (import what you use)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from controller.db.models import MediaItem, Node, Zone
from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.service import DispatchService

SITE = "xa-binh-yen"  # the default config's site, created by the ``app`` fixture
SHA = "ab" * 32


def seed_commune(database: Any, site: str = SITE) -> dict[str, list[str]]:
    """Two hamlets with two loudspeaker clusters each, and two clips in the library."""
    with database.session() as s:
        for z in ("thon-1", "thon-2"):
            s.add(Zone(id=z, site_id=site, name=f"Thôn {z[-1]}"))
        s.flush()
        for z in ("thon-1", "thon-2"):
            for suffix in ("a", "b"):
                s.add(Node(id=f"{z}-{suffix}", site_id=site, zone_id=z, name=f"Cụm {suffix}"))
        clips = [
            ("Tin bão số 3", "emergency", SHA, 1000, 30000),
            ("Nhạc hiệu", "chime", "cd" * 32, 200, 3000),
        ]
        for title, category, sha, size, duration in clips:
            # Ids come from the database's own sequence (1, then 2), so later inserts work.
            s.add(
                MediaItem(
                    site_id=site,
                    title=title,
                    category=category,
                    sha256=sha,
                    bytes=size,
                    duration_ms=duration,
                    original_sha256=sha,
                )
            )
            s.flush()
    return {"thon-1": ["thon-1-a", "thon-1-b"], "thon-2": ["thon-2-a", "thon-2-b"]}


@pytest.fixture
def commune(database) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return seed_commune(database)


@pytest.fixture
def fake_link() -> FakeLink:
    return FakeLink()


@pytest.fixture
def dispatch(app, fake_link) -> Iterator[DispatchService]:  # type: ignore[no-untyped-def]
    service = DispatchService(app, link=fake_link)
    service.start()
    yield service
    service.stop()
