"""Plain Vietnamese words and one format: cron wording, quiet-hours hints, English plurals,
durations as mm:ss on every page."""

from __future__ import annotations

from controller.reports.records import format_duration
from controller.web.template_context import mmss
from controller.web.ui_text import tn
from tests.controller.dispatch.commune import seed_commune
from tests.controller.web.session_client import HTML


def test_schedule_editor_says_advanced_in_plain_vietnamese(app, api_as) -> None:  # type: ignore[no-untyped-def]
    page = api_as("officer").get("/schedule/programs/new", headers=HTML).text
    assert "Nâng cao (biểu thức cron)" in page and "Cron nâng cao" not in page


def test_quiet_hours_end_hint_is_an_end_time(app, api_as) -> None:  # type: ignore[no-untyped-def]
    page = api_as("admin").get("/admin", headers=HTML).text
    for field in ("nz-quiet-end", "ez-quiet-end"):
        tag = page[page.index(f'id="{field}"') :].split(">")[0]
        assert 'placeholder="vd. 05:00"' in tag, tag
    start = page[page.index('id="nz-quiet-start"') :].split(">")[0]
    assert 'placeholder="vd. 22:00"' in start


def test_english_counts_are_singular_for_one(app, database, api_as) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/?lang=en"):
        assert tn("dash_nodes_count", 1) == "1 loudspeaker"
        assert tn("dash_nodes_count", 2) == "2 loudspeakers"
    with app.test_request_context("/"):
        assert tn("dash_nodes_count", 1) == "1 cụm loa"
    seed_commune(database)
    english = api_as("viewer").get("/?lang=en", headers=HTML).text
    assert "2 loudspeakers" in english and "1 loudspeakers" not in english


def test_one_duration_format() -> None:
    assert mmss(65_400) == format_duration(65.4) == "01:05"
    assert mmss(2_500) == "00:03"  # half up everywhere (Math.round in TT.mmss)
    assert mmss(3_725_000) == "1:02:05"
