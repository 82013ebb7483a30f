"""Headless Debian Chromium driven by Playwright (no browser download: /usr/bin/chromium)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("chromium is not installed: run `make test` (it installs it)")
    return path


@contextmanager
def browser_page(locale: str = "vi-VN", **context_args: Any) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: CI runs the suite on 2 loaded cores; a wait returns as soon as it holds.
    expect.set_options(timeout=20_000)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        # Playwright's wait_for_function evaluates strings, which our CSP (script-src 'self')
        # forbids; tests bypass CSP so escaping, not the policy, is what XSS tests prove.
        context_args.setdefault("bypass_csp", True)
        context = browser.new_context(locale=locale, **context_args)
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
