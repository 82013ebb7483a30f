"""Tests for the holiday catalog: the shipped data, date resolution and local-file validation."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from functools import partial
from pathlib import Path

import pytest

from controller.scheduling import holidays
from controller.scheduling.holidays import (
    DEFAULT_LOCAL,
    DEFAULT_SHIPPED,
    CatalogError,
    Holiday,
    HolidayCatalog,
    holiday_date,
    holiday_keys,
    holidays_for_year,
    holidays_on,
    is_day_off,
    load_catalog,
    parse_catalog,
)
from controller.scheduling.lunar import lunar_to_solar, solar_to_lunar

D = dt.date


@pytest.fixture(scope="module")
def shipped() -> HolidayCatalog:
    return load_catalog(DEFAULT_SHIPPED, Path("/nonexistent/local_holidays.toml"))


def _write(tmp_path: Path, text: str, name: str = "local.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _local(tmp_path: Path, text: str) -> HolidayCatalog:
    return load_catalog(DEFAULT_SHIPPED, _write(tmp_path, text))


# ------------------------------------------------------------------------- shipped data


def test_shipped_catalog_is_valid_and_complete(shipped: HolidayCatalog) -> None:
    assert shipped.problems == ()
    keys = {rule.key for rule in shipped.rules}
    required = {
        "tet-duong-lich",
        "giao-thua",
        "tet-nguyen-dan",
        "tet-mung-2",
        "tet-mung-3",
        "gio-to-hung-vuong",
        "giai-phong-mien-nam",
        "quoc-te-lao-dong",
        "quoc-khanh",
        "quoc-khanh-nghi-them",
        "ram-thang-gieng",
        "tet-trung-thu",
        "gia-dinh-viet-nam",
        "phap-luat-viet-nam",
        "dai-doan-ket-toan-dan-toc",
        "nha-giao-viet-nam",
        "quan-doi-nhan-dan",
    }
    assert required <= keys
    assert all(rule.name_en and rule.name_en != rule.name for rule in shipped.rules)


def test_shipped_file_spells_out_every_field() -> None:
    # The shipped file documents the format by example, so no field relies on a default.
    document = tomllib.loads(DEFAULT_SHIPPED.read_text(encoding="utf-8"))
    for entry in document["holiday"]:
        assert {"key", "name", "name_en", "calendar", "month", "day", "day_off"} <= set(entry)


def test_shipped_local_example_loads_without_problems() -> None:
    catalog = load_catalog()
    assert catalog.problems == ()
    assert DEFAULT_LOCAL.exists()
    assert "le-hoi-dinh-lang" in DEFAULT_LOCAL.read_text(encoding="utf-8")


def test_tet_2027(shipped: HolidayCatalog) -> None:
    assert holiday_date("tet-nguyen-dan", 2027, shipped) == D(2027, 2, 6)
    assert holiday_date("giao-thua", 2027, shipped) == D(2027, 2, 5)
    assert holiday_date("tet-mung-3", 2027, shipped) == D(2027, 2, 8)


def test_giao_thua_is_the_30th_when_the_twelfth_month_is_long(shipped: HolidayCatalog) -> None:
    eve = holiday_date("giao-thua", 2026, shipped)
    assert eve == D(2026, 2, 16)
    assert solar_to_lunar(eve).month == 12
    for year in range(1990, 2051):
        eve = holiday_date("giao-thua", year, shipped)
        assert eve is not None
        assert solar_to_lunar(eve).day in (29, 30)
        assert solar_to_lunar(eve + dt.timedelta(days=1)).day == 1


def test_lunar_holidays_follow_the_lunar_calendar(shipped: HolidayCatalog) -> None:
    for year in (2025, 2027, 2030):
        assert holiday_date("gio-to-hung-vuong", year, shipped) == lunar_to_solar(10, 3, year)
        assert holiday_date("tet-trung-thu", year, shipped) == lunar_to_solar(15, 8, year)
    assert holiday_date("gio-to-hung-vuong", 2027, shipped) == D(2027, 4, 16)
    # Vietnam's Tết 2030 is a day before China's.
    assert holiday_date("tet-nguyen-dan", 2030, shipped) == D(2030, 2, 2)


def test_year_2027_as_the_api_serves_it(shipped: HolidayCatalog) -> None:
    items = holidays_for_year(2027, shipped)
    assert items == sorted(items, key=lambda h: h.date)
    assert all(h.date.year == 2027 for h in items)
    tet = next(h for h in items if h.key == "tet-nguyen-dan")
    assert tet == Holiday(
        date=D(2027, 2, 6),
        key="tet-nguyen-dan",
        name="Tết Nguyên đán (mùng 1 Tết)",
        name_en="Lunar New Year (1st day of Tết)",
        lunar=True,
        day_off=True,
    )
    national = next(h for h in items if h.key == "quoc-khanh")
    assert (national.date, national.lunar, national.day_off) == (D(2027, 9, 2), False, True)
    women = next(h for h in items if h.key == "phu-nu-viet-nam")
    assert (women.date, women.day_off) == (D(2027, 10, 20), False)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2030, 2040])
def test_eleven_statutory_days_off(shipped: HolidayCatalog, year: int) -> None:
    # Labour Code 2019, Art. 112: 1 + 5 (Tết) + 1 + 1 + 2 (Quốc khánh) + 1 (Giỗ Tổ) days.
    days_off = {h.date for h in holidays_for_year(year, shipped) if h.day_off}
    assert len(days_off) == 11
    tet = holiday_date("tet-nguyen-dan", year, shipped)
    assert tet is not None
    tet_days = {tet + dt.timedelta(days=n) for n in range(-1, 4)}
    assert tet_days <= days_off


def test_national_day_extra_day_defaults_to_1_september(shipped: HolidayCatalog) -> None:
    assert holiday_date("quoc-khanh-nghi-them", 2025, shipped) == D(2025, 9, 1)
    assert holiday_date("quoc-khanh-nghi-them", 2027, shipped) == D(2027, 9, 1)
    # 2024's government decision chose the day after.
    assert holiday_date("quoc-khanh-nghi-them", 2024, shipped) == D(2024, 9, 3)


def test_unknown_key_has_no_date(shipped: HolidayCatalog) -> None:
    assert holiday_date("no-such-day", 2027, shipped) is None


def test_holidays_on_and_is_day_off(shipped: HolidayCatalog) -> None:
    assert [h.key for h in holidays_on(D(2027, 2, 5), shipped)] == ["giao-thua"]
    assert is_day_off(D(2027, 2, 5), shipped)
    assert not is_day_off(D(2027, 3, 8), shipped)  # a commemoration, not a day off
    assert not is_day_off(D(2027, 3, 9), shipped)


def test_works_as_the_recurrence_holiday_resolver(shipped: HolidayCatalog) -> None:
    resolver = partial(holiday_date, catalog=shipped)
    assert resolver("giao-thua", 2027) == D(2027, 2, 5)
    assert "giao-thua" in holiday_keys(shipped)


def test_default_catalog_is_used_when_none_given() -> None:
    assert holiday_date("tet-nguyen-dan", 2027) == D(2027, 2, 6)
    assert holidays.default_catalog() is holidays.default_catalog()


# ---------------------------------------------------------------------- local holidays

VILLAGE_FESTIVAL = """
[[holiday]]
key = "le-hoi-dinh-lang"
name = "Lễ hội đình làng"
calendar = "lunar"
month = 2
day = 12
"""


def test_local_entry_is_added(tmp_path: Path) -> None:
    catalog = _local(tmp_path, VILLAGE_FESTIVAL)
    assert catalog.problems == ()
    festival = next(h for h in holidays_for_year(2027, catalog) if h.key == "le-hoi-dinh-lang")
    assert festival.date == lunar_to_solar(12, 2, 2027)
    assert festival.name_en == "Lễ hội đình làng"  # name_en defaults to the Vietnamese name
    assert (festival.lunar, festival.day_off) == (True, False)


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ('month = 13\nday = 1\ncalendar = "solar"', "month"),
        ('month = 4\nday = 31\ncalendar = "solar"', "day 31 does not exist"),
        ('month = 2\nday = 31\ncalendar = "lunar"', "lunar day"),
        ('month = 2\nday = 1\ncalendar = "julian"', "calendar"),
        ('month = "2"\nday = 1\ncalendar = "solar"', "integer"),
        ('month = true\nday = 1\ncalendar = "solar"', "integer"),
        ('mounth = 2\nmonth = 2\nday = 1\ncalendar = "solar"', "unknown field 'mounth'"),
        ('day = 1\ncalendar = "solar"', "missing field 'month'"),
        ('month = 2\nday = 1\ncalendar = "solar"\nday_off = "yes"', "day_off"),
        ('month = 2\nday = 1\ncalendar = "solar"\noffset_days = 400', "offset_days"),
    ],
)
def test_bad_local_entry_is_reported_and_skipped(tmp_path: Path, entry: str, fragment: str) -> None:
    text = f'[[holiday]]\nkey = "ngay-sai"\nname = "Ngày sai"\n{entry}\n' + VILLAGE_FESTIVAL
    catalog = _local(tmp_path, text)
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert fragment in problem.message_en
    assert problem.message  # the Vietnamese explanation for the officer
    assert problem.entry == "holiday #1 (ngay-sai)"
    assert str(tmp_path) in problem.source
    keys = holiday_keys(catalog)
    assert "ngay-sai" not in keys
    assert "le-hoi-dinh-lang" in keys  # the good entry after it still counts


def test_duplicate_key_is_rejected(tmp_path: Path) -> None:
    text = VILLAGE_FESTIVAL.replace("le-hoi-dinh-lang", "quoc-khanh") + VILLAGE_FESTIVAL * 2
    catalog = _local(tmp_path, text)
    messages = [p.message_en for p in catalog.problems]
    assert len(messages) == 2
    assert "duplicate key 'quoc-khanh'" in messages[0]
    assert "duplicate key 'le-hoi-dinh-lang'" in messages[1]
    assert holiday_date("quoc-khanh", 2027, catalog) == D(2027, 9, 2)  # shipped entry kept
    assert [r.key for r in catalog.rules].count("le-hoi-dinh-lang") == 1


def test_bad_key_is_rejected(tmp_path: Path) -> None:
    catalog = _local(tmp_path, VILLAGE_FESTIVAL.replace("le-hoi-dinh-lang", "Lễ hội"))
    assert len(catalog.problems) == 1
    assert "lowercase" in catalog.problems[0].message_en


def test_invalid_toml_is_reported_not_raised(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="controller.scheduling.holidays"):
        catalog = _local(tmp_path, "[[holiday]\nkey = ")
    assert len(catalog.problems) == 1
    assert "TOML" in catalog.problems[0].message_en
    assert holiday_date("tet-nguyen-dan", 2027, catalog) == D(2027, 2, 6)
    assert "holiday catalog entry skipped" in caplog.text


def test_non_utf8_local_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_bytes('name = "Lễ hội"'.encode("cp1258", errors="replace") + b"\xff\xfe")
    catalog = load_catalog(DEFAULT_SHIPPED, path)
    assert len(catalog.problems) == 1


def test_unknown_section_is_reported(tmp_path: Path) -> None:
    catalog = _local(tmp_path, "[[holidays]]\nkey = 'x'\n" + VILLAGE_FESTIVAL)
    assert len(catalog.problems) == 1
    assert "unknown section 'holidays'" in catalog.problems[0].message_en
    assert "le-hoi-dinh-lang" in holiday_keys(catalog)


def test_local_override_moves_a_holiday(tmp_path: Path) -> None:
    text = '[[override]]\nkey = "quoc-khanh-nghi-them"\nyear = 2027\ndate = 2027-09-03\n'
    catalog = _local(tmp_path, text)
    assert catalog.problems == ()
    assert holiday_date("quoc-khanh-nghi-them", 2027, catalog) == D(2027, 9, 3)
    assert holiday_date("quoc-khanh-nghi-them", 2028, catalog) == D(2028, 9, 1)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('key = "khong-co"\nyear = 2027\ndate = 2027-09-03', "no holiday has the key"),
        ('key = "quoc-khanh"\nyear = 2027\ndate = 2028-09-03', "must be a date in 2027"),
        ('key = "quoc-khanh"\nyear = 2027\ndate = "3/9/2027"', "must be a date in 2027"),
        ('key = "quoc-khanh"\nyear = 2024\ndate = 2024-09-03', None),  # valid, for the next case
    ],
)
def test_bad_override_is_reported(tmp_path: Path, body: str, fragment: str | None) -> None:
    catalog = _local(tmp_path, f"[[override]]\n{body}\n")
    if fragment is None:
        assert catalog.problems == ()
    else:
        assert len(catalog.problems) == 1
        assert fragment in catalog.problems[0].message_en


def test_override_clashing_with_shipped_one_is_rejected(tmp_path: Path) -> None:
    text = '[[override]]\nkey = "quoc-khanh-nghi-them"\nyear = 2024\ndate = 2024-09-01\n'
    catalog = _local(tmp_path, text)
    assert len(catalog.problems) == 1
    assert holiday_date("quoc-khanh-nghi-them", 2024, catalog) == D(2024, 9, 3)


def test_one_off_entry_applies_to_its_year_only(tmp_path: Path) -> None:
    text = """
[[holiday]]
key = "nghi-bu-2027"
name = "Nghỉ bù"
calendar = "solar"
month = 5
day = 3
day_off = true
year = 2027
"""
    catalog = _local(tmp_path, text)
    assert holiday_date("nghi-bu-2027", 2027, catalog) == D(2027, 5, 3)
    assert holiday_date("nghi-bu-2027", 2028, catalog) is None
    assert is_day_off(D(2027, 5, 3), catalog)


def test_lunar_day_30_falls_back_to_the_29th(tmp_path: Path) -> None:
    text = VILLAGE_FESTIVAL.replace("month = 2", "month = 12").replace("day = 12", "day = 30")
    catalog = _local(tmp_path, text)
    # tháng Chạp of lunar 2026 has 29 days: the festival is held on its last day, 2027-02-05.
    assert holiday_date("le-hoi-dinh-lang", 2027, catalog) == D(2027, 2, 5)
    # tháng Chạp of lunar 2025 has 30 days.
    assert holiday_date("le-hoi-dinh-lang", 2026, catalog) == D(2026, 2, 16)


def test_lunar_month_11_can_fall_twice_or_never_in_a_solar_year() -> None:
    document = tomllib.loads(
        VILLAGE_FESTIVAL.replace("month = 2", "month = 11").replace("day = 12", "day = 28")
    )
    catalog = parse_catalog(document, "test")
    # 28/11 of lunar 2026 and of lunar 2027 both fall in solar 2027.
    dates = [h.date for h in holidays_for_year(2027, catalog)]
    assert dates == [D(2027, 1, 5), D(2027, 12, 25)]
    assert holiday_date("le-hoi-dinh-lang", 2027, catalog) == D(2027, 1, 5)
    # ...and solar 2028 has none: 28/11 of lunar 2028 is in January 2029.
    assert holidays_for_year(2028, catalog) == []
    assert lunar_to_solar(28, 11, 2028) == D(2029, 1, 12)


def test_feb_29_only_in_leap_years() -> None:
    document = tomllib.loads(
        VILLAGE_FESTIVAL.replace('"lunar"', '"solar"').replace("day = 12", "day = 29")
    )
    catalog = parse_catalog(document, "test")
    assert holiday_date("le-hoi-dinh-lang", 2028, catalog) == D(2028, 2, 29)
    assert holiday_date("le-hoi-dinh-lang", 2027, catalog) is None


def test_bad_shipped_file_raises(tmp_path: Path) -> None:
    bad = _write(tmp_path, VILLAGE_FESTIVAL.replace("month = 2", "month = 0"), "shipped.toml")
    with pytest.raises(CatalogError, match="month"):
        load_catalog(bad, tmp_path / "absent.toml")
    with pytest.raises(CatalogError):
        load_catalog(tmp_path / "missing.toml", tmp_path / "absent.toml")


def test_default_catalog_reloads_when_the_local_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local.toml"
    monkeypatch.setattr(holidays, "DEFAULT_LOCAL", local)
    monkeypatch.setattr(holidays, "_default_cache", {})
    assert "le-hoi-dinh-lang" not in holiday_keys()
    local.write_text(VILLAGE_FESTIVAL, encoding="utf-8")
    assert "le-hoi-dinh-lang" in holiday_keys()
