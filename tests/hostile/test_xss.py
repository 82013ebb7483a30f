"""Stored XSS: hostile text typed into every field the pages show back never runs.

Every user text field that a page shows (media titles and tags, program titles, approval and
reject comments, TTS text, dictionary readings, zone, node and user names, the play log and
the audit trail that repeats them) is filled through the JSON API with script-like payloads.
Then every page is opened twice:

- with the Flask test client: the server HTML is parsed and must hold no injected element or
  attribute (no ``<script>alert``, no ``onerror=``/``onload=`` attribute, no ``javascript:``
  link), no evaluated template expression, and every embedded JSON block must still parse
  (an unescaped ``</script>`` would cut it short);
- in headless Chromium, after the page's own scripts rendered the API data: the live DOM must
  hold no injected element and no ``alert`` dialog may have fired.

Each field's payload starts with a label (``XSSZONE``...), and the test checks that every
label was really shown somewhere, so a page that stops showing a field cannot make it pass.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from controller.db.models import PlayEvent
from controller.web.navigation import MENU
from tests.conftest import PASSWORD
from tests.controller.dispatch.commune import SITE
from tests.controller.web.ops_browser import login
from tests.support.audio import make_tone
from tests.support.browser import browser_page
from tests.support.live_server import live_server

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "{{7*191}}",
    "</textarea><svg onload=alert(4)>",
    "'><svg/onload=alert(5)>",
)
HOSTILE = " ".join(PAYLOADS)
EVALUATED = "1337"  # 7*191: a template engine evaluated the payload
LABELS = (
    "XSSZONE",
    "XSSNODE",
    "XSSUSER",
    "XSSMEDIA",
    "XSSPROGOK",
    "XSSPROGWAIT",
    "XSSPROGNO",
    "XSSAPPROVE",
    "XSSREJECT",
    "XSSTTS",
    "XSSREADING",
    "XSSPLAY",
)
ADMIN = "xss-admin"
JSON_BLOCK = re.compile(
    r'<script type="application/json"[^>]*>(.*?)</script\s*>', re.IGNORECASE | re.DOTALL
)


def hostile(label: str) -> str:
    return f"{label} {HOSTILE}"


# ---------------------------------------------------------------------- the server's HTML


class InjectionFinder(HTMLParser):
    """Collects markup that only an injection could have produced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert" in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value.lower().strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        # A JSON data block is not run; its escaping is checked separately.
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script> running {data[:80]!r}")


def injections_in_html(html: str) -> list[str]:
    finder = InjectionFinder()
    finder.feed(html)
    problems = list(finder.found)
    if EVALUATED in html:
        problems.append("a template expression was evaluated ({{7*191}} became 1337)")
    for block in JSON_BLOCK.findall(html):
        try:
            json.loads(block)
        except ValueError:
            problems.append(f"an embedded JSON block does not parse: {block[:80]!r}")
        if "<" in block:
            problems.append(f"an embedded JSON block holds a raw '<': {block[:80]!r}")
    return problems


def test_the_finder_itself() -> None:
    assert injections_in_html(f"<p>{HOSTILE}</p>")  # unescaped: caught
    assert injections_in_html('<a href="javascript:alert(1)">x</a>')
    assert injections_in_html('<script type="application/json">{"a": "</script>"}</script>')
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    safe = f'<p title="{escaped.replace(chr(34), "&#34;")}">{escaped}</p>'
    assert injections_in_html(safe) == []


# ---------------------------------------------------------------------- hostile content


@pytest.fixture
def config(config):  # type: ignore[no-untyped-def]
    config.tts.engines = ["espeak"]  # offline: Google is never contacted from tests
    return config


def _ok(resp: Any, *codes: int) -> dict[str, Any]:
    assert resp.status_code in (codes or (200, 201)), (resp.status_code, resp.get_data(True))
    return resp.get_json() or {}


def seed_hostile(api: Any, database: Any, tmp_path: Path) -> dict[str, Any]:
    """Fills every shown text field with a labelled payload, through the JSON API."""
    _ok(api.post("/api/v1/zones", json={"id": "thon-xss", "name": hostile("XSSZONE")}))
    node = {"id": "cum-xss", "zone": "thon-xss", "name": hostile("XSSNODE")}
    _ok(api.post("/api/v1/nodes", json=node))
    user = {"username": ADMIN, "role": "admin", "password": PASSWORD}
    _ok(api.post("/api/v1/users", json={**user, "full_name": hostile("XSSUSER")}))
    tone = make_tone(tmp_path / "tone", 1.0, fmt="wav")
    with tone.open("rb") as fh:
        form = {"file": (fh, "tone.wav"), "title": hostile("XSSMEDIA"), "tags": ",".join(PAYLOADS)}
        media = _ok(api.post("/api/v1/media", data=form, content_type="multipart/form-data"))
    # The spoken text is normalized (markup is read out as words); the title is kept as typed.
    tts = {"text": hostile("XSSTTS"), "title": hostile("XSSTTS"), "chime": False}
    speech = _ok(api.post("/api/v1/tts", json=tts))
    reading = {"term": "XSSTERM", "reading": hostile("XSSREADING")}
    _ok(api.post("/api/v1/tts/dictionary", json=reading))
    programs = {}
    for n, label in enumerate(("XSSPROGOK", "XSSPROGWAIT", "XSSPROGNO")):
        body = {
            "title": hostile(label),
            "media_ids": [media["id"], speech["id"]],
            "zones": ["thon-xss"],
            "schedule": {"type": "daily", "time": f"0{7 + n}:00"},
        }
        programs[label] = _ok(api.post("/api/v1/programs", json=body))["id"]
    approve = {"comment": hostile("XSSAPPROVE")}
    _ok(api.post(f"/api/v1/programs/{programs['XSSPROGOK']}/approve", json=approve))
    reject = {"comment": hostile("XSSREJECT")}
    _ok(api.post(f"/api/v1/programs/{programs['XSSPROGNO']}/reject", json=reject))
    # A node's proof of play carries the item title it was sent (stored by dispatch/ingest).
    with database.session() as s:
        for kind in ("started", "finished"):
            s.add(
                PlayEvent(
                    site_id=SITE, node_id="cum-xss", zone_id="thon-xss", item_id="xss-1",
                    type=kind, at=datetime.now(UTC), title=hostile("XSSPLAY"),
                    category="announcement", duration_ms=60_000,
                )
            )  # fmt: skip
    return {"programs": programs, "media": [media["id"], speech["id"]]}


def page_paths(app: Any, seeded: dict[str, Any]) -> list[str]:
    """Every menu page plus the edit, report, audit and filtered views."""
    with app.test_request_context("/"):
        from flask import url_for

        paths = [url_for(e.endpoint) for e in MENU if e.endpoint in app.view_functions]
    month = datetime.now(UTC).strftime("%Y-%m")
    paths += [f"/schedule/programs/{pid}/edit" for pid in seeded["programs"].values()]
    paths += [
        "/schedule/programs/new",
        "/schedule?zone=thon-xss",
        "/schedule?view=day&zone=thon-xss",
        f"/reports?zone=thon-xss&month={month}",
        "/reports/audit",
        "/admin",
        "/approvals",
    ]
    return list(dict.fromkeys(paths))


def logged_in_client(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token
    data = {"username": ADMIN, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code in (302, 303)
    return client


@pytest.fixture
def seeded(app, database, admin_api, tmp_path):  # type: ignore[no-untyped-def]
    return seed_hostile(admin_api, database, tmp_path)


def test_server_html_holds_no_injected_markup(app, seeded) -> None:  # type: ignore[no-untyped-def]
    client = logged_in_client(app)
    problems: dict[str, list[str]] = {}
    shown: set[str] = set()
    for path in page_paths(app, seeded):
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        html = resp.get_data(as_text=True)
        shown |= {label for label in LABELS if label in html}
        found = injections_in_html(html)
        if found:
            problems[path] = found
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    # The server renders most fields itself; the rest come from the API in the browser test.
    assert {"XSSZONE", "XSSUSER", "XSSPROGOK", "XSSAPPROVE", "XSSREJECT"} <= shown, shown


# ---------------------------------------------------------------------- in the browser

# Runs in the page after its scripts rendered: markup or handlers only an injection makes.
DETECT = """
() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.getAttributeNames()) {
      const v = el.getAttribute(a) || "";
      if (a.startsWith("on") && v.includes("alert")) found.push(`<${el.tagName} ${a}=${v}>`);
      if (["href", "src", "action", "formaction"].includes(a)
          && v.trim().toLowerCase().startsWith("javascript:")) {
        found.push(`<${el.tagName} ${a}=${v}>`);
      }
    }
    const data = el.getAttribute("type") === "application/json";
    if (el.tagName === "SCRIPT" && !data && el.textContent.includes("alert(")) {
      found.push("<script> " + el.textContent.slice(0, 80));
    }
    if (el.tagName === "IMG" && el.getAttribute("src") === "x") found.push("<img src=x>");
  }
  const inputs = [...document.querySelectorAll("input, textarea, select")].map((e) => e.value);
  const text = document.documentElement.outerHTML + "\\n" + inputs.join("\\n");
  return { found, text };
}
"""


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(app, seeded) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    problems: dict[str, list[str]] = {}
    shown: set[str] = set()
    with live_server(app) as base, browser_page(locale="vi-VN") as page:
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        login(page, base, ADMIN)
        for path in page_paths(app, seeded):
            page.goto(base + path, wait_until="networkidle")
            seen = page.evaluate(DETECT)
            shown |= {label for label in LABELS if label in seen["text"]}
            if seen["found"] or EVALUATED in seen["text"]:
                problems[path] = seen["found"] + ([EVALUATED] if EVALUATED in seen["text"] else [])
    assert not dialogs, f"alert dialogs fired: {dialogs}"
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    missing = set(LABELS) - shown
    assert not missing, f"fields never shown on any page (test would prove nothing): {missing}"
