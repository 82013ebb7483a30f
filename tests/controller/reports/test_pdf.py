"""The printable monthly log: official header, title, table and signatures, in Vietnamese."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from controller.reports.monthly import MonthReport, Period
from controller.reports.pdf import FontMissing, place_name, render_month_pdf, with_label
from controller.reports.records import PlayRecord
from controller.web.ui_text import TEXT

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def label(key: str) -> str:
    return TEXT[key][0]


def report(rows: int) -> MonthReport:
    start = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    records = [
        PlayRecord(
            at=(start + timedelta(hours=7 * i)).astimezone(TZ),
            node_id="thon-dong-a",
            zone_id="thon-dong",
            item_id=f"i{i}",
            title=f"Thông báo tiêm chủng mở rộng đợt {i} – Trạm y tế xã",
            category="announcement",
            status="finished" if i % 5 else "failed",
            seconds_on_air=300.0 if i % 5 else 0.0,
            planned_ms=300000,
            detail={},
        )
        for i in range(rows)
    ]
    r = MonthReport(
        Period(2027, 1),
        None,
        records,
        {"thon-dong": "Thôn Đông"},
        {"thon-dong-a": "Cụm loa chợ"},
        TZ,
    )
    r.by_zone = [("Thôn Đông", r.total_minutes)]
    return r


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed: scripts/ensure_sysdeps.sh --test"
    return subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_has_the_official_header_title_table_and_signatures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = render_month_pdf(
        report(60), site_name="Xã Bình Yên", zone_label="Thôn", label=label, today=date(2027, 2, 3)
    )
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for needle in (
        "ỦY BAN NHÂN DÂN",
        "XÃ BÌNH YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Yên, ngày 03 tháng 02 năm 2027",
        "NHẬT KÝ PHÁT THANH THÁNG 01/2027",
        "Toàn xã",
        "Cụm loa chợ",
        "Lỗi khi phát",
        "Thông báo",
        "Người lập biểu",
        "Chủ tịch UBND xã",
        "Tổng cộng: 60 lượt phát, 240 phút phát sóng.",
        "Trang 2/",
    ):
        assert needle in text, needle
    assert "01/01/2027 07:00" in text  # local time, dd/mm/yyyy


def test_empty_month_and_missing_font(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = report(0)
    text = pdf_text(
        render_month_pdf(
            empty,
            site_name="Phường Tân An",
            zone_label="Tổ dân phố",
            label=label,
            today=date(2027, 2, 1),
        ),
        tmp_path,
    )
    assert "Không có lượt phát nào trong tháng." in text and "Tân An, ngày 01" in text
    with pytest.raises(FontMissing):
        render_month_pdf(
            empty,
            site_name="Xã A",
            zone_label="Thôn",
            label=label,
            today=date(2027, 2, 1),
            font_dir=tmp_path,
        )


def test_zone_label_is_added_only_when_missing() -> None:
    assert with_label("Đông", "Thôn") == "Thôn Đông"
    assert with_label("Thôn 2", "Thôn") == "Thôn 2"
    assert with_label("tổ dân phố 5", "Tổ dân phố") == "tổ dân phố 5"


def test_place_name() -> None:
    assert place_name("Xã Bình Yên") == "Bình Yên"
    assert place_name("Thị trấn Phong Điền") == "Phong Điền"
    assert place_name("Bình Yên") == "Bình Yên"
