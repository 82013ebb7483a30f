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
        a.online, a.last_seen, a.volume, a.now_playing = True, now, 75, "p1"  # the item id
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


def test_a_node_is_reported_offline_at_once_with_the_time(database, api_as) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    two_minutes_ago = datetime.now(UTC) - timedelta(minutes=2)
    with database.session() as s:
        node = s.get(Node, "thon-1-a")
        node.online, node.last_seen = False, two_minutes_ago
    answer = api_as("viewer").get("/dashboard/alerts").json
    since = two_minutes_ago.astimezone(TZ).strftime("%H:%M")
    if two_minutes_ago.astimezone(TZ).date() != datetime.now(TZ).date():
        since += two_minutes_ago.astimezone(TZ).strftime(" ngày %d/%m/%Y")  # just past midnight
    assert {"level": "warn", "text": f"Thôn 1 · Cụm a: mất kết nối từ {since}"} in answer["items"]


def test_a_refused_plan_is_an_alert(database, api_as) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    at = datetime.now(UTC).replace(second=0, microsecond=0)
    with database.session() as s:
        s.add(
            PlayEvent(
                site_id=SITE,
                node_id="thon-1-b",
                zone_id="thon-1",
                item_id="env-7",
                type="rejected",
                at=at,
                detail={"reason": "bad_signature", "message": "signature mismatch", "topic": "x"},
            )
        )
    texts = [a["text"] for a in api_as("viewer").get("/dashboard/alerts").json["items"]]
    local = at.astimezone(TZ).strftime("%H:%M")
    assert (
        f"Thôn 1 · Cụm b: từ chối lệnh hoặc lịch phát lúc {local} "
        "(sai chữ ký số: kiểm tra khóa ký của hệ thống)"
    ) in texts


def test_now_playing_is_the_title_not_the_item_id(database, api_as) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    with database.session() as s:
        s.get(Node, "thon-1-b").now_playing = "bc-khong-ro"  # nothing known about this id
    viewer = api_as("viewer")
    assert viewer.get("/dashboard/alerts").json["now_playing"] == {
        "thon-1-a": "Bản tin sáng",
        "thon-1-b": "Nội dung chưa rõ tên",
    }
    page = viewer.get("/", headers={"Accept": "text/html"}).text
    row = page[page.index('data-node="thon-1-a"') :]
    row = row[: row.index("</tr>")]
    assert ">Bản tin sáng</td>" in row and ">p1<" not in row


@pytest.mark.browser
def test_dashboard_shows_nodes_and_updates_without_reload(app, database, make_user) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    officer = make_user("officer")
    with live_server(app) as base, browser_page() as page:
        login(page, base, officer)
        row = page.locator('tr[data-node="thon-1-a"]')
        assert row.locator('[data-field="online"]').inner_text() == "Trực tuyến"
        assert row.locator('[data-field="now_playing"]').inner_text() == "Bản tin sáng"
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
        playing = page.locator('tr[data-node="thon-1-a"] [data-field="now_playing"]')
        assert playing.inner_text() == "Bản tin sáng"  # the poll keeps the title, not "p1"
        widths = page.evaluate(
            "[...document.querySelectorAll('table.dash-nodes')].map("
            "t => [...t.querySelectorAll('thead th')].map(th => Math.round(th.offsetWidth)))"
        )
        assert len(widths) == 2 and widths[0] == widths[1]  # the thôn tables line up
        last_seen = page.locator('tr[data-node="thon-2-b"] [data-field="last_seen"]').inner_text()
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", last_seen), last_seen
        assert last_seen.startswith(datetime.now(TZ).strftime("%d/%m/%Y"))
        assert "Cập nhật lúc" in page.inner_text("#dash-stamp")
        shoot(page, "dashboard")
