"""Vietnamese holiday calendar: which holidays and commemorations fall on which solar dates.

The holidays themselves are data: ``schedules/holidays.toml`` (shipped, national) and
``schedules/local_holidays.toml`` (the commune's own festivals). This module loads and validates
those files, then resolves solar and lunar (UTC+7) entries to dates. Only ``load_catalog`` and
``default_catalog`` touch the file system; everything else is pure. A bad entry in the local file
is reported in ``HolidayCatalog.problems`` and skipped, never raised; a bad shipped file raises
``CatalogError`` because it is ours to keep valid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from controller.scheduling.lunar import lunar_to_solar

log = logging.getLogger(__name__)

SCHEDULES_DIR = Path(__file__).resolve().parents[2] / "schedules"
DEFAULT_SHIPPED = SCHEDULES_DIR / "holidays.toml"
DEFAULT_LOCAL = SCHEDULES_DIR / "local_holidays.toml"

CALENDARS = ("solar", "lunar")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED_FIELDS = ("key", "name", "calendar", "month", "day")
OPTIONAL_FIELDS = ("name_en", "day_off", "offset_days", "year")
OVERRIDE_FIELDS = ("key", "year", "date")
MAX_OFFSET_DAYS = 31


@dataclass(frozen=True)
class Holiday:
    """One holiday on one solar date, as the scheduler and the API see it."""

    date: dt.date
    key: str
    name: str
    name_en: str
    lunar: bool
    day_off: bool


@dataclass(frozen=True)
class HolidayRule:
    """One validated catalog entry: how to find the holiday's date in any year."""

    key: str
    name: str
    name_en: str
    calendar: str
    month: int
    day: int
    day_off: bool = False
    offset_days: int = 0
    only_year: int | None = None  # set for one-off entries (e.g. a swapped working day)
    source: str = ""


@dataclass(frozen=True)
class CatalogProblem:
    """A rejected catalog entry, explained in Vietnamese (``message``) and English."""

    source: str
    entry: str
    message: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.source}: {self.entry}: {self.message} ({self.message_en})"


@dataclass(frozen=True)
class HolidayCatalog:
    """The accepted rules, the per-year date overrides and the problems found while loading."""

    rules: tuple[HolidayRule, ...]
    overrides: Mapping[tuple[str, int], dt.date] = field(default_factory=dict)
    problems: tuple[CatalogProblem, ...] = ()


class CatalogError(ValueError):
    """The shipped holiday file is invalid."""

    def __init__(self, problems: Iterable[CatalogProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# ---------------------------------------------------------------------------- validation


class _Reject(Exception):
    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message, self.message_en = message, message_en


def _int_field(entry: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = entry[name]
    # bool is an int subclass in Python; `month = true` is a typo, not 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Reject(
            f"trường '{name}' phải là số nguyên, không phải {value!r}",
            f"field '{name}' must be an integer, got {value!r}",
        )
    if not low <= value <= high:
        raise _Reject(
            f"trường '{name}' phải từ {low} đến {high}, không phải {value}",
            f"field '{name}' must be between {low} and {high}, got {value}",
        )
    return value


def _text_field(entry: Mapping[str, Any], name: str) -> str:
    value = entry[name]
    if not isinstance(value, str) or not value.strip():
        raise _Reject(
            f"trường '{name}' phải là chuỗi chữ không rỗng",
            f"field '{name}' must be a non-empty string",
        )
    return value.strip()


def _check_fields(entry: Mapping[str, Any], required: Iterable[str], allowed: set[str]) -> None:
    for name in required:
        if name not in entry:
            raise _Reject(f"thiếu trường '{name}'", f"missing field '{name}'")
    for name in entry:
        if name not in allowed:
            raise _Reject(f"trường không hợp lệ '{name}'", f"unknown field '{name}'")


def _check_day(calendar: str, month: int, day: int) -> None:
    if calendar == "lunar":
        if not 1 <= day <= 30:
            raise _Reject(
                f"ngày âm lịch phải từ 1 đến 30, không phải {day}",
                f"lunar day must be between 1 and 30, got {day}",
            )
        return
    try:
        dt.date(2000, month, day)  # a leap year, so 29/2 is accepted
    except ValueError:
        raise _Reject(
            f"ngày {day}/{month} không có trong dương lịch",
            f"day {day} does not exist in solar month {month}",
        ) from None


def _parse_rule(entry: Any, source: str) -> HolidayRule:
    if not isinstance(entry, Mapping):
        raise _Reject("mục phải là một bảng [[holiday]]", "entry must be a [[holiday]] table")
    _check_fields(entry, REQUIRED_FIELDS, {*REQUIRED_FIELDS, *OPTIONAL_FIELDS})
    key = _text_field(entry, "key")
    if not KEY_PATTERN.fullmatch(key):
        raise _Reject(
            f"mã '{key}' chỉ được gồm chữ thường không dấu, số và dấu gạch ngang (vd. le-hoi-lang)",
            f"key '{key}' must be lowercase ASCII letters, digits and hyphens (e.g. le-hoi-lang)",
        )
    calendar = entry["calendar"]
    if calendar not in CALENDARS:
        raise _Reject(
            f'lịch phải là "solar" (dương lịch) hoặc "lunar" (âm lịch), không phải {calendar!r}',
            f'calendar must be "solar" or "lunar", got {calendar!r}',
        )
    month = _int_field(entry, "month", 1, 12)
    day = _int_field(entry, "day", 1, 31)
    _check_day(calendar, month, day)
    day_off = entry.get("day_off", False)
    if not isinstance(day_off, bool):
        raise _Reject(
            "trường 'day_off' phải là true hoặc false", "field 'day_off' must be true or false"
        )
    name = _text_field(entry, "name")
    return HolidayRule(
        key=key,
        name=name,
        name_en=_text_field(entry, "name_en") if "name_en" in entry else name,
        calendar=calendar,
        month=month,
        day=day,
        day_off=day_off,
        offset_days=(
            _int_field(entry, "offset_days", -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS)
            if "offset_days" in entry
            else 0
        ),
        only_year=_int_field(entry, "year", 1900, 2100) if "year" in entry else None,
        source=source,
    )


def _parse_override(entry: Any, known_keys: set[str]) -> tuple[str, int, dt.date]:
    if not isinstance(entry, Mapping):
        raise _Reject("mục phải là một bảng [[override]]", "entry must be an [[override]] table")
    _check_fields(entry, OVERRIDE_FIELDS, set(OVERRIDE_FIELDS))
    key = _text_field(entry, "key")
    if key not in known_keys:
        raise _Reject(f"không có ngày lễ nào mang mã '{key}'", f"no holiday has the key '{key}'")
    year = _int_field(entry, "year", 1900, 2100)
    value = entry["date"]
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # a bad string fails the check below
            value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime) or value.year != year:
        raise _Reject(
            f"trường 'date' phải là một ngày của năm {year}, dạng {year}-09-03",
            f"field 'date' must be a date in {year}, written like {year}-09-03",
        )
    return key, year, value


def _describe(kind: str, index: int, entry: Any) -> str:
    key = entry.get("key") if isinstance(entry, Mapping) else None
    return f"{kind} #{index + 1}" + (f" ({key})" if isinstance(key, str) else "")


def parse_catalog(
    document: Mapping[str, Any],
    source: str,
    known: HolidayCatalog | None = None,
) -> HolidayCatalog:
    """Validate one parsed TOML document, on top of the already accepted ``known`` catalog.

    Returns ``known`` extended with this document's valid entries; every invalid entry is
    skipped and described in ``problems``.
    """
    base = known or HolidayCatalog(rules=())
    rules, problems = list(base.rules), list(base.problems)
    overrides = dict(base.overrides)
    seen = {rule.key: rule.source for rule in rules}
    for name in document:
        if name not in ("holiday", "override"):
            problems.append(
                CatalogProblem(
                    source,
                    name,
                    f"mục không hợp lệ '{name}' (chỉ dùng [[holiday]] và [[override]])",
                    f"unknown section '{name}' (only [[holiday]] and [[override]] are allowed)",
                )
            )
    for index, entry in enumerate(_as_list(document.get("holiday"))):
        where = _describe("holiday", index, entry)
        try:
            rule = _parse_rule(entry, source)
            if rule.key in seen:
                raise _Reject(
                    f"mã '{rule.key}' bị trùng (đã có trong {seen[rule.key]})",
                    f"duplicate key '{rule.key}' (already defined in {seen[rule.key]})",
                )
        except _Reject as bad:
            problems.append(CatalogProblem(source, where, bad.message, bad.message_en))
            continue
        seen[rule.key] = source
        rules.append(rule)
    for index, entry in enumerate(_as_list(document.get("override"))):
        where = _describe("override", index, entry)
        try:
            key, year, date = _parse_override(entry, set(seen))
            if (key, year) in overrides:
                raise _Reject(
                    f"đã có ngày thay thế cho '{key}' năm {year}",
                    f"'{key}' already has an override for {year}",
                )
        except _Reject as bad:
            problems.append(CatalogProblem(source, where, bad.message, bad.message_en))
            continue
        overrides[(key, year)] = date
    return HolidayCatalog(tuple(rules), overrides, tuple(problems))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ------------------------------------------------------------------------------- loading


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, CatalogProblem | None]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return None, CatalogProblem(
            str(path),
            "tệp",
            f"không đọc được tệp TOML: {exc}",
            f"cannot read the TOML file: {exc}",
        )


def load_catalog(shipped: Path | None = None, local: Path | None = None) -> HolidayCatalog:
    """Load the shipped holiday file and, if it exists, the commune's local one.

    Raises CatalogError if the shipped file is missing or has any bad entry. Problems in the
    local file are logged and kept in ``problems``; its good entries are still used.
    """
    shipped_path = shipped or DEFAULT_SHIPPED
    local_path = local or DEFAULT_LOCAL
    document, problem = _read_toml(shipped_path)
    if problem is not None:
        raise CatalogError([problem])
    catalog = parse_catalog(document or {}, str(shipped_path))
    if catalog.problems:
        raise CatalogError(catalog.problems)
    if not local_path.exists():
        return catalog
    document, problem = _read_toml(local_path)
    if problem is not None:
        catalog = HolidayCatalog(catalog.rules, catalog.overrides, (problem,))
    else:
        catalog = parse_catalog(document or {}, str(local_path), known=catalog)
    for each in catalog.problems:
        log.warning("holiday catalog entry skipped: %s", each)
    return catalog


_default_cache: dict[tuple[Any, ...], HolidayCatalog] = {}


def default_catalog() -> HolidayCatalog:
    """The catalog from the repo's schedules/, reloaded whenever either file changes."""

    def stamp(path: Path) -> int | None:
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return None

    version = (stamp(DEFAULT_SHIPPED), stamp(DEFAULT_LOCAL))
    catalog = _default_cache.get(version)
    if catalog is None:
        # A local variable, not a second lookup: another thread may clear the cache meanwhile.
        catalog = load_catalog()
        _default_cache.clear()
        _default_cache[version] = catalog
    return catalog


# ---------------------------------------------------------------------------- resolution


def _base_dates(rule: HolidayRule, year: int) -> Iterable[dt.date]:
    # Lunar dates and offsets can cross New Year, so look at the neighbouring years too.
    for base_year in (year - 1, year, year + 1):
        try:
            if rule.calendar == "solar":
                yield dt.date(base_year, rule.month, rule.day)
            else:
                yield _lunar_day_or_last(rule.day, rule.month, base_year)
        except ValueError:
            continue  # 29/2 in a common year, or a year outside the supported range


def _lunar_day_or_last(day: int, month: int, year: int) -> dt.date:
    """Day 30 of a 29-day lunar month falls back to the 29th, the month's last day."""
    try:
        return lunar_to_solar(day, month, year)
    except ValueError:
        if day != 30:
            raise
        return lunar_to_solar(29, month, year)


def rule_dates(
    rule: HolidayRule, year: int, overrides: Mapping[tuple[str, int], dt.date]
) -> list[dt.date]:
    """The solar dates in ``year`` on which ``rule`` falls (usually one, rarely none or two)."""
    if rule.only_year is not None and rule.only_year != year:
        return []
    if (rule.key, year) in overrides:
        return [overrides[(rule.key, year)]]
    shift = dt.timedelta(days=rule.offset_days)
    return sorted({d + shift for d in _base_dates(rule, year) if (d + shift).year == year})


def holidays_for_year(year: int, catalog: HolidayCatalog | None = None) -> list[Holiday]:
    """Every holiday and commemoration in solar ``year``, sorted by date."""
    source = catalog or default_catalog()
    found = [
        Holiday(
            date=date,
            key=rule.key,
            name=rule.name,
            name_en=rule.name_en,
            lunar=rule.calendar == "lunar",
            day_off=rule.day_off,
        )
        for rule in source.rules
        for date in rule_dates(rule, year, source.overrides)
    ]
    return sorted(found, key=lambda h: (h.date, not h.day_off, h.key))


def holiday_date(key: str, year: int, catalog: HolidayCatalog | None = None) -> dt.date | None:
    """The solar date of holiday ``key`` in solar ``year``; the first one if it falls twice."""
    source = catalog or default_catalog()
    for rule in source.rules:
        if rule.key == key:
            dates = rule_dates(rule, year, source.overrides)
            return dates[0] if dates else None
    return None


def holiday_keys(catalog: HolidayCatalog | None = None) -> frozenset[str]:
    """Every known holiday key, e.g. to validate a program's ``holiday`` schedule."""
    return frozenset(rule.key for rule in (catalog or default_catalog()).rules)


def holidays_on(day: dt.date, catalog: HolidayCatalog | None = None) -> list[Holiday]:
    """The holidays falling on ``day``."""
    return [h for h in holidays_for_year(day.year, catalog) if h.date == day]


def is_day_off(day: dt.date, catalog: HolidayCatalog | None = None) -> bool:
    """True if ``day`` is an official holiday day off (weekends are not considered)."""
    return any(h.day_off for h in holidays_on(day, catalog))
