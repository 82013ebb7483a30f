"""The monthly broadcast log as a printable PDF with the commune's official header (minh chứng).

Uses fpdf2 with DejaVu Sans (Debian ``fonts-dejavu-core``), which covers Vietnamese; no network.
The document is always Vietnamese: it is an administrative record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from controller.reports.chart import format_number
from controller.reports.monthly import MonthReport
from controller.reports.records import format_duration

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
COLUMNS = (
    ("Ngày giờ", 28),
    ("{zone}", 22),
    ("Cụm loa", 25),
    ("Nội dung", 48),
    ("Loại", 22),
    ("Trạng thái", 21),
    ("Thời lượng", 14),
)
# fontTools logs every glyph subset at INFO: noise in the controller's JSON logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
_UNIT_PREFIX = re.compile(r"^(xã|phường|thị trấn)\s+", re.IGNORECASE)


class FontMissing(RuntimeError):
    """The Unicode font is not installed (``apt-get install fonts-dejavu-core``)."""


def place_name(site_name: str) -> str:
    """``Xã Bình Yên`` -> ``Bình Yên`` (for the "…, ngày … tháng … năm …" line)."""
    return _UNIT_PREFIX.sub("", site_name.strip()) or site_name


def with_label(zone_name: str, zone_label: str) -> str:
    """``Đông`` -> ``Thôn Đông``; ``Thôn 2`` stays as it is."""
    if zone_name.lower().startswith(zone_label.lower()):
        return zone_name
    return f"{zone_label} {zone_name}"


def render_month_pdf(
    report: MonthReport,
    *,
    site_name: str,
    zone_label: str,
    label: Callable[[str], str],
    today: date,
    font_dir: Path = FONT_DIR,
) -> bytes:
    """The report as PDF bytes; ``label`` turns ``rep_cat_*``/``rep_st_*`` keys into words."""
    pdf = _document(font_dir)
    pdf.add_page()
    _header(pdf, site_name, today)
    _title(pdf, report, zone_label)
    _table(pdf, report, zone_label, label)
    _totals(pdf, report, zone_label)
    _signatures(pdf)
    return bytes(pdf.output())


class _LogPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "I", 8)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")


def _document(font_dir: Path) -> FPDF:
    pdf = _LogPdf(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=16)
    for style, name in FONTS.items():
        path = font_dir / name
        if not path.is_file():
            raise FontMissing(f"font not found: {path}")
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_title("Nhật ký phát thanh")
    pdf.set_creator("Đài truyền thanh thông minh")
    return pdf


def _header(pdf: FPDF, site_name: str, today: date) -> None:
    left_w, right_w = 78, pdf.epw - 78
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(left_w, 5, f"ỦY BAN NHÂN DÂN\n{site_name.upper()}", align="C")
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.multi_cell(right_w, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    pdf.set_x(pdf.l_margin + left_w)
    pdf.cell(right_w, 5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    line_y = pdf.get_y() + 0.5
    pdf.line(
        pdf.l_margin + left_w + right_w / 2 - 27,
        line_y,
        pdf.l_margin + left_w + right_w / 2 + 27,
        line_y,
    )
    pdf.line(pdf.l_margin + left_w / 2 - 12, top + 11, pdf.l_margin + left_w / 2 + 12, top + 11)
    pdf.ln(3)
    pdf.set_font("DejaVu", "I", 10)
    when = f"{place_name(site_name)}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    pdf.set_x(pdf.l_margin + left_w)
    pdf.cell(right_w, 6, when, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _title(pdf: FPDF, report: MonthReport, zone_label: str) -> None:
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(
        0,
        8,
        f"NHẬT KÝ PHÁT THANH THÁNG {report.period.label}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 10)
    scope = (
        with_label(report.zone_name(report.zone_id), zone_label) if report.zone_id else "Toàn xã"
    )
    pdf.cell(0, 6, scope, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: FPDF, report: MonthReport, zone_label: str, label: Callable[[str], str]) -> None:
    pdf.set_font("DejaVu", "", 8)
    widths = tuple(w for _, w in COLUMNS)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=widths,
        headings_style=heading,
        line_height=4.5,
        text_align=("LEFT",) * 6 + ("RIGHT",),
    ) as table:
        table.row([name.format(zone=zone_label) for name, _ in COLUMNS])
        for r in report.records:
            table.row(
                [
                    r.at.strftime("%d/%m/%Y %H:%M"),
                    report.zone_name(r.zone_id),
                    report.node_name(r.node_id),
                    r.title or "—",
                    label(f"rep_cat_{r.category}") if r.category else "—",
                    label(f"rep_st_{r.status}"),
                    format_duration(r.seconds_on_air),
                ]
            )
    if not report.records:
        pdf.set_font("DejaVu", "I", 10)
        pdf.cell(0, 8, "Không có lượt phát nào trong tháng.", new_x="LMARGIN", new_y="NEXT")


def _totals(pdf: FPDF, report: MonthReport, zone_label: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 10)
    plays = len(report.records)
    minutes = format_number(report.total_minutes)
    pdf.cell(
        0,
        6,
        f"Tổng cộng: {plays} lượt phát, {minutes} phút phát sóng.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 10)
    for name, value in report.by_zone:
        pdf.cell(0, 5, f"– {name}: {format_number(value)} phút", new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf: FPDF) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(8)
    half = pdf.epw / 2
    top = pdf.get_y()
    for i, (role, hint) in enumerate(
        (("Người lập biểu", "(Ký, ghi rõ họ tên)"), ("Chủ tịch UBND xã", "(Ký tên, đóng dấu)"))
    ):
        pdf.set_xy(pdf.l_margin + i * half, top)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(half, 6, role, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font("DejaVu", "I", 9)
        pdf.cell(half, 5, hint, align="C")
