"""Duyệt nội dung: the approver's queue (playlist playable in the browser, schedule in words,
targets), who may open it, and, in real Chromium, rejecting with a required comment that the
officer then reads on the schedule page.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from controller.config import REPO_ROOT
from tests.conftest import PASSWORD
from tests.support.audio import make_tone
from tests.support.browser import browser_page
from tests.support.live_server import live_server

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)  # a Monday
SHOTS = REPO_ROOT / "var" / "screenshots"


def upload(api: Any, tmp_path: Path, title: str, freq: int) -> int:
    clip = make_tone(tmp_path / f"tone-{freq}", 2.0, freq=freq)
    with clip.open("rb") as fh:
        r = api.post(
            "/api/v1/media",
            data={"file": (fh, clip.name), "title": title, "category": "announcement"},
            content_type="multipart/form-data",
        )
    assert r.status_code == 201, r.json
    return r.json["id"]


@pytest.fixture
def site(app, admin_api, tmp_path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two hamlets, two real clips, the clock pinned to NOW."""
    app.extensions["tt.clock"] = lambda: NOW
    for zone, name in (("thon-1", "Thôn Thượng"), ("thon-2", "Thôn Hạ")):
        assert admin_api.post("/api/v1/zones", json={"id": zone, "name": name}).status_code == 201
    return {
        "media": [
            upload(admin_api, tmp_path, "Nhạc hiệu", 550),
            upload(admin_api, tmp_path, "Thông báo thu thuế", 330),
        ]
    }


def submit(api: Any, site: dict, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Thông báo thu thuế đất",
        "media_ids": site["media"],
        "zones": ["thon-1", "thon-2"],
        "priority": "priority",
        "schedule": {"type": "weekly", "days": [1, 3], "time": "17:30"},
        "valid_to": "2027-02-28",
    }
    body.update(kw)
    r = api.post("/api/v1/programs", json=body)
    assert r.status_code == 201, r.json
    return r.json


def test_queue_is_for_approvers_only(site, api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as("approver").get("/approvals").status_code == 200
    assert api_as("admin").get("/approvals").status_code == 200
    assert api_as("officer").get("/approvals").status_code == 403
    assert api_as("viewer").get("/approvals").status_code == 403


def test_queue_shows_pending_programs_with_playable_content(site, api_as) -> None:  # type: ignore[no-untyped-def]
    officer, approver = api_as("officer"), api_as("approver")
    pending = submit(officer, site)
    decided = submit(officer, site, title="Đã xong", zones=["thon-2"],
                     schedule={"type": "daily", "time": "06:00"})  # fmt: skip
    approver.post(f"/api/v1/programs/{decided['id']}/reject", json={"comment": "Sai giờ"})
    submit(officer, site, title="Còn nháp", draft=True, schedule={"type": "daily", "time": "18:00"})
    html = approver.get("/approvals").get_data(as_text=True)
    card = html.split(f'id="apv-{pending["id"]}"')[1].split("</article>")[0]
    assert "1 chương trình chờ duyệt" in html
    assert "Hằng tuần: Thứ Ba, Thứ Năm lúc 17:30 (đến 28/02/2027)" in card
    assert "Thôn Thượng, Thôn Hạ" in card and "Ưu tiên" in card
    assert re.search(r'class="apv-next">05/01/2027 17:30<', card)  # Tuesday after NOW
    sources = re.findall(r'<audio controls preload="none" src="([^"]+)"', card)
    assert sources == [f"/api/v1/media/{m}/audio" for m in site["media"]]
    assert "1. Nhạc hiệu (00:02)" in card and "2. Thông báo thu thuế (00:02)" in card
    assert approver.get(sources[0]).status_code == 200  # the approver may fetch the audio
    # Only pending programs are in the queue; decisions are listed below it.
    assert "Còn nháp" not in html
    assert 'id="apv-' + str(decided["id"]) + '"' not in html
    assert "Bị từ chối: Sai giờ" in html.split('id="apv-recent-h"')[1]


def test_queue_names_people_by_full_name(app, config, site, api_as) -> None:  # type: ignore[no-untyped-def]
    from controller.users import create_token, create_user
    from tests.conftest import ApiClient

    with app.extensions["tt.db"].session() as session:
        create_user(session, "canbo-vhxh", "officer", PASSWORD, config.site.id, "Nguyễn Thị Lan")
        token = create_token(session, "canbo-vhxh")
    officer = ApiClient(app.test_client(), token)
    pending = submit(officer, site)
    html = api_as("approver").get("/approvals").get_data(as_text=True)
    card = html.split(f'id="apv-{pending["id"]}"')[1].split("</article>")[0]
    assert "Gửi bởi Nguyễn Thị Lan lúc" in card and "canbo-vhxh" not in card


def test_empty_queue_and_deleted_clip(site, api_as, admin_api) -> None:  # type: ignore[no-untyped-def]
    approver = api_as("approver")
    assert "Không có chương trình nào chờ duyệt." in approver.get("/approvals").get_data(
        as_text=True
    )
    relay = submit(api_as("officer"), site, title="Tiếp âm VOV1", media_ids=[],
                   stream_url="https://vov.example/vov1",
                   schedule={"type": "relay", "time": "05:45", "end_time": "06:15"})  # fmt: skip
    html = approver.get("/approvals").get_data(as_text=True)
    card = html.split(f'id="apv-{relay["id"]}"')[1].split("</article>")[0]
    assert "Tiếp âm hằng ngày 05:45–06:15" in card and "https://vov.example/vov1" in card
    assert "<audio" not in card


@pytest.mark.browser
def test_approver_rejects_with_comment_and_officer_reads_it(site, api_as, app, make_user) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    officer_api = api_as("officer")
    first = submit(officer_api, site)
    submit(officer_api, site, title="Chúc mừng năm mới", all=True, zones=None,
           schedule={"type": "holiday", "holiday": "tet-nguyen-dan", "offset_days": -1,
                     "time": "20:00"})  # fmt: skip
    approver, officer = make_user("approver"), make_user("officer")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, browser_page(viewport={"width": 1280, "height": 900}) as page:
        page.goto(base + "/login")
        page.fill("#username", approver)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        page.click("nav.menu >> text=Duyệt nội dung")
        expect(page.locator(".apv-card")).to_have_count(2)
        # The clip really loads and plays in the browser.
        audio = page.locator(f"#apv-{first['id']} audio").first
        audio.evaluate("a => { a.muted = true; return a.play(); }")
        page.wait_for_function(
            f"document.querySelector('#apv-{first['id']} audio').currentTime > 0"
        )
        greeting = page.locator(".apv-card", has_text="Chúc mừng năm mới")
        expect(greeting.locator(".apv-schedule")).to_contain_text(
            "1 ngày trước Tết Nguyên đán (mùng 1 Tết), lúc 20:00"
        )
        expect(greeting.locator(".apv-targets")).to_have_text("Toàn xã")
        expect(greeting.locator(".apv-next")).to_have_text("05/02/2027 20:00")  # Tết 2027 eve
        page.screenshot(path=str(SHOTS / "approval.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=str(SHOTS / "approval-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        card = page.locator(f"#apv-{first['id']}")
        card.get_by_role("button", name="Từ chối").click()
        expect(card.locator(".apv-error")).to_have_text("Hãy ghi lý do từ chối.")
        card.locator("textarea").fill("Cần ghi rõ hạn nộp thuế")
        card.get_by_role("button", name="Từ chối").click()
        expect(page.locator("#apv-dialog")).to_be_visible()
        expect(page.locator("#apv-dialog-text")).to_contain_text("Thông báo thu thuế đất")
        page.screenshot(path=str(SHOTS / "approval-confirm-375.png"))
        page.locator("#apv-no").click()  # cancel first: nothing happens
        expect(page.locator(".apv-card")).to_have_count(2)
        card.get_by_role("button", name="Từ chối").click()
        page.locator("#apv-yes").click()
        expect(page.locator("#apv-status")).to_have_text("Đã từ chối «Thông báo thu thuế đất».")
        expect(page.locator(".apv-card")).to_have_count(1)
        expect(page.locator("#apv-count")).to_have_text("1 chương trình chờ duyệt")

        page.click("text=Đăng xuất")
        page.wait_for_url(re.compile(r".*/login.*"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.fill("#username", officer)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(base + "/schedule")
        row = page.locator(f'.sch-program[data-program="{first["id"]}"]')
        expect(row.locator(".badge.st-rejected")).to_have_text(
            "Bị từ chối: Cần ghi rõ hạn nộp thuế"
        )
        expect(row.get_by_role("button", name="Gửi duyệt")).to_be_visible()
