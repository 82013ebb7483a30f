"""The greeting recorder: rendering per role (test client), and in real Chromium with the fake
microphone: record with a live level meter, listen back, save as a recording, submit for
approval; the chairman's path with a phone recording file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from controller.config import REPO_ROOT
from controller.web.greeting_pages import default_air_date, utc_offset
from tests.conftest import PASSWORD
from tests.support.audio import make_tone
from tests.support.browser import browser_page
from tests.support.live_server import live_server

SHOTS = REPO_ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def login(page, base: str, username: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + path)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + path)


def login_client(app, make_user, role: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    username = make_user(role)
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
    assert token
    resp = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert resp.status_code in (302, 303)
    return client


# ------------------------------------------------------------------ pure helpers, rendering


def test_utc_offset_and_default_air_date() -> None:
    vn = timezone(timedelta(hours=7))
    assert utc_offset(datetime(2027, 2, 5, 23, 30, tzinfo=vn)) == "+07:00"
    assert utc_offset(datetime(2027, 2, 5, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))) == (
        "-03:30"
    )
    assert default_air_date(datetime(2027, 12, 31, 23, 59, tzinfo=vn)) == "01/01/2028"


def test_officer_gets_the_schedule_step(app, make_user, admin_api) -> None:  # type: ignore[no-untyped-def]
    assert admin_api.post(
        "/api/v1/zones", json={"id": "thon-1", "name": "Thôn Đông"}
    ).status_code in (
        200,
        201,
    )
    client = login_client(app, make_user, "officer")
    html = client.get("/greeting").text
    assert "Ghi âm lời chúc mừng" in html
    assert 'id="greet-schedule-form"' in html
    assert 'data-utc-offset="+07:00"' in html
    assert 'value="06:00"' in html
    assert "Thôn Đông" in html and 'value="thon-1"' in html


def test_chairman_records_and_schedules_his_own_greeting(app, make_user) -> None:  # type: ignore[no-untyped-def]
    # The chairman holds "schedule" (roles.py): he sends his greeting for broadcast himself.
    client = login_client(app, make_user, "approver")
    resp = client.get("/greeting")
    assert resp.status_code == 200
    assert 'id="greet-schedule-form"' in resp.text
    assert 'id="greet-officer-schedules"' not in resp.text


def test_viewer_may_not_record(app, make_user) -> None:  # type: ignore[no-untyped-def]
    assert login_client(app, make_user, "viewer").get("/greeting").status_code == 403


# ------------------------------------------------------------------ real browser


@pytest.mark.browser
def test_record_listen_save_and_submit_for_approval(app, make_user, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = make_user("officer")
    api = api_as("officer")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, browser_page(viewport=DESKTOP) as page:
        login(page, base, officer, "/greeting")
        page.click("#greet-send")
        expect(page.locator("#greet-send-status")).to_have_text(
            "Hãy ghi âm hoặc chọn tệp ghi âm trước."
        )

        page.click("#greet-start")
        expect(page.locator("#greet-rec-status")).to_have_text("Đang ghi âm… hãy nói vào micrô.")
        # the fake microphone beeps: the meter moves, and the clock reaches one second
        page.wait_for_function(
            "Number(document.getElementById('greet-level').getAttribute('aria-valuenow')) > 0"
        )
        expect(page.locator("#greet-time")).to_have_text(re.compile(r"^00:0[1-9]$"))
        page.screenshot(path=str(SHOTS / "greeting-recording.png"), full_page=True)
        page.click("#greet-stop")
        expect(page.locator("#greet-rec-status")).to_contain_text("Đã ghi xong")
        playback = page.locator("#greet-playback")
        expect(playback).to_be_visible()
        assert playback.get_attribute("src").startswith("blob:")
        expect(page.locator("#greet-rerecord")).to_be_visible()
        expect(page.locator("#greet-start")).to_be_hidden()

        page.fill("#greet-title", "Thư chúc mừng năm mới")
        page.click("#greet-send")
        expect(page.locator("#greet-send-status")).to_contain_text(
            "Đã lưu “Thư chúc mừng năm mới” vào thư viện, mục Chúc mừng"
        )
        assert page.eval_on_selector("#greet-progress-bar", "b => b.value") == 100
        items = api.get("/api/v1/media?category=greeting").json["items"]
        assert [(i["title"], i["source"]) for i in items] == [
            ("Thư chúc mừng năm mới", "recording")
        ]
        assert items[0]["duration_ms"] >= 500
        expect(page.locator("#greet-saved-audio")).to_have_attribute("src", items[0]["url"])

        page.fill("#greet-date", "31/02/2030")
        page.click("#greet-submit")
        expect(page.locator("#greet-sched-status")).to_contain_text("Hãy nhập ngày dạng")
        tomorrow = page.evaluate("() => document.getElementById('greet-date').defaultValue")
        page.fill("#greet-date", tomorrow)
        page.fill("#greet-time-input", "6h")
        page.click("#greet-submit")
        expect(page.locator("#greet-sched-status")).to_contain_text(
            f"Đã gửi: chương trình “Thư chúc mừng năm mới” phát lúc {tomorrow} 06:00"
        )
        expect(page.locator("#greet-sched-status")).to_contain_text("trạng thái: chờ duyệt")
        programs = api.get("/api/v1/programs").json["items"]
        assert len(programs) == 1
        program = programs[0]
        assert (program["kind"], program["status"], program["all"]) == ("greeting", "pending", True)
        assert program["media_ids"] == [items[0]["id"]]
        assert program["schedule"]["at"].endswith("T06:00:00+07:00")
        page.screenshot(path=str(SHOTS / "greeting.png"), full_page=True)

        # record again: the page forgets the saved clip and starts over
        page.click("#greet-rerecord")
        expect(page.locator("#greet-rec-status")).to_have_text("Đang ghi âm… hãy nói vào micrô.")
        expect(page.locator("#greet-saved-audio")).to_be_hidden()
        expect(playback).to_be_hidden()
        page.click("#greet-stop")
        expect(playback).to_be_visible()


@pytest.mark.browser
def test_chairman_sends_a_phone_recording_on_a_phone(app, make_user, api_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    chairman = make_user("approver")
    api = api_as("officer")
    phone_file = make_tone(tmp_path / "ghi-am-dien-thoai", 2.0, fmt="wav")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, browser_page(viewport=PHONE) as page:
        login(page, base, chairman, "/greeting")
        expect(page.locator("#greet-schedule-form")).to_have_count(1)
        page.set_input_files("#greet-file", str(phone_file))
        expect(page.locator("#greet-file-name")).to_have_text("ghi-am-dien-thoai.wav")
        expect(page.locator("#greet-playback")).to_be_visible()
        page.click("#greet-send")  # no title: a dated default
        expect(page.locator("#greet-send-status")).to_contain_text("Đã lưu “Lời chúc mừng ")
        expect(page.locator("#greet-schedule-form")).to_be_visible()
        items = api.get("/api/v1/media?category=greeting").json["items"]
        assert len(items) == 1 and items[0]["source"] == "recording"
        assert re.fullmatch(r"Lời chúc mừng \d\d/\d\d/20\d\d", items[0]["title"])
        assert 1900 <= items[0]["duration_ms"] <= 2100
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SHOTS / "greeting-375.png"), full_page=True)
