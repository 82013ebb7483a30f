"""A Flask test client logged in through the real login form (session cookie + CSRF token)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import PASSWORD

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login_client(app: Any, username: str) -> Any:
    """A test client with ``username`` logged in (password ``tests.conftest.PASSWORD``)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").text)
    resp = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code in (302, 303), resp.status_code
    return client
