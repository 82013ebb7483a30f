"""``GET /api/v1/calendar/holidays``: solar and lunar holidays of a year, year validation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest


def test_holidays_of_2027_include_tet_and_hung_kings(admin_api) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get("/api/v1/calendar/holidays?year=2027")
    assert r.status_code == 200
    items = r.json["items"]
    by_key = {h["key"]: h for h in items}
    tet = by_key["tet-nguyen-dan"]
    assert tet["date"] == "2027-02-06" and tet["lunar"] is True and tet["day_off"] is True
    assert tet["name"] and tet["name_en"]
    assert by_key["quoc-khanh"]["date"] == "2027-09-02" and by_key["quoc-khanh"]["lunar"] is False
    assert by_key["gio-to-hung-vuong"]["date"] == "2027-04-16"
    assert [h["date"] for h in items] == sorted(h["date"] for h in items)
    assert set(items[0]) == {"date", "name", "name_en", "lunar", "day_off", "key"}


def test_any_role_may_read_the_calendar(api_as) -> None:  # type: ignore[no-untyped-def]
    r = api_as("viewer").get("/api/v1/calendar/holidays?year=2030")
    assert r.status_code == 200
    # 2030 is a year where the Vietnamese (UTC+7) Tết differs from the Chinese one.
    assert {h["key"]: h["date"] for h in r.json["items"]}["tet-nguyen-dan"] == "2030-02-02"


@pytest.mark.parametrize("year", ["1899", "2200", "abc", "20.5", "-2027"])
def test_bad_years_are_refused_in_vietnamese(admin_api, year: str) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get(f"/api/v1/calendar/holidays?year={year}")
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation"
    assert "1900" in r.json["error"]["message"] and "2199" in r.json["error"]["message"]


@pytest.mark.parametrize("year", ["1900", "2199"])
def test_range_edges_are_accepted(admin_api, year: str) -> None:  # type: ignore[no-untyped-def]
    r = admin_api.get(f"/api/v1/calendar/holidays?year={year}")
    assert r.status_code == 200
    assert any(h["key"] == "quoc-khanh" for h in r.json["items"])


def test_default_year_is_the_site_year(app, admin_api) -> None:  # type: ignore[no-untyped-def]
    # 31 Dec 2027 20:00 UTC is already 1 Jan 2028 in Vietnam.
    app.extensions["tt.clock"] = lambda: datetime(2027, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    r = admin_api.get("/api/v1/calendar/holidays")
    assert r.status_code == 200 and r.json["year"] == 2028
    assert r.json["items"][0]["date"].startswith("2028-")


def test_unauthenticated_calls_are_refused(app) -> None:  # type: ignore[no-untyped-def]
    assert app.test_client().get("/api/v1/calendar/holidays?year=2027").status_code == 401
