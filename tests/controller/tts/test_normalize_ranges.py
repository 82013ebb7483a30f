"""Ranges: times, percentages, quantities, years, weekdays."""

import pytest

from controller.tts.normalize import normalize


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("7h-9h", "từ bảy giờ đến chín giờ"),
        ("từ 7h-9h", "từ bảy giờ đến chín giờ"),
        ("7h30 - 11h00", "từ bảy giờ ba mươi phút đến mười một giờ"),
        ("07:30-11:30", "từ bảy giờ ba mươi phút đến mười một giờ ba mươi phút"),
        ("7-9h", "từ bảy đến chín giờ"),
        ("20-25%", "từ hai mươi đến hai mươi lăm phần trăm"),
        ("tăng 20%-25%", "tăng từ hai mươi đến hai mươi lăm phần trăm"),
        ("5kg-7kg", "từ năm đến bảy ki lô gam"),
        ("100 - 150 mm", "từ một trăm đến một trăm năm mươi mi li mét"),
        ("1,5-2 triệu", "từ một phẩy năm đến hai triệu"),
        ("7.500-8.000 đ/kg", "từ bảy nghìn năm trăm đến tám nghìn đồng một ki lô gam"),
        ("trẻ 3-5 tuổi", "trẻ từ ba đến năm tuổi"),
        (
            "giai đoạn 2021-2025",
            "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm",
        ),
        ("từ thứ 2 - thứ 6", "từ thứ hai đến thứ sáu"),
        ("thứ 2-6", "từ thứ hai đến thứ sáu"),
    ],
)
def test_ranges(text, spoken):
    assert normalize(text) == spoken


def test_descending_pair_is_not_a_range():
    assert "đến" not in normalize("tỷ số 50-30")
