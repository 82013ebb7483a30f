"""Phát ngay / Khẩn cấp in a real browser, with a real broker and a real node agent: confirm in a
dialog, then watch the loudspeaker acknowledge and play; stop everything; emergency dialog."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.db.models import Node, Zone
from controller.dispatch.keys import public_key_b64
from controller.dispatch.service import DispatchService
from controller.users import create_token
from tests.controller.web.ops_browser import login, shoot
from tests.support.agents import AgentProcess, start_agent
from tests.support.audio import make_tone
from tests.support.broker import Broker, start_mosquitto
from tests.support.browser import browser_page
from tests.support.live_server import live_server
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser
SITE = "xa-binh-yen"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = start_mosquitto(tmp_path)
    yield b
    b.stop()


@pytest.fixture
def dispatch(app, broker) -> Iterator[DispatchService]:  # type: ignore[no-untyped-def]
    cfg = app.extensions["tt.config"]
    cfg.mqtt.host, cfg.mqtt.port = broker.host, broker.port
    service = DispatchService(app)
    service.start()
    assert service.link.wait_connected(10)
    yield service
    service.stop()


def _seed(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        s.add_all(
            [
                Zone(id="thon-dong", site_id=SITE, name="Thôn Đông"),
                Zone(id="thon-trung", site_id=SITE, name="Thôn Trung"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Node(id="dong-a", site_id=SITE, zone_id="thon-dong", name="Cụm loa chợ"),
                Node(id="dong-b", site_id=SITE, zone_id="thon-dong", name="Cụm loa trường"),
                Node(id="trung-a", site_id=SITE, zone_id="thon-trung", name="Cụm loa đình"),
            ]
        )


def _upload_tone(api, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def]
    tone = make_tone(tmp_path / "tone", 2.0, fmt="wav")
    data = {
        "title": "Thông báo lịch tiêm",
        "category": "announcement",
        "file": (io.BytesIO(tone.read_bytes()), "tone.wav"),
    }
    r = api.post("/api/v1/media", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.json
    return r.json


def _agent(app, database, dispatch, broker, base, make_user, tmp_path, monkeypatch) -> AgentProcess:  # type: ignore[no-untyped-def]
    with database.session() as s:
        token = create_token(s, make_user("node"))
    monkeypatch.setenv("TT_CONTROLLER_TOKEN", token)  # media downloads need a node token
    agent = start_agent(
        tmp_path / "agent",
        "dong-a",
        zone="thon-dong",
        site=SITE,
        broker=broker,
        public_key=public_key_b64(dispatch.key),
        base_url=base,
    )

    def online() -> bool:
        with database.session() as s:
            return bool(s.get(Node, "dong-a").online)

    wait_until(online, timeout=20, what="agent online")
    return agent


def test_broadcast_now_reaches_a_real_agent_and_shows_live_acks(  # type: ignore[no-untyped-def]
    app, database, dispatch, broker, make_user, api_as, tmp_path, monkeypatch
) -> None:
    _seed(database)
    app.extensions["tt.config"].quiet_hours.start = "00:00"  # quiet hours off: any hour
    app.extensions["tt.config"].quiet_hours.end = "00:00"
    media = _upload_tone(api_as("officer"), tmp_path)
    officer = make_user("officer")
    with live_server(app) as base, browser_page() as page:
        app.extensions["tt.config"].server.public_url = base  # where the agent downloads media
        agent = _agent(app, database, dispatch, broker, base, make_user, tmp_path, monkeypatch)
        try:
            login(page, base, officer, "/broadcast")
            page.click("#bc-now-form button[type=submit]")
            assert page.inner_text("#bc-now-form [data-msg]") == "Hãy chọn ít nhất một nơi phát."
            page.check('input[name="zone"][value="thon-dong"]')
            page.check('input[name="zone"][value="thon-trung"]')
            page.click("#bc-now-form button[type=submit]")
            assert page.inner_text("#bc-now-form [data-msg]") == "Hãy chọn tệp âm thanh."
            page.select_option("#bc-media", str(media["id"]))
            page.click("#bc-now-form button[type=submit]")
            dialog = page.locator("#bc-dialog")
            dialog.wait_for(state="visible")
            text = page.inner_text("#bc-dialog-text")
            assert re.fullmatch(
                r"Phát «Thông báo lịch tiêm» tới Thôn Đông, Thôn Trung lúc \d\d:\d\d:\d\d "
                r"\(khoảng 3 giây\)\.",
                text,
            ), text
            shoot(page, "broadcast-confirm")
            page.click("#bc-dialog-yes")
            row = page.locator('#bc-status tr[data-node="dong-a"]')
            row.wait_for(timeout=10000)
            page.wait_for_selector(
                '#bc-status tr[data-node="dong-a"][data-state="finished"]', timeout=30000
            )
            assert row.locator("td").nth(1).inner_text() == "Đã phát xong"
            silent = page.locator('#bc-status tr[data-node="trung-a"] td').nth(1)
            assert silent.inner_text() == "Chờ phản hồi"
            summary = page.inner_text("#bc-status-summary")
            assert summary.startswith("1/3 cụm loa đã nhận") and "1 đã phát xong" in summary
            broadcast_id = page.get_attribute("#bc-status-card", "data-broadcast")
            [played] = agent.sidecars()
            assert played["item"] == broadcast_id
            assert played["samples"] >= 1.9 * played["sample_rate"]  # the whole 2 s tone
            shoot(page, "broadcast")

            page.click("#bc-stop-form button[type=submit]")
            assert "Dừng mọi nội dung đang phát" in page.inner_text("#bc-dialog-text")
            page.click("#bc-dialog-yes")
            page.wait_for_selector(
                '#bc-status tr[data-node="dong-a"][data-state="stopped"]', timeout=15000
            )
            assert "Đã dừng" in page.inner_text('#bc-status tr[data-node="dong-a"]')

            page.select_option("#bce-media", str(media["id"]))
            page.click("#bc-emergency-form button[type=submit]")
            em_text = page.inner_text("#bc-dialog-text")
            assert em_text.startswith("PHÁT KHẨN CẤP «Thông báo lịch tiêm» tới tất cả cụm loa")
            page.click("#bc-dialog-no")  # going back sends nothing
            assert not dialog.is_visible()
        finally:
            assert agent.terminate() == 0, agent.log
