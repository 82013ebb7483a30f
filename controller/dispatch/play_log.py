"""Pure helpers of the broadcast log (nhật ký phát thanh): filters, cursors and CSV rows.

The API view reads rows from the database; everything here is free of I/O so the parsing rules
(RFC 3339 instants or whole local days, opaque ``before`` cursors) and the Excel-friendly CSV
layout (UTF-8 with BOM, Vietnamese headers, dd/mm/yyyy dates) are easy to test.

The CSV is an official record read by commune staff in a spreadsheet: categories and notes are
in Vietnamese words, and no cell can start a formula (a title typed as ``=HYPERLINK(...)``).
"""

from __future__ import annotations

import base64
import calendar
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from broadcast_agents.protocol import parse_time

BOM = "\ufeff"
EVENT_NAMES_VI = {
    "started": "Bắt đầu phát",
    "finished": "Phát xong",
    "failed": "Lỗi khi phát",
    "skipped": "Bỏ qua",
    "preempted": "Bị ngắt (nội dung ưu tiên hơn)",
    "rejected": "Từ chối (lệnh không hợp lệ)",
}


CATEGORY_NAMES_VI = {
    "propaganda": "tuyên truyền",
    "greeting": "chúc mừng",
    "announcement": "thông báo",
    "emergency": "khẩn cấp",
    "other": "khác",
    "chime": "nhạc hiệu",
    "relay": "tiếp âm",
}
# Why a node skipped, stopped or refused something (broadcast_agents: timeline, player, verifier).
REASONS_VI = {
    "late": "đã quá giờ phát",
    "busy": "đang phát nội dung khác",
    "stopped": "dừng theo lệnh",
    "removed": "đã bỏ khỏi lịch phát",
    "preempted": "nhường nội dung ưu tiên hơn",
    "malformed": "bản tin hỏng",
    "invalid_body": "nội dung lệnh không hợp lệ",
    "unsupported_version": "phiên bản không hỗ trợ",
    "wrong_kind": "sai loại bản tin",
    "bad_signature": "sai chữ ký số",
    "wrong_site": "lệnh của xã khác",
    "wrong_node": "lịch phát của cụm loa khác",
    "expired": "lệnh đã hết hạn",
    "stale_seq": "lệnh cũ (số thứ tự không mới hơn)",
}
# Technical fields shown to no one: the refusal's English wording and the MQTT topic.
HIDDEN_DETAIL = frozenset({"message", "topic"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LATE_NOTE_MIN_MS = 50.0  # below this a start is on time: no note


def category_vi(category: str | None) -> str:
    """The category in Vietnamese words: ``khác`` when unknown, empty when none was given."""
    if not category:
        return ""
    return CATEGORY_NAMES_VI.get(category, CATEGORY_NAMES_VI["other"])


def _seconds_vi(ms: float) -> str:
    return f"{ms / 1000:.1f}".replace(".", ",") + " giây"


def note_vi(detail: Any) -> str:
    """A play event's detail as a Vietnamese note; empty when there is nothing to say."""
    if not isinstance(detail, dict):
        return ""
    notes: list[str] = []
    for key, value in detail.items():
        if key in HIDDEN_DETAIL or value in (None, ""):
            continue
        if key == "late_ms":
            late = value if isinstance(value, int | float) else 0.0
            if late >= LATE_NOTE_MIN_MS:
                notes.append(f"bắt đầu trễ {_seconds_vi(late)}")
        elif key == "reason":
            notes.append(f"lý do: {REASONS_VI.get(str(value), str(value))}")
        elif key == "by":
            notes.append(f"nội dung chen vào: {value}")
        elif key == "error":
            notes.append(f"lỗi kỹ thuật: {value}")
        else:
            notes.append(f"{key}: {value}")
    return "; ".join(notes)


def safe_cell(value: str) -> str:
    """``value`` that a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class FilterError(ValueError):
    """A query parameter that cannot be understood; carries both languages."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


def parse_bound(name: str, value: str, tz: ZoneInfo, *, upper: bool) -> datetime:
    """An RFC 3339 instant with offset, or a local day ``YYYY-MM-DD``.

    A day as an upper bound means the end of that day, so ``from=2027-01-01&to=2027-01-31``
    covers the whole of January.
    """
    value = value.strip()
    try:
        if len(value) == 10:
            start = datetime.combine(date.fromisoformat(value), time(0), tzinfo=tz)
            bound = start + timedelta(days=1) if upper else start
        else:
            bound = parse_time(value)
        bound.astimezone(UTC)  # 0001-01-01 or 9999-12-31 may leave the datetime range in UTC
    except (ValueError, OverflowError):
        raise _bad_time(name, value) from None
    return bound


def _bad_time(name: str, value: str) -> FilterError:
    return FilterError(
        f"{name}: '{value}' không phải thời điểm hợp lệ. Dùng dạng 2027-01-28T06:00:00+07:00 "
        "(có múi giờ) hoặc ngày 2027-01-28.",
        f"{name}: {value!r} is not an RFC 3339 time with offset nor a YYYY-MM-DD day.",
    )


def parse_limit(value: str | None, default: int, maximum: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdecimal() or not 1 <= int(value) <= maximum:  # "²" is a digit, not a number
        raise FilterError(
            f"limit phải là số từ 1 đến {maximum}.", f"limit must be from 1 to {maximum}."
        )
    return int(value)


@dataclass(frozen=True)
class Cursor:
    """Position after the last row of a page (rows go newest first)."""

    at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at_text, id_text = raw.rsplit("|", 1)
            return cls(parse_time(at_text), int(id_text))
        except (ValueError, UnicodeDecodeError):
            raise FilterError(
                "before: con trỏ trang không hợp lệ.", "before: invalid page cursor."
            ) from None


def csv_headers(zone_label: str) -> list[str]:
    return [
        "Ngày",
        "Giờ",
        "Mã cụm loa",
        "Tên cụm loa",
        zone_label,
        "Mã nội dung",
        "Tiêu đề",
        "Thể loại",
        "Sự kiện",
        "Thời lượng (giây)",
        "Ghi chú",
    ]


def csv_filename(lower: datetime | None, upper: datetime | None, tz: ZoneInfo) -> str:
    """``nhat-ky-phat-thanh-2026-11.csv`` for a calendar month, with the days otherwise."""
    stem = "nhat-ky-phat-thanh"
    if lower is None and upper is None:
        return f"{stem}.csv"
    first = lower.astimezone(tz).date() if lower else None
    # The upper bound is exclusive: the last day covered is the one before it (at midnight).
    last = (upper.astimezone(tz) - timedelta(microseconds=1)).date() if upper else None
    whole_month = (
        first is not None
        and last is not None
        and (first.year, first.month, first.day) == (last.year, last.month, 1)
        and last.day == calendar.monthrange(last.year, last.month)[1]
    )
    if whole_month:
        return f"{stem}-{first:%Y-%m}.csv"
    if first and last:
        span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d}-den-{last:%Y-%m-%d}"
        return f"{stem}-{span}.csv"
    return f"{stem}-tu-{first:%Y-%m-%d}.csv" if first else f"{stem}-den-{last:%Y-%m-%d}.csv"


def csv_row(row: dict[str, Any], tz: ZoneInfo) -> list[str]:
    local = row["at"].astimezone(tz)
    duration = row.get("duration_ms")
    cells = [
        local.strftime("%d/%m/%Y"),
        local.strftime("%H:%M:%S"),
        row["node"],
        row.get("node_name", ""),
        row.get("zone_name", ""),
        row["item"],
        row.get("title", ""),
        category_vi(row.get("category")),
        EVENT_NAMES_VI.get(row["type"], row["type"]),
        "" if duration is None else f"{duration / 1000:.0f}",
        note_vi(row.get("detail")),
    ]
    return [safe_cell(str(cell)) for cell in cells]


def csv_lines(headers: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV document in chunks: BOM and header first (Excel then reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()
