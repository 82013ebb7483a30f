"""Every menu page works under the real Content-Security-Policy: no violation, no script error."""

from __future__ import annotations

import pytest
from flask import url_for

from controller.web.navigation import MENU
from tests.controller.web.ops_browser import login
from tests.support.browser import browser_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


def test_pages_run_with_csp_enforced(app, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    with app.test_request_context():
        paths = [url_for(entry.endpoint) for entry in MENU]
    problems: list[str] = []
    with live_server(app) as base, browser_page(bypass_csp=False) as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        login(page, base, admin)
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], (
            problems
        )
        assert not [p for p in problems if "Error" in p and "favicon" not in p], problems
