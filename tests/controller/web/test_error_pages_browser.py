"""Error pages in a real browser: Vietnamese, in the layout, no sideways scroll, no favicon 404."""

from __future__ import annotations

import pytest

from tests.controller.web.ops_browser import login, shoot
from tests.support.browser import browser_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


def test_forbidden_and_missing_pages_in_the_browser(app, make_user) -> None:  # type: ignore[no-untyped-def]
    viewer = make_user("viewer")
    with live_server(app) as base, browser_page() as page:
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        login(page, base, viewer)
        assert missing == []  # the favicon, the styles and the scripts all load
        assert page.locator("nav.menu a").all_inner_texts() == ["Tổng quan", "Lịch phát", "Báo cáo"]

        resp = page.goto(f"{base}/library")
        assert resp is not None and resp.status == 403
        assert page.locator("h1").inner_text() == "Không có quyền truy cập"
        shoot(page, "error-403")

        resp = page.goto(f"{base}/khong-co-trang-nay")
        assert resp is not None and resp.status == 404
        assert page.locator("h1").inner_text() == "Không tìm thấy trang"
        shoot(page, "error-404")
        page.click("text=English")
        page.wait_for_selector("h1:text('Page not found')")
