"""Error pages for people (403, 404, 405, 429, 500) in the site's layout; JSON stays for the API.

Also: the menu links only to pages the role may open, the favicon, and the header's name/role.
"""

from __future__ import annotations

import re

import pytest

from controller.users import create_user
from tests.conftest import PASSWORD
from tests.controller.web.session_client import HTML, login_client

ROLES = ("admin", "officer", "approver", "viewer")


def _menu_links(page: str) -> list[str]:
    menu = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', page, re.S)
    assert menu, "no main menu on the page"
    return re.findall(r'href="([^"]+)"', menu.group(1))


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role(app, make_user, role) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user(role))
    links = _menu_links(client.get("/", headers=HTML).text)
    assert links
    for href in links:
        assert client.get(href, headers=HTML).status_code == 200, (role, href)


def test_viewer_menu_has_no_library_nor_write_pages(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user("viewer"))
    page = client.get("/", headers=HTML).text
    assert _menu_links(page) == ["/", "/schedule", "/reports"]
    assert "Thư viện" not in page


def test_forbidden_page_is_vietnamese_html_in_the_layout(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user("viewer"))
    resp = client.get("/library", headers=HTML)
    assert resp.status_code == 403
    assert resp.mimetype == "text/html"
    assert '<html lang="vi"' in resp.text
    assert "Không có quyền truy cập" in resp.text
    assert '<nav class="menu"' in resp.text  # the layout, with the way back
    assert "Về trang Tổng quan" in resp.text
    english = client.get("/library?lang=en", headers=HTML)
    assert english.status_code == 403 and "Access denied" in english.text


def test_not_found_page_is_vietnamese_even_before_login(app) -> None:  # type: ignore[no-untyped-def]
    resp = app.test_client().get("/khong-co-trang-nay", headers=HTML)
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert "Không tìm thấy trang" in resp.text
    assert "Not Found" not in resp.text  # not Werkzeug's English page
    assert 'href="/login"' in resp.text


def test_method_not_allowed_page(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user("officer"))
    resp = client.get("/logout", headers=HTML)
    assert resp.status_code == 405 and "Thao tác không được hỗ trợ" in resp.text


def test_unexpected_error_page(app, make_user) -> None:  # type: ignore[no-untyped-def]
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("hỏng")

    app.add_url_rule("/thu-loi", "thu_loi", boom)
    client = login_client(app, make_user("officer"))
    resp = client.get("/thu-loi", headers=HTML)
    assert resp.status_code == 500 and resp.mimetype == "text/html"
    assert "Lỗi hệ thống" in resp.text and "hỏng" not in resp.text


def test_api_and_scripts_keep_json_errors(app, make_user) -> None:  # type: ignore[no-untyped-def]
    client = login_client(app, make_user("viewer"))
    api = client.get("/api/v1/khong-co", headers=HTML)
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"
    script = client.get("/library", headers={"Accept": "application/json"})
    assert script.status_code == 403 and script.json["error"]["code"] == "forbidden"


def test_login_rate_limit_page_is_vietnamese(app, make_user) -> None:  # type: ignore[no-untyped-def]
    name = make_user("officer")
    client = app.test_client()
    answers = [
        client.post("/login", data={"username": name, "password": "sai"}, headers=HTML)
        for _ in range(12)
    ]
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    assert limited[0].mimetype == "text/html"
    assert "Thử quá nhiều lần" in limited[0].text
    assert "Too Many Requests" not in limited[0].text


def test_favicon_is_public(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    resp = client.get("/favicon.ico")
    assert resp.status_code in (301, 302) and resp.location.endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/login").text


def test_header_names_the_role_once(app, config) -> None:  # type: ignore[no-untyped-def]
    with app.extensions["tt.db"].session() as session:
        create_user(session, "qtht", "admin", PASSWORD, config.site.id, "Quản trị hệ thống")
        create_user(session, "canbo", "officer", PASSWORD, config.site.id, "Nguyễn Văn An")
    admin_page = login_client(app, "qtht").get("/", headers=HTML).text
    assert admin_page.count("Quản trị hệ thống") == 1
    officer_page = login_client(app, "canbo").get("/", headers=HTML).text
    assert "Nguyễn Văn An" in officer_page and "Cán bộ văn hóa - xã hội" in officer_page
