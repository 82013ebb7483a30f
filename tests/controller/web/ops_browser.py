"""Browser helpers of the operations-page tests (dashboard, broadcast, reports, admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from controller.config import REPO_ROOT
from tests.conftest import PASSWORD

SHOTS = REPO_ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def login(page: Any, base: str, username: str, path: str = "/") -> None:
    page.goto(f"{base}/login?next={quote(path, safe='/')}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def shoot(page: Any, name: str) -> None:
    """Full-page screenshots at desktop width and at 375 px (var/screenshots/NAME[-375].png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{name}: the page scrolls sideways at 375 px ({width} px)"
