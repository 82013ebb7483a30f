"""Tổng quan: live node status, today's timeline and alerts; updates without a reload."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from controller.db.models import Node, PlayEvent, PublishedPlan
from tests.controller.dispatch.commune import SITE, seed_commune
from tests.controller.web.ops_browser import login, shoot
from tests.support.browser import browser_page
from tests.support.live_server import live_server

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _seed(database) -> datetime:  # type: ignore[no-untyped-def]
    seed_commune(database)
    now = datetime.now(UTC)
    today = datetime.now(TZ).replace(hour=6, minute=0, second=0, microsecond=0)
    with database.session() as s:
        a = s.get(Node, "thon-1-a")
        a.online, a.last_seen, a.volume, a.now_playing = True, now, 75, "Bản tin sáng"
        a.clock_offset_ms, a.plan_seq = 12.4, 5
        b = s.get(Node, "thon-1-b")
        b.online, b.last_seen, b.clock_offset_ms, b.plan_seq = True, now, 180.0, 3
        item = {
            "id": "p1",
            "start": today.isoformat(),
            "title": "Bản tin sáng",
            "kind": "clip",
            "media": [{"duration_ms": 900000}],
        }
        s.add(PublishedPlan(node_id="thon-1-a", seq=5, envelope_id="e", digest="d", items=[item]))
        s.add(PublishedPlan(node_id="thon-1-b", seq=5, envelope_id="e", digest="d", items=[item]))
        s.add(
            PlayEvent(
                site_id=SITE,
                node_id="thon-1-a",
                zone_id="thon-1",
                item_id="p0",
                type="failed",
                at=now - timedelta(minutes=1),
                title="Tin phòng dịch",
                detail={"error": "could not fetch http://c/api/v1/media/9/audio: 404"},
            )
        )
    return now


def test_alerts_endpoint_says_what_is_wrong_in_vietnamese(database, api_as) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    texts = [a["text"] for a in api_as("viewer").get("/dashboard/alerts").json["items"]]
    assert "Thôn 2 · Cụm a: chưa từng kết nối" in texts  # thon-2-a never connected
    assert any("thiếu tệp âm thanh «Tin phòng dịch»" in x for x in texts)
    assert "Thôn 1 · Cụm b: đồng hồ lệch 180 ms (quá 100 ms)" in texts
    assert "Thôn 1 · Cụm b: chưa nhận lịch phát mới nhất" in texts
    assert all("Thôn 1 · Cụm a: đồng hồ" not in x for x in texts)


@pytest.mark.browser
def test_dashboard_shows_nodes_and_updates_without_reload(app, database, make_user) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    officer = make_user("officer")
    with live_server(app) as base, browser_page() as page:
        login(page, base, officer)
        row = page.locator('tr[data-node="thon-1-a"]')
        assert row.locator('[data-field="online"]').inner_text() == "Trực tuyến"
        assert row.locator('[data-field="volume"]').inner_text() == "75"
        assert row.locator('[data-field="clock_offset_ms"]').inner_text() == "12 ms"
        assert row.locator('[data-field="plan"]').inner_text() == "Đã cập nhật"
        b_plan = page.locator('tr[data-node="thon-1-b"] [data-field="plan"]')
        assert b_plan.inner_text() == "Chưa cập nhật"
        assert "06:00–06:15" in page.locator(".dash-items").first.inner_text()
        assert page.locator("#dash-alerts li.bad").count() >= 2
        page.evaluate("window.__sameDocument = true")
        target = page.locator('tr[data-node="thon-2-b"] [data-field="online"]')
        assert target.inner_text() == "Mất kết nối"
        with database.session() as s:
            node = s.get(Node, "thon-2-b")
            node.online, node.last_seen, node.volume = True, datetime.now(UTC), 60
        page.wait_for_function(
            "document.querySelector('tr[data-node=\"thon-2-b\"] [data-field=online]')"
            ".textContent === 'Trực tuyến'",
            timeout=15000,
        )
        assert page.evaluate("window.__sameDocument") is True  # no reload happened
        assert page.locator('tr[data-node="thon-2-b"] [data-field="volume"]').inner_text() == "60"
        last_seen = page.locator('tr[data-node="thon-2-b"] [data-field="last_seen"]').inner_text()
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", last_seen), last_seen
        assert last_seen.startswith(datetime.now(TZ).strftime("%d/%m/%Y"))
        assert "Cập nhật lúc" in page.inner_text("#dash-stamp")
        shoot(page, "dashboard")
