"""The access gate: no route is open by accident, roles hold on writes, CSRF on cookie writes."""

import re

import pytest

from controller.auth.gate import PUBLIC_ENDPOINTS, UNSAFE_METHODS
from tests.conftest import PASSWORD


def _routes(app):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<int:[^<>]+>", "1", rule.rule)
        path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "x1", path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_route_but_the_public_ones_requires_login(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    checked = 0
    for endpoint, method, path in _routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        r = client.open(path, method=method)
        if path.startswith("/api/"):
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json["error"]["code"] == "unauthorized"
        else:
            assert r.status_code == 302 and "/login" in r.location, (method, path)
        checked += 1
    assert checked >= 10


def test_every_write_route_declares_a_capability(app) -> None:  # type: ignore[no-untyped-def]
    for endpoint, method, _path in _routes(app):
        if method in UNSAFE_METHODS and endpoint not in PUBLIC_ENDPOINTS:
            view = app.view_functions[endpoint]
            assert getattr(view, "_tt_capability", None), f"{endpoint} {method} has no @requires"


def test_viewer_is_refused_every_write(app, api_as) -> None:  # type: ignore[no-untyped-def]
    viewer = api_as("viewer")
    for endpoint, method, path in _routes(app):
        if method not in UNSAFE_METHODS or endpoint in PUBLIC_ENDPOINTS | {"auth.logout"}:
            continue
        r = viewer.open(path, method=method, json={})
        assert r.status_code == 403, (method, path, r.status_code)


def test_healthz_and_login_are_public(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


def _login(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


def test_login_logout_and_session_cookie_flags(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    client = app.test_client()
    r = _login(client, name)
    assert r.status_code == 302
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/zones").status_code == 200


def test_wrong_password_is_refused_in_vietnamese(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    r = _login(app.test_client(), name, "sai-mat-khau")
    assert r.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in r.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    r = app.test_client().post("/login", data={"username": name, "password": PASSWORD})
    assert r.status_code == 401


def test_cookie_session_writes_need_the_csrf_token(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("admin")
    client = app.test_client()
    _login(client, name)
    r = client.post("/api/v1/zones", json={"id": "thon-1", "name": "Thôn 1"})
    assert r.status_code == 400 and r.json["error"]["code"] == "csrf"
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    r = client.post(
        "/api/v1/zones", json={"id": "thon-1", "name": "Thôn 1"}, headers={"X-CSRFToken": token}
    )
    assert r.status_code == 201


def test_login_is_rate_limited(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    client = app.test_client()
    codes = [
        client.post("/login", data={"username": name, "password": "x"}).status_code
        for _ in range(12)
    ]
    assert 429 in codes


def test_revoked_or_unknown_tokens_are_refused(app) -> None:  # type: ignore[no-untyped-def]
    r = app.test_client().get("/api/v1/zones", headers={"Authorization": "Bearer tt_nope"})
    assert r.status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_login_never_redirects_off_site(app, make_user, target) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post(
        f"/login?next={target}", data={"username": name, "password": PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 302 and "evil" not in r.location


def test_behind_a_trusted_proxy_the_rate_limit_counts_per_client(config, make_user) -> None:  # type: ignore[no-untyped-def]
    from controller.app import create_app

    config.server.trusted_proxies = 1
    app = create_app(config)
    client = app.test_client()
    for i in range(12):
        r = client.post(
            "/login",
            data={"username": "x", "password": "y"},
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
        )
        assert r.status_code != 429  # each person has their own budget
    codes = [
        client.post(
            "/login",
            data={"username": "x", "password": "y"},
            headers={"X-Forwarded-For": "10.0.0.99"},
        ).status_code
        for _ in range(12)
    ]
    assert 429 in codes
