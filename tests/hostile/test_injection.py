"""Injection-like and odd strings in every query parameter: never a 5xx, data intact, clear 4xx.

Every filter of every listing API and the query parameters of the schedule and report pages get
SQL-injection-like strings, LIKE wildcards, backslashes, NUL, a very long string, RTL and
zero-width characters, decomposed (NFD) Vietnamese, emoji, Unicode digits that ``str.isdigit``
accepts but ``int`` refuses, absurd dates and raw invalid UTF-8. Each answer must be below 500,
a 4xx must carry the API's JSON error, text filters must match literally (a ``%`` finds
nothing), and afterwards every table still holds what it held. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from controller.db.models import AuditLog, MediaItem, Node, PlayEvent, Program, Zone
from controller.library import catalog
from tests.conftest import PASSWORD
from tests.controller.dispatch.commune import SITE, seed_commune

ODD = (
    "' OR 1=1 --",
    "'; DROP TABLE play_events; --",
    '"; DROP TABLE play_events; --',
    "1) OR (1=1",
    "%",
    "_",
    "%_%",
    "\\",
    "\\%",
    "\x00",
    "a\x00b",
    "x" * 20_000,
    "\u202etxet lacigol\u202c",
    "\u200b\u200c\u200d\ufeff",
    unicodedata.normalize("NFD", "Thôn Bình Yên"),
    "📢🔊 loa",
    "²",
    "١٢",
    "-1",
    "0",
    "99999999999999999999999",
    "1e3",
    "2027-13-45",
    "0000-00-00",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00:00-23:59",
    "2027-01-01T07:00:00",
    "[]",
    "null",
    " ",
    "\r\nX-Injected: 1",
)
RAW = ("%ff%fe", "%c0%af", "%ed%a0%80")  # invalid UTF-8 in the query string itself

API_PARAMS = {
    "/api/v1/media": ("q", "category"),
    "/api/v1/plays": ("node", "zone", "type", "from", "to", "limit", "before", "format"),
    "/api/v1/programs": ("status",),
    "/api/v1/audit": ("user", "action", "from", "to", "limit"),
    "/api/v1/nodes": ("zone",),
    "/api/v1/calendar/holidays": ("year",),
    "/api/v1/broadcasts": ("limit",),
    "/api/v1/zones": ("q",),
    "/api/v1/tts/dictionary": ("q",),
}
PAGE_PARAMS = {
    "/schedule": ("zone", "date", "view", "saved", "left"),
    "/reports": ("zone", "month", "year"),
    "/reports/audit": ("user", "action", "from", "to"),
    "/": ("zone",),
    "/library": ("q", "category"),
}
# Filters compared literally: no odd value may match the seeded rows.
LITERAL = {
    ("/api/v1/media", "q"),
    ("/api/v1/plays", "node"),
    ("/api/v1/plays", "zone"),
    ("/api/v1/audit", "user"),
    ("/api/v1/audit", "action"),
    ("/api/v1/nodes", "zone"),
}
MODELS = (AuditLog, MediaItem, Node, PlayEvent, Program, Zone)


def _seed(database: Any) -> None:
    seed_commune(database)
    now = datetime.now(UTC)
    with database.session() as s:
        for item in s.scalars(select(MediaItem)):
            catalog.update_media(item, title=item.title)  # fills the search key
        for n, kind in enumerate(("started", "finished")):
            s.add(
                PlayEvent(
                    site_id=SITE, node_id="thon-1-a", zone_id="thon-1", item_id="x", type=kind,
                    at=now - timedelta(minutes=5 - n), title="Tin bão số 3",
                    category="emergency", duration_ms=300_000,
                )
            )  # fmt: skip
        s.add(AuditLog(username="quan-tri", action="zone.create", target_type="zone",
                       target_id="thon-1", detail={"name": "Thôn 1"}))  # fmt: skip


def _counts(database: Any) -> dict[str, int]:
    with database.session() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in MODELS}


def _page_client(app: Any, make_user: Any) -> Any:
    client = app.test_client()
    username = make_user("admin")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token
    data = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code in (302, 303)
    return client


def _problem(path: str, param: str, value: Any, resp: Any, api: bool) -> str | None:
    status = resp.status_code
    shown = repr(value)[:40]
    if status >= 500:
        return f"{path}?{param}={shown}: {status}"
    if api and 400 <= status < 500:
        error = (resp.get_json(silent=True) or {}).get("error") or {}
        if not error.get("code") or not error.get("message"):
            return f"{path}?{param}={shown}: {status} without a JSON error"
    if api and status == 200 and (path, param) in LITERAL and _searchable(path, value):
        items = resp.get_json()["items"]
        if items:
            return f"{path}?{param}={shown}: matched {len(items)} rows (not literal)"
    return None


def _searchable(path: str, value: str) -> bool:
    """Whether the filter has something to match (media search ignores punctuation)."""
    if path == "/api/v1/media":
        return bool(catalog.query_words(value))
    return bool(value.strip())


@pytest.mark.postgres
def test_odd_query_values_never_break_a_listing(app, database, admin_api, make_user) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    pages = _page_client(app, make_user)
    before = _counts(database)
    problems = []
    for targets, client, api in ((API_PARAMS, admin_api, True), (PAGE_PARAMS, pages, False)):
        for path, params in targets.items():
            for param in params:
                for value in ODD:
                    resp = client.get(path, query_string={param: value})
                    problems.append(_problem(path, param, value, resp, api))
                for raw in RAW:
                    resp = client.get(path, query_string=f"{param}={raw}")
                    problems.append(_problem(path, param, raw, resp, api))
    found = [p for p in problems if p]
    assert not found, "\n".join(found)
    assert _counts(database) == before
    listed = admin_api.get("/api/v1/plays", query_string={"zone": "thon-1"}).get_json()
    assert len(listed["items"]) == 2  # the log still answers normal questions


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/media", {"category": "' OR 1=1 --"}),
        ("/api/v1/plays", {"limit": "abc"}),
        ("/api/v1/plays", {"limit": "²"}),
        ("/api/v1/plays", {"limit": "0"}),
        ("/api/v1/plays", {"from": "2027-13-45"}),
        ("/api/v1/plays", {"from": "2027-01-01T07:00:00"}),
        ("/api/v1/plays", {"to": "9999-12-31"}),
        ("/api/v1/plays", {"from": "9999-12-31T23:59:59-12:00"}),
        ("/api/v1/plays", {"from": "2027-01-02", "to": "2027-01-01"}),
        ("/api/v1/plays", {"before": "' OR 1=1 --"}),
        ("/api/v1/plays", {"type": "%"}),
        ("/api/v1/programs", {"status": "approved' OR '1'='1"}),
        ("/api/v1/audit", {"limit": "²"}),
        ("/api/v1/audit", {"to": "9999-12-31"}),
        ("/api/v1/audit", {"from": "\x00"}),
        ("/api/v1/calendar/holidays", {"year": "²"}),
        ("/api/v1/calendar/holidays", {"year": "1e3"}),
        ("/api/v1/broadcasts", {"limit": "²"}),
    ],
)
def test_invalid_filters_get_a_clear_422(app, database, admin_api, path, query) -> None:  # type: ignore[no-untyped-def]
    resp = admin_api.get(path, query_string=query)
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.get_json()["error"]["code"] == "validation"


@pytest.mark.postgres
def test_wildcards_and_accents_match_literally(app, database, admin_api) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    by = {q: admin_api.get("/api/v1/media", query_string={"q": q}).get_json()["items"] for q in (
        "bão", unicodedata.normalize("NFD", "bão"), "bao", "%", "_ão", "b%o")}  # fmt: skip
    assert [i["title"] for i in by["bão"]] == ["Tin bão số 3"]
    assert by[unicodedata.normalize("NFD", "bão")] == by["bão"]  # typed on a phone keyboard
    assert by["bao"] == by["bão"]  # accents optional
    assert by["_ão"] == by["b%o"] == []  # no LIKE wildcards
    assert len(by["%"]) == 2  # punctuation only: no search words, the whole library


ODD_IDS = ("99999999999", "9" * 25, "%00", "a%00b", "%2e%2e%2f%2e%2e", "%E2%80%AE", "📢")
ID_PATHS = (
    "/api/v1/programs/{}",
    "/api/v1/media/{}",
    "/api/v1/media/{}/audio",
    "/api/v1/zones/{}",
    "/api/v1/nodes/{}",
    "/api/v1/plans/{}",
    "/api/v1/broadcasts/{}",
    "/api/v1/jobs/{}",
    "/schedule/programs/{}/edit",
)


@pytest.mark.postgres
def test_odd_ids_in_paths_are_not_found(app, database, admin_api, make_user) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    pages = _page_client(app, make_user)
    found = []
    for template in ID_PATHS:
        client = pages if template.startswith("/schedule") else admin_api
        for odd in ODD_IDS:
            resp = client.get(template.format(odd))
            if not 400 <= resp.status_code < 500:
                found.append(f"{template.format(odd)}: {resp.status_code}")
    assert not found, "\n".join(found)
