"""Every page of the menu, in Vietnamese, shows no English UI words and writes dates dd/mm/yyyy.

Logs in as an administrator (every page) and as an approver, opens each page linked from the
main menu in headless Chromium and reads what a person can see or will see: text (including
closed dialogs and select options), the labels that CSS shows on phones (``data-label``),
``placeholder``/``title``/``aria-label``/``alt`` attributes and the translated strings pages
hand to their scripts in JSON blocks. Code samples (``code``, ``pre``, ``textarea``) are exempt:
configuration files are not UI text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from controller.db.models import Node, PlayEvent
from controller.web.navigation import MENU
from tests.controller.dispatch.commune import SITE, seed_commune
from tests.controller.web.ops_browser import login
from tests.support.browser import browser_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser

# English UI words ("Menu" is left out: Vietnamese uses it as is, "Menu chính").
DENY = frozenset(
    {
        "save",
        "cancel",
        "delete",
        "remove",
        "upload",
        "download",
        "search",
        "filter",
        "status",
        "online",
        "offline",
        "loading",
        "error",
        "errors",
        "submit",
        "send",
        "edit",
        "update",
        "create",
        "add",
        "new",
        "name",
        "names",
        "date",
        "time",
        "dashboard",
        "library",
        "schedule",
        "scheduled",
        "report",
        "reports",
        "settings",
        "setting",
        "users",
        "user",
        "approve",
        "approved",
        "approval",
        "approvals",
        "reject",
        "rejected",
        "pending",
        "play",
        "playing",
        "played",
        "stop",
        "stopped",
        "volume",
        "login",
        "logout",
        "sign",
        "password",
        "username",
        "title",
        "category",
        "duration",
        "file",
        "files",
        "audio",
        "record",
        "recording",
        "broadcast",
        "emergency",
        "program",
        "programs",
        "priority",
        "normal",
        "preview",
        "minutes",
        "seconds",
        "hours",
        "today",
        "yesterday",
        "tomorrow",
        "week",
        "month",
        "year",
        "close",
        "confirm",
        "back",
        "next",
        "previous",
        "yes",
        "none",
        "unknown",
        "details",
        "description",
        "choose",
        "select",
        "apply",
        "reset",
        "help",
        "home",
        "language",
        "loudspeaker",
        "loudspeakers",
        "hamlet",
        "hamlets",
        "speech",
        "voice",
        "administration",
        "compose",
        "notice",
        "greeting",
        "greetings",
        "holiday",
        "holidays",
        "calendar",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    }
)
ALLOWED = frozenset({"English", "VNeID", "MQTT", "LUFS", "CSV", "PDF", "Ed25519", "TTS", "API"})
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
PLACEHOLDER = re.compile(r"\{\w+\}")  # "{title}" in a message template is filled in later
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SLASH_DATE = re.compile(r"\b\d{1,4}/\d{1,2}/\d{1,4}\b")
GOOD_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
AM_PM = re.compile(r"\d{1,2}:\d{2}\s?(AM|PM|am|pm)\b")

# Runs in the page: (visible-or-revealable text, attribute texts, JSON strings for scripts).
COLLECT = """
() => {
  const skip = "script, style, code, pre, textarea, kbd, samp, template, [translate=no]";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && !n.parentElement.closest(skip) && n.textContent.trim()) {
      texts.push(n.textContent.trim());
    }
  }
  const attrs = [];
  const names = ["placeholder", "title", "aria-label", "alt", "data-label"];
  for (const el of document.querySelectorAll(names.map((a) => `[${a}]`).join(","))) {
    if (el.closest(skip)) continue;
    for (const a of names) if (el.hasAttribute(a)) attrs.push(el.getAttribute(a));
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]")) {
    attrs.push(el.value);
  }
  const json = [];
  const walk = (v) => {
    if (typeof v === "string") json.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const s of document.querySelectorAll('script[type="application/json"]')) {
    try { walk(JSON.parse(s.textContent)); } catch (e) { json.push("INVALID JSON BLOCK"); }
  }
  return { texts, attrs, json, title: document.title };
}
"""


def english_words(text: str) -> list[str]:
    words = WORD.findall(PLACEHOLDER.sub(" ", text))
    return [w for w in words if w not in ALLOWED and w.lower() in DENY]


def bad_dates(text: str) -> list[str]:
    found = ISO_DATE.findall(text) + AM_PM.findall(text)
    return found + [d for d in SLASH_DATE.findall(text) if not is_vn_date(d)]


def is_vn_date(text: str) -> bool:
    """dd/mm/yyyy with a real day and month (11/25/2026 is the American order)."""
    if not GOOD_DATE.match(text):
        return False
    try:
        datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return False
    return True


def test_the_scanner_itself() -> None:
    assert english_words("Lưu · Save · Trạng thái: Online") == ["Save", "Online"]
    assert english_words("Tiếng Việt English · ứng dụng VNeID · -16 LUFS · Đã lưu") == []
    assert bad_dates("25/11/2026 19:33, tháng 10/2026, 10/3 âm lịch") == []
    assert bad_dates("2026-11-25 · 11/25/2026 · 5/1/2027 · 7:30 PM") == [
        "2026-11-25",
        "PM",
        "11/25/2026",
        "5/1/2027",
    ]
    assert english_words("Đã lưu “{title}” lúc {time}") == []


def _seed(database) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    now = datetime.now(UTC)
    with database.session() as s:
        node = s.get(Node, "thon-1-a")
        node.online, node.last_seen, node.volume, node.clock_offset_ms = True, now, 80, 3.0
        for kind, at in (("started", now - timedelta(minutes=5)), ("finished", now)):
            s.add(
                PlayEvent(
                    site_id=SITE,
                    node_id="thon-1-a",
                    zone_id="thon-1",
                    item_id="x",
                    type=kind,
                    at=at,
                    title="Tin bão số 3",
                    category="emergency",
                    duration_ms=300000,
                )
            )


def _problems(page: Any, url: str) -> list[str]:
    page.goto(url, wait_until="networkidle")
    problems = []
    if page.get_attribute("html", "lang") != "vi":
        problems.append('html lang is not "vi"')
    seen = page.evaluate(COLLECT)
    for source in ("texts", "attrs", "json"):
        for text in seen[source]:
            words = english_words(text)
            if words:
                problems.append(f"English {words} in {source}: {text[:120]!r}")
    for text in [*seen["texts"], *seen["attrs"], seen["title"]]:
        dates = bad_dates(text)
        if dates:
            problems.append(f"dates not dd/mm/yyyy {dates}: {text[:120]!r}")
    if english_words(seen["title"]):
        problems.append(f"English in the window title: {seen['title']!r}")
    return problems


def _menu_pages(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.menu a", "els => els.map(e => e.getAttribute('href'))")
    return [f"{base}{h}" for h in hrefs]


@pytest.mark.parametrize(("role", "extra"), [("admin", ["/reports/audit"]), ("approver", [])])
def test_every_menu_page_is_vietnamese(app, database, make_user, role, extra) -> None:  # type: ignore[no-untyped-def]
    _seed(database)
    user = make_user(role, {"admin": "quan-tri-xa", "approver": "lanh-dao-xa"}[role])
    report: dict[str, list[str]] = {}
    with live_server(app) as base, browser_page(locale="vi-VN") as page:
        login(page, base, user)
        pages = _menu_pages(page, base)
        if role == "admin":  # the administrator's menu is the whole menu
            assert len(pages) == len(MENU), pages
        assert len(pages) >= 3
        for url in [*pages, *(base + path for path in extra)]:
            problems = _problems(page, url)
            if problems:
                report[url.removeprefix(base)] = problems
    assert not report, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in report.items())
