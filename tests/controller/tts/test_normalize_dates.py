"""Dates: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, dd/mm, mm/yyyy, "tháng N", date ranges."""

import pytest

from controller.tts.normalize import normalize

Y2025 = "hai nghìn không trăm hai mươi lăm"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("30/4/2025", f"ngày ba mươi tháng tư năm {Y2025}"),
        ("Nghỉ lễ 30/4/2025.", f"Nghỉ lễ ngày ba mươi tháng tư năm {Y2025}."),
        ("ngày 30/4/2025", f"ngày ba mươi tháng tư năm {Y2025}"),
        ("Ngày 01/01/2026", "Ngày một tháng một năm hai nghìn không trăm hai mươi sáu"),
        ("01-10-2025", f"ngày một tháng mười năm {Y2025}"),
        ("05.10.2025", f"ngày năm tháng mười năm {Y2025}"),
        ("ngày 2/9", "ngày hai tháng chín"),
        ("mùng 2/9", "mùng hai tháng chín"),
        ("họp 15/10 tại xã", "họp ngày mười lăm tháng mười tại xã"),
        ("tháng 12/2025", f"tháng mười hai năm {Y2025}"),
        ("quý này, 9/2025", f"quý này, tháng chín năm {Y2025}"),
        ("tháng 4", "tháng tư"),
        ("tháng 1", "tháng một"),
        ("Lễ 30-4", "Lễ ngày ba mươi tháng tư"),
        ("ngày 2-9", "ngày hai tháng chín"),
        ("năm 2001", "năm hai nghìn không trăm linh một"),
    ],
)
def test_dates(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "từ ngày 1/10 - 15/10/2025",
            f"từ ngày một tháng mười đến ngày mười lăm tháng mười năm {Y2025}",
        ),
        ("1/10-5/10", "từ ngày một tháng mười đến ngày năm tháng mười"),
        ("từ 1-5/10", "từ ngày một đến ngày năm tháng mười"),
        ("các ngày 15-16/10", "các ngày mười lăm đến ngày mười sáu tháng mười"),
        ("từ ngày 17/10 đến 18/11", "từ ngày mười bảy tháng mười đến ngày mười tám tháng mười một"),
    ],
)
def test_date_ranges(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("phục vụ 24/7", "phục vụ hai mươi bốn trên bảy"),  # round the clock, not 24 July
        ("32/13/2025", "ba mươi hai trên mười ba trên hai nghìn không trăm hai mươi lăm"),
        (
            "Nghị định 15/2024/NĐ-CP",
            "Nghị định mười lăm trên hai nghìn không trăm hai mươi bốn, nghị định Chính phủ",
        ),
    ],
)
def test_things_that_are_not_dates(text, spoken):
    assert normalize(text) == spoken
