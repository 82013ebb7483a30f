"""Báo cáo in a real browser: the month's log and charts, CSV and PDF exports, the audit log."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from controller.db.models import AuditLog, PlayEvent
from tests.controller.dispatch.commune import SITE, seed_commune
from tests.controller.web.ops_browser import SHOTS, login, shoot
from tests.support.browser import browser_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser
OCT = "/reports?year=2026&month=10"


def _plays(database) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    start = datetime(2026, 10, 14, 23, 30, tzinfo=UTC)  # 15/10/2026 06:30 local
    rows = [
        ("thon-1-a", "thon-1", "i1", "started", start, "Tin bão số 3", "emergency"),
        (
            "thon-1-a",
            "thon-1",
            "i1",
            "finished",
            start + timedelta(minutes=4),
            "Tin bão số 3",
            "emergency",
        ),
        (
            "thon-2-a",
            "thon-2",
            "i2",
            "started",
            start + timedelta(hours=1),
            "Tuyên truyền BHYT",
            "propaganda",
        ),
        (
            "thon-2-a",
            "thon-2",
            "i2",
            "finished",
            start + timedelta(hours=1, minutes=10),
            "Tuyên truyền BHYT",
            "propaganda",
        ),
        (
            "thon-2-b",
            "thon-2",
            "i2",
            "failed",
            start + timedelta(hours=1),
            "Tuyên truyền BHYT",
            "propaganda",
        ),
        ("thon-1-b", "thon-1", "i9", "finished", datetime(2026, 11, 2, tzinfo=UTC), "Khác", ""),
    ]
    with database.session() as s:
        for node, zone, item, kind, at, title, category in rows:
            s.add(
                PlayEvent(
                    site_id=SITE,
                    node_id=node,
                    zone_id=zone,
                    item_id=item,
                    type=kind,
                    at=at,
                    title=title,
                    category=category,
                    duration_ms=240000,
                )
            )


def test_month_log_charts_and_exports(app, database, make_user, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plays(database)
    viewer = make_user("viewer")
    with live_server(app) as base, browser_page(accept_downloads=True) as page:
        login(page, base, viewer, OCT)
        rows = page.locator("#rep-table tbody tr")
        assert rows.count() == 3
        first = [c.inner_text() for c in rows.nth(0).locator("td").all()]
        assert first == [
            "15/10/2026 06:30",
            "Thôn 1",
            "Cụm a",
            "Tin bão số 3",
            "Khẩn cấp",
            "Đã phát xong",
            "04:00",
        ]
        failed = [c.inner_text() for c in rows.nth(2).locator("td").all()]
        assert failed[2] == "Cụm b" and failed[5] == "Lỗi khi phát" and failed[6] == "—"
        assert page.inner_text("#rep-summary") == (
            "Tháng 10/2026: 2 nội dung, 3 lượt phát tại các cụm loa, 14,0 phút phát sóng"
        )
        charts = page.locator("svg.rep-chart")
        assert charts.count() == 2
        assert "Thôn 2" in charts.nth(0).inner_html() and "10,0 phút" in charts.nth(0).inner_html()
        assert "Tuyên truyền" in charts.nth(1).inner_html()
        assert page.locator("a.tabs, nav.tabs").count() == 0  # the audit log is not for viewers
        shoot(page, "reports")
        page.set_viewport_size({"width": 375, "height": 812})
        label_px = page.evaluate(
            "document.querySelector('svg.rep-chart text').getBoundingClientRect().height"
        )
        assert label_px >= 14, label_px  # chart labels stay readable on a phone
        page.set_viewport_size({"width": 1280, "height": 900})

        page.select_option("#rep-zone", "thon-2")
        page.click("#rep-filter button[type=submit]")
        page.wait_for_url(f"{base}/reports?month=10&year=2026&zone=thon-2")
        assert page.locator("#rep-table tbody tr").count() == 2

        with page.expect_download() as csv_download:
            page.click("#rep-csv")
        assert csv_download.value.suggested_filename == "nhat-ky-phat-thanh-2026-10.csv"
        csv_bytes = Path(csv_download.value.path()).read_bytes()
        assert csv_bytes.startswith("\ufeff".encode())
        header, *lines = csv_bytes.decode("utf-8-sig").splitlines()
        assert header.startswith("Ngày,Giờ,Mã cụm loa,Tên cụm loa,Thôn,")
        assert len(lines) == 3 and all(",thon-2-" in line for line in lines)

        with page.expect_download() as pdf_download:
            page.click("#rep-pdf")
        assert pdf_download.value.suggested_filename == "nhat-ky-phat-thanh-2026-10.pdf"
        pdf = tmp_path / "log.pdf"
        pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "NHẬT KÝ PHÁT THANH THÁNG 10/2026" in text and "Thôn 2" in text
    assert "Tuyên truyền BHYT" in text and "Tin bão số 3" not in text
    if shutil.which("pdftoppm"):  # a picture of page 1 to look at (var/screenshots)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(SHOTS / "report-pdf"),
            ],
            check=True,
        )
        assert (SHOTS / "report-pdf.png").stat().st_size > 10_000


def test_audit_log_for_leaders_with_filters(app, database, make_user) -> None:  # type: ignore[no-untyped-def]
    approver, officer = make_user("approver"), make_user("officer")
    with database.session() as s:
        s.add(
            AuditLog(
                at=datetime(2026, 10, 3, 1, 0, tzinfo=UTC),
                username=officer,
                action="broadcast.create",
                target_type="broadcast",
                target_id="b1",
                detail={"all": True, "level": "emergency"},
            )
        )
        s.add(
            AuditLog(
                at=datetime(2026, 10, 5, 1, 0, tzinfo=UTC),
                username=approver,
                action="program.approve",
                target_type="program",
                target_id="7",
            )
        )
        machine_words = [
            ("media.create", "media", "12", {"title": "Tin", "sha256": "ab" * 32}),
            ("tts.create", "media", "13", {"engine": "gtts", "chars": 827}),
            ("broadcast.stop", "broadcast", "all", {}),
            (
                "program.create",
                "program",
                "9",
                {"title": "Họp", "on_conflict": "reject", "category": "announcement"},
            ),
            ("tts.job", "job", "3f2b9c1e7a4d4c3e9b1a2d5e6f708192aa", {"chars": 12000}),
        ]
        for i, (action, target_type, target_id, detail) in enumerate(machine_words):
            s.add(
                AuditLog(
                    at=datetime(2026, 10, 6, 1, i, tzinfo=UTC),
                    username=officer,
                    action=action,
                    target_type=target_type,
                    target_id=target_id,
                    detail=detail,
                )
            )
    with live_server(app) as base, browser_page() as page:
        login(page, base, approver, "/reports/audit")
        table = page.inner_text("#aud-table")
        for word in ("reject", "announcement", "chars", "sha256", "abab", " all", "gtts"):
            assert word not in table, word
        assert "khi trùng lịch: báo trùng, không lưu; thể loại: Thông báo" in table
        assert "Phát ngay: toàn xã" in table and "số ký tự: 827" in table
        assert "Tác vụ nền: 3f2b9c1e…" in table
        shoot(page, "reports-audit-details")  # also: no sideways scroll at 375 px
        page.goto(f"{base}/reports")
        page.click("nav.tabs >> text=Nhật ký thao tác")
        page.wait_for_url(f"{base}/reports/audit")
        table = page.inner_text("#aud-table")
        assert "Phát ngay: tạo mới" in table and "toàn xã: có; mức: khẩn cấp" in table
        assert "03/10/2026 08:00" in table
        page.select_option("#aud-user", officer)
        page.fill("#aud-from", "01/10/2026")
        page.fill("#aud-to", "04/10/2026")
        page.click("#aud-filter button[type=submit]")
        page.wait_for_url(f"{base}/reports/audit?*")
        rows = page.locator("#aud-table tbody tr")
        assert rows.count() == 1 and "Phát ngay" in rows.first.inner_text()
        assert page.input_value("#aud-from") == "01/10/2026"
        page.fill("#aud-to", "31/02/2026")
        page.click("#aud-filter button[type=submit]")
        page.wait_for_selector("#aud-filter .error")
        assert "Ngày không hợp lệ" in page.inner_text("#aud-filter .error")
        page.fill("#aud-to", "04/10/2026")
        page.click("#aud-filter button[type=submit]")
        page.wait_for_selector("#aud-table tbody tr >> text=Phát ngay")
        shoot(page, "reports-audit")
    # Officers see the log but not who did what.
    client = app.test_client()
    assert client.get("/reports/audit").status_code == 302  # to login
