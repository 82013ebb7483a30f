"""The TTS composer page: choices rendered from config (test client), and in real Chromium with
the offline espeak engine: live reading preview, listen, save, long-text job progress, dictionary.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from controller.config import REPO_ROOT
from controller.web.tts_pages import engine_options, speed_options, voice_options
from tests.conftest import PASSWORD
from tests.support.browser import browser_page
from tests.support.live_server import live_server

SHOTS = REPO_ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
WAIT_AUDIO = """a => new Promise((ok, bad) => {
    if (a.readyState >= 1 && a.duration > 0) return ok(a.duration);
    a.addEventListener('loadedmetadata', () => ok(a.duration));
    a.addEventListener('error', () => bad(new Error('audio error')));
})"""


@pytest.fixture
def config(config):  # type: ignore[no-untyped-def]
    config.tts.engines = ["espeak"]  # offline: no network in tests
    return config


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


# ------------------------------------------------------------------ server side


def test_engine_voice_and_speed_choices(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        engines = engine_options(["gtts", "espeak", "piper"])
        voices = voice_options("vi")
        odd_voices = voice_options("vi-custom")
        speeds = speed_options(1.0)
        odd_speeds = speed_options(1.05)
    assert engines == [
        ("", "Tự động"),
        ("gtts", "Giọng Google (cần mạng)"),
        ("espeak", "Giọng máy ngoại tuyến"),
        ("piper", "piper"),  # no word for it: its configured name
    ]
    assert [v for v, _ in voices] == ["vi", "vi-vn-x-central", "vi-vn-x-south"]
    assert odd_voices[0] == ("vi-custom", "vi-custom")
    assert (1.0, "Bình thường") in speeds and len(speeds) == 5
    assert (1.05, "×1.05") in odd_speeds and [s for s, _ in odd_speeds] == sorted(
        s for s, _ in odd_speeds
    )


def test_composer_page_renders_for_officer_with_defaults(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user, "officer")
    resp = client.get("/tts")
    assert resp.status_code == 200
    html = resp.text
    assert "Soạn thông báo đọc máy" in html
    assert 'id="tts-repeat" name="repeat" min="1" max="5" value="2"' in html
    assert re.search(r'id="tts-chime" name="chime" checked', html)
    assert '<option value="espeak">Giọng máy ngoại tuyến</option>' in html
    assert '<option value="gtts">' not in html  # only the configured engines
    words = json.loads(
        re.search(r'id="lib-words">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    assert words["tts_saved"] == "Đã lưu “{title}” vào thư viện."
    assert not any(k.startswith("greet_") for k in words)


@pytest.mark.parametrize("role", ["approver", "viewer"])
def test_composer_is_for_officers(app, make_user, role) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user, role)
    assert client.get("/tts").status_code == 403


# ------------------------------------------------------------------ real browser


@pytest.mark.browser
def test_compose_preview_listen_save_and_dictionary(app, config, make_user, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = make_user("officer")
    api = api_as("officer")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, browser_page(viewport=DESKTOP) as page:
        login(page, base, officer, "/tts")
        expect(page.locator("#tts-preview")).to_have_text("Bản đọc sẽ hiện ở đây khi bạn gõ.")

        # the reading follows the typing
        page.locator("#tts-text").press_sequentially("UBND xã họp lúc 7h30 ngày 2/9")
        preview = page.locator("#tts-preview")
        expect(preview).to_contain_text("Ủy ban nhân dân")
        expect(preview).to_contain_text("bảy giờ ba mươi phút")
        expect(page.locator("#tts-chars")).to_have_text("29 ký tự")

        # listen: synthesized and playable
        page.click("#tts-listen")
        expect(page.locator("#tts-status")).to_contain_text("Bản nghe thử đã sẵn sàng")
        expect(page.locator("#tts-status")).to_contain_text("Giọng máy ngoại tuyến")
        audio = page.locator("#tts-audio")
        expect(audio).to_be_visible()
        assert audio.evaluate(WAIT_AUDIO) > 1.0
        assert page.eval_on_selector("#tts-progress-bar", "b => b.value") == 100

        # save: the clip just heard gets the title and category, no second synthesis
        page.fill("#tts-title", "Họp UBND tháng 9")
        page.select_option("#tts-category", "announcement")
        page.click("#tts-save")
        expect(page.locator("#tts-status")).to_have_text("Đã lưu “Họp UBND tháng 9” vào thư viện.")
        items = api.get("/api/v1/media").json["items"]
        assert [(i["title"], i["source"], i["engine"]) for i in items] == [
            ("Họp UBND tháng 9", "tts", "espeak")
        ]
        assert "Ủy ban nhân dân" in items[0]["normalized_text"]
        page.screenshot(path=str(SHOTS / "tts.png"), full_page=True)

        # dictionary: add a local abbreviation, see it read, remove it
        page.fill("#tts-term", "HTXNN")
        page.fill("#tts-reading", "hợp tác xã nông nghiệp")
        page.click("#tts-dict-add")
        expect(page.locator("#tts-dict-site tbody tr")).to_have_count(1)
        expect(page.locator("#tts-dict-status")).to_contain_text("Đã thêm “HTXNN”")
        page.fill("#tts-text", "HTXNN Tân Phú họp")
        expect(preview).to_contain_text("hợp tác xã nông nghiệp Tân Phú")
        page.get_by_role("button", name="Xóa “HTXNN”").click()
        expect(page.locator("#tts-dict-empty")).to_be_visible()
        expect(page.locator("#tts-dict-site tbody tr")).to_have_count(0)
        expect(preview).not_to_contain_text("hợp tác xã nông nghiệp")
        expect(page.locator("#tts-dict-shipped-summary")).to_have_text(
            re.compile(r"^Có sẵn \(\d+ mục\)$")
        )

        # a long notice becomes a background job: the bar follows it to 100%
        config.tts.job_threshold_chars = 40
        page.fill("#tts-text", "Thông báo: ngày 15/10/2026 Trạm y tế xã tiêm chủng cho trẻ em.")
        page.fill("#tts-title", "")
        page.click("#tts-listen")
        expect(page.locator("#tts-status")).to_contain_text("Bản nghe thử đã sẵn sàng")
        assert page.eval_on_selector("#tts-progress-bar", "b => b.value") == 100
        assert audio.evaluate(WAIT_AUDIO) > 1.0
        assert len(api.get("/api/v1/media").json["items"]) == 2

        # empty text is refused before any request
        page.fill("#tts-text", "  ")
        page.click("#tts-listen")
        expect(page.locator("#tts-status")).to_have_text("Hãy nhập nội dung thông báo.")

        page.set_viewport_size(PHONE)
        page.fill("#tts-text", "UBND xã họp lúc 7h30 ngày 2/9")
        expect(preview).to_contain_text("bảy giờ ba mươi phút")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(SHOTS / "tts-375.png"), full_page=True)
