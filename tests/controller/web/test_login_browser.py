"""The login page in real headless Chromium: Vietnamese text, login, language switch."""

from pathlib import Path

import pytest

from controller.config import REPO_ROOT
from tests.conftest import PASSWORD
from tests.support.browser import browser_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser
SHOTS = REPO_ROOT / "var" / "screenshots"


def test_login_page_is_vietnamese_and_logs_in(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, browser_page() as page:
        page.goto(base + "/")
        assert page.url.startswith(base + "/login")
        assert "Đăng nhập hệ thống quản lý đài" in page.content()
        assert page.get_attribute("html", "lang") == "vi"
        page.screenshot(path=str(Path(SHOTS / "login.png")))
        page.fill("#username", name)
        page.fill("#password", "sai")
        page.click("button[type=submit]")
        assert "Sai tên đăng nhập hoặc mật khẩu" in page.content()
        page.fill("#username", name)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        assert "Tổng quan" in page.content()
        assert "Cán bộ văn hóa - xã hội" in page.content()
        page.click("text=English")
        page.wait_for_selector("text=Dashboard")
        assert page.get_attribute("html", "lang") == "en"


def test_an_english_browser_still_gets_the_vietnamese_ui(app) -> None:  # type: ignore[no-untyped-def]
    page = app.test_client().get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Đăng nhập hệ thống quản lý đài" in page.get_data(as_text=True)
    english = app.test_client().get("/login?lang=en")
    assert "Sign in to the station manager" in english.get_data(as_text=True)
