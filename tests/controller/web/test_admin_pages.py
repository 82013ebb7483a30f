"""Quản trị in a real browser: people and roles, hamlets and loudspeakers, node credentials shown
once (and accepted by a real Mosquitto), the public key and the settings."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select

from broadcast_agents.config import config_from_dict
from controller.db.models import AuditLog, Node, User, Zone
from controller.dispatch.keys import public_key_b64
from controller.web import admin_credentials as creds
from tests.controller.web.ops_browser import login, shoot
from tests.support.broker import start_mosquitto
from tests.support.browser import browser_page
from tests.support.live_server import live_server


def _connects(broker, username: str, password: str) -> bool:  # type: ignore[no-untyped-def]
    done, result = threading.Event(), {}
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-{username}")
    client.username_pw_set(username, password)

    def on_connect(c, userdata, flags, reason, props) -> None:  # type: ignore[no-untyped-def]
        result["ok"] = not reason.is_failure
        done.set()

    client.on_connect = on_connect
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        assert done.wait(10), "no CONNACK"
        return result["ok"]
    finally:
        client.disconnect()
        client.loop_stop()


def test_pending_password_line_is_what_mosquitto_needs(tmp_path: Path) -> None:
    pending = tmp_path / "var" / "passwd.pending"
    creds.put_pending_line(pending, "other", creds.broker_hash_line("other", "x" * 20))
    password = creds.new_password()
    creds.put_pending_line(pending, "dong-a", creds.broker_hash_line("dong-a", "old-password-1"))
    creds.put_pending_line(pending, "dong-a", creds.broker_hash_line("dong-a", password))
    lines = pending.read_text().splitlines()
    assert [line.split(":")[0] for line in lines] == ["other", "dong-a"]
    assert password not in pending.read_text() and lines[1].startswith("dong-a:$7$")
    assert pending.stat().st_mode & 0o777 == 0o600
    broker = start_mosquitto(tmp_path, f"password_file {pending}\nallow_anonymous false")
    try:
        assert _connects(broker, "dong-a", password)
        assert not _connects(broker, "dong-a", "old-password-1")
    finally:
        broker.stop()


@pytest.mark.browser
def test_admin_manages_users_zones_and_nodes(app, database, make_user, config) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    with live_server(app) as base, browser_page() as page:
        login(page, base, admin, "/admin")
        # a person
        page.fill("#nu-username", "can-bo-moi")
        page.fill("#nu-full-name", "Nguyễn Thị Hoa")
        page.fill("#nu-password", "ngan")
        page.click("#adm-user-form button[type=submit]")
        assert "cần ít nhất" in page.inner_text("#adm-user-form [data-msg]")
        page.fill("#nu-password", "mat-khau-du-dai-1")
        page.click("#adm-user-form button[type=submit]")
        page.wait_for_selector("#adm-flash:has-text('Đã thêm người dùng can-bo-moi.')")
        row = page.locator('#adm-user-table tr[data-username="can-bo-moi"]')
        assert "Nguyễn Thị Hoa" in row.inner_text()
        row.locator("select").select_option("approver")
        page.wait_for_selector("#adm-flash:has-text('Đã đổi vai trò của can-bo-moi.')")
        row.locator('button[data-action="toggle"]').click()
        page.wait_for_selector("#adm-flash:has-text('Đã lưu.')")
        assert "Đã khóa" in page.locator('tr[data-username="can-bo-moi"]').inner_text()
        with database.session() as s:
            user = s.scalars(select(User).where(User.username == "can-bo-moi")).one()
            assert user.role == "approver" and user.active is False

        # a hamlet, then a loudspeaker with its credentials
        page.fill("#nz-id", "Thôn Đông")
        page.fill("#nz-name", "Thôn Đông")
        page.click("#adm-zone-form button[type=submit]")
        assert "chữ thường không dấu" in page.inner_text("#adm-zone-form [data-msg]")
        page.fill("#nz-id", "thon-dong")
        page.fill("#nz-quiet-start", "9h")
        page.click("#adm-zone-form button[type=submit]")
        assert "giờ:phút theo 24 giờ" in page.inner_text("#adm-zone-form [data-msg]")
        page.fill("#nz-quiet-start", "21:30")
        page.fill("#nz-quiet-end", "05:30")
        page.click("#adm-zone-form button[type=submit]")
        page.wait_for_selector('#adm-zone-table tr[data-zone="thon-dong"]')
        page.fill("#nn-id", "dong-a")
        page.fill("#nn-name", "Cụm loa chợ")
        page.select_option("#nn-zone", "thon-dong")
        page.click("#adm-node-form button[type=submit]")
        page.wait_for_selector("#adm-creds[open]")
        password = page.inner_text("#cr-password")
        token = page.inner_text("#cr-token")
        snippet = page.input_value("#cr-config")
        assert len(password) >= 24 and "Chỉ hiện MỘT LẦN" in page.inner_text("#adm-creds")
        shoot(page, "admin-credentials")
        page.click("#adm-creds button.primary")
        page.wait_for_selector('#adm-node-table tr[data-node="dong-a"]')
        assert password not in page.content() and token not in page.content()  # shown once
        assert page.locator("#adm-public-key").inner_text() == public_key_b64(
            app.extensions["tt.signing_key"]
        )
        settings = page.inner_text("#adm-settings")
        assert "Asia/Ho_Chi_Minh" in settings and "22:00 – 05:00" in settings
        assert "3 giây" in settings and "gtts, espeak" in settings
        shoot(page, "admin")

    agent_cfg = config_from_dict(tomllib.loads(snippet), {})
    assert (agent_cfg.node, agent_cfg.zone, agent_cfg.site) == (
        "dong-a",
        "thon-dong",
        config.site.id,
    )
    assert agent_cfg.mqtt.password == password and agent_cfg.token == token
    pending = config.path(creds.PENDING_FILE).read_text()
    assert pending.startswith("dong-a:$7$") and password not in pending
    client = app.test_client()
    key = client.get("/api/v1/signing-key", headers={"Authorization": f"Bearer {token}"})
    assert key.status_code == 200  # the node's token can fetch media and the key
    with database.session() as s:
        assert s.get(Node, "dong-a").name == "Cụm loa chợ"
        zone = s.get(Zone, "thon-dong")
        assert (zone.quiet_start, zone.quiet_end) == ("21:30", "05:30")
        actions = set(s.scalars(select(AuditLog.action)))
        assert {
            "user.create",
            "user.update",
            "zone.create",
            "node.create",
            "node.credentials",
        } <= actions


def test_only_admins_reach_the_admin_pages(api_as, database) -> None:  # type: ignore[no-untyped-def]
    for role in ("officer", "approver", "viewer"):
        api = api_as(role)
        assert api.get("/admin").status_code == 403
        assert api.post("/admin/nodes/x/credentials").status_code == 403
    assert api_as("admin").post("/admin/nodes/khong-co/credentials").status_code == 404
