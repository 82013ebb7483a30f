"""The library page: rendering and access (test client), and in real Chromium: upload with a
progress bar, accent-free search, category filter, playback, edit, refused and allowed delete."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from controller.config import REPO_ROOT
from controller.web.library_pages import category_options, script_words
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


def page_words(html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="lib-words">(.*?)</script>', html, re.S)
    assert found, "the page hands its words to the script as JSON"
    return json.loads(found.group(1))


def login_client(app, make_user, role: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    username = make_user(role)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    token = token or re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token
    resp = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert resp.status_code in (302, 303)
    return client


# ------------------------------------------------------------------ server-rendered shell


def test_category_options_follow_the_catalogue_in_vietnamese(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        options = category_options()
    assert [v for v, _ in options] == [
        "propaganda",
        "greeting",
        "announcement",
        "emergency",
        "other",
    ]
    assert [label for _, label in options] == [
        "Tuyên truyền",
        "Chúc mừng",
        "Thông báo",
        "Khẩn cấp",
        "Khác",
    ]


def test_script_words_keep_only_the_asked_prefixes(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/?lang=en"):
        words = script_words("lib_")
    assert words["lib_cat_greeting"] == "Greeting"
    assert all(key.startswith("lib_") for key in words)
    assert not any(key.startswith(("tts_", "greet_")) for key in words)


@pytest.mark.parametrize("role", ["officer", "approver", "admin"])
def test_library_page_renders_for_roles_that_keep_the_library(app, make_user, role) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user, role)
    resp = client.get("/library")
    assert resp.status_code == 200
    html = resp.text
    assert "Thư viện âm thanh" in html
    assert 'accept="audio/*"' in html
    for label in ("Tuyên truyền", "Chúc mừng", "Thông báo", "Khẩn cấp", "Khác"):
        assert label in html
    words = page_words(html)
    assert words["lib_uploaded"] == "Đã thêm “{title}” vào thư viện."
    # every input has a label pointing at it
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{input_id}"' in html or "aria-label" in html, input_id


def test_viewer_may_not_open_the_library_page(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user, "viewer")
    assert client.get("/library").status_code == 403


def test_library_page_in_english_on_request(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user, "officer")
    html = client.get("/library?lang=en").text
    assert "Audio library" in html
    assert page_words(html)["lib_cat_propaganda"] == "Propaganda"


# ------------------------------------------------------------------ real browser

pytest_browser = pytest.mark.browser


def _future(days: int = 3) -> str:
    at = datetime.now(timezone(timedelta(hours=7))) + timedelta(days=days)
    return at.replace(hour=7, minute=0, second=0, microsecond=0).isoformat()


@pytest_browser
def test_library_upload_search_filter_play_edit_delete(app, make_user, api_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    officer = make_user("officer")
    api = api_as("officer")
    tone = make_tone(tmp_path / "chuc-tet", 3.0, fmt="mp3")
    other = make_tone(tmp_path / "thue", 2.0, freq=660, fmt="wav")
    with open(other, "rb") as fh:
        resp = api.post(
            "/api/v1/media",
            data={
                "file": (fh, "thue.wav"),
                "title": "Thông báo nộp thuế",
                "category": "announcement",
            },
            content_type="multipart/form-data",
        )
    assert resp.status_code == 201
    tax_id = resp.json["id"]
    SHOTS.mkdir(parents=True, exist_ok=True)

    with live_server(app) as base, browser_page(viewport=DESKTOP) as page:
        login(page, base, officer, "/library")
        expect(page.locator("#lib-list .media-item")).to_have_count(1)

        # upload with progress
        page.set_input_files("#lib-file", str(tone))
        expect(page.locator("#lib-up-title")).to_have_value("chuc tet")  # guessed from the name
        expect(page.locator("#lib-file-name")).to_have_text("chuc-tet.mp3")
        page.fill("#lib-up-title", "Chúc Tết Nguyên đán")
        page.select_option("#lib-up-category", "greeting")
        page.fill("#lib-up-tags", "tết, chủ tịch")
        page.click("#lib-upload-btn")
        expect(page.locator("#lib-up-status")).to_have_text(
            "Đã thêm “Chúc Tết Nguyên đán” vào thư viện."
        )
        assert page.eval_on_selector("#lib-up-progress-bar", "b => b.value") == 100
        assert page.get_attribute("#lib-up-progress-bar", "data-done") == "1"
        item = page.locator(".media-item", has_text="Chúc Tết Nguyên đán")
        expect(item).to_have_count(1)
        expect(item.locator(".duration .fact-value")).to_have_text("00:03")
        expect(item.locator(".loudness .fact-value")).to_have_text(re.compile(r"^-\d+,\d LUFS$"))
        expect(item.locator(".chip")).to_have_text("Chúc mừng")
        expect(item.locator(".tags .fact-value")).to_have_text("tết, chủ tịch")
        expect(item.locator(".created .fact-value")).to_have_text(
            re.compile(r"^\d\d/\d\d/20\d\d \d\d:\d\d$")
        )
        expect(page.locator("#lib-list .media-item")).to_have_count(2)

        # plays in the browser: the audio element loads the served file
        audio = item.locator("audio")
        assert audio.get_attribute("preload") == "none"
        duration = audio.evaluate(
            """a => new Promise((ok, bad) => {
                 a.addEventListener('loadedmetadata', () => ok(a.duration));
                 a.addEventListener('error', () => bad(new Error('audio error')));
                 a.preload = 'metadata'; a.load(); })"""
        )
        assert 2.5 < duration < 3.6
        page.screenshot(path=str(SHOTS / "library.png"), full_page=True)

        # accent-free search, then the category filter
        page.fill("#lib-q", "chuc tet")
        expect(page.locator("#lib-list .media-item")).to_have_count(1)
        expect(page.locator("#lib-list .media-title")).to_have_text("Chúc Tết Nguyên đán")
        page.fill("#lib-q", "")
        expect(page.locator("#lib-list .media-item")).to_have_count(2)
        page.click("label[for=lib-cat-announcement]")
        expect(page.locator("#lib-list .media-title")).to_have_text(["Thông báo nộp thuế"])
        page.fill("#lib-q", "chuc tet")
        expect(page.locator("#lib-list-status")).to_have_text("Không tìm thấy tệp phù hợp.")
        page.fill("#lib-q", "")
        page.click("label[for=lib-cat-all]")
        expect(page.locator("#lib-list .media-item")).to_have_count(2)

        # edit metadata
        item.get_by_role("button", name="Sửa: Chúc Tết Nguyên đán").click()
        expect(page.locator("#lib-edit")).to_be_visible()
        page.fill("#lib-edit-title", "")
        page.click("#lib-edit-save")
        expect(page.locator("#lib-edit-error")).to_have_text("Hãy nhập tiêu đề.")
        page.fill("#lib-edit-title", "Thư chúc Tết 2027")
        page.select_option("#lib-edit-category", "propaganda")
        page.fill("#lib-edit-tags", "tết")
        page.click("#lib-edit-save")
        expect(page.locator("#lib-edit")).to_be_hidden()
        edited = page.locator(".media-item", has_text="Thư chúc Tết 2027")
        expect(edited.locator(".chip")).to_have_text("Tuyên truyền")
        expect(page.locator("#lib-list-status")).to_have_text(
            "Đã lưu thay đổi cho “Thư chúc Tết 2027”."
        )

        # a clip used by a program may not be deleted: the server's reason is shown
        program = api.post(
            "/api/v1/programs",
            json={"title": "Bản tin thuế", "media_ids": [tax_id], "all": True,
                  "schedule": {"type": "once", "at": _future()}},
        )  # fmt: skip
        assert program.status_code == 201, program.json
        tax = page.locator(".media-item", has_text="Thông báo nộp thuế")
        tax.get_by_role("button", name="Xóa: Thông báo nộp thuế").click()
        expect(page.locator("#lib-delete-text")).to_have_text(
            "Xóa “Thông báo nộp thuế” khỏi thư viện? Không thể hoàn tác."
        )
        page.click("#lib-delete-yes")
        expect(page.locator("#lib-delete-error")).to_contain_text("Bản tin thuế")
        expect(page.locator("#lib-delete-error")).to_contain_text("Không xóa được.")
        page.click("#lib-delete-cancel")
        expect(page.locator("#lib-list .media-item")).to_have_count(2)

        # an unused clip is deleted after confirmation
        edited.get_by_role("button", name="Xóa: Thư chúc Tết 2027").click()
        page.click("#lib-delete-yes")
        expect(page.locator("#lib-list .media-item")).to_have_count(1)
        expect(page.locator("#lib-list-status")).to_have_text("Đã xóa “Thư chúc Tết 2027”.")
        assert api.get("/api/v1/media?q=chuc tet").json["items"] == []

        page.set_viewport_size(PHONE)
        page.reload()
        expect(page.locator("#lib-list .media-item")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(Path(SHOTS / "library-375.png")), full_page=True)
        page.locator(".media-item button.edit").click()
        expect(page.locator("#lib-edit")).to_be_visible()
        page.screenshot(path=str(Path(SHOTS / "library-edit-375.png")))
        page.keyboard.press("Escape")
        expect(page.locator("#lib-edit")).to_be_hidden()
        expect(page.locator(".media-item button.edit")).to_be_focused()  # focus returns
