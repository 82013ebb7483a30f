"""Quantities: money, percentages, units, decimals, negative numbers."""

import pytest

from controller.tts.normalize import normalize


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("15.000 đồng", "mười lăm nghìn đồng"),
        ("15.000đ", "mười lăm nghìn đồng"),
        ("15.000 đ", "mười lăm nghìn đồng"),
        ("200.000 VNĐ", "hai trăm nghìn đồng"),
        ("200.000 VND", "hai trăm nghìn đồng"),
        ("1.250.000₫", "một triệu hai trăm năm mươi nghìn đồng"),
        ("500k", "năm trăm nghìn"),
        ("50.000đ/người", "năm mươi nghìn đồng một người"),
        ("20.000 đồng/hộ/tháng", "hai mươi nghìn đồng một hộ một tháng"),
        ("6 triệu đồng/tháng", "sáu triệu đồng một tháng"),
        ("1,5 tỷ đồng", "một phẩy năm tỷ đồng"),
        ("100 USD", "một trăm đô la Mỹ"),
        ("25%", "hai mươi lăm phần trăm"),
        ("3,5 %", "ba phẩy năm phần trăm"),
        ("35°C", "ba mươi lăm độ xê"),
        ("35 độ C", "ba mươi lăm độ xê"),
        ("-5°C", "âm năm độ xê"),
        ("nợ -15.000 đ", "nợ âm mười lăm nghìn đồng"),
        ("60 km/h", "sáu mươi ki lô mét một giờ"),
        ("12 km", "mười hai ki lô mét"),
        ("5 km2", "năm ki lô mét vuông"),
        ("5 ha", "năm héc ta"),
        ("20 m", "hai mươi mét"),
        ("20 m2", "hai mươi mét vuông"),
        ("20 m²", "hai mươi mét vuông"),
        ("3 m3", "ba mét khối"),
        ("10 kg", "mười ki lô gam"),
        ("2 tấn", "hai tấn"),
        ("15 cm", "mười lăm xăng ti mét"),
        ("200 mm", "hai trăm mi li mét"),
        ("2 l", "hai lít"),
        ("2 lít", "hai lít"),
        ("250 ml", "hai trăm năm mươi mi li lít"),
        ("220V", "hai trăm hai mươi vôn"),
    ],
)
def test_quantities(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("3,5", "ba phẩy năm"),
        ("Điều 1.2", "Điều một chấm hai"),
        ("1,250,000", "một triệu hai trăm năm mươi nghìn"),
        ("số 1,2,3", "số một, hai, ba"),
        ("-7 độ", "âm bảy độ"),
        ("Covid-19", "cô vít mười chín"),
        ("05 hộ", "năm hộ"),
        ("2 m và 2 mét", "hai mét và hai mét"),
        ("10 giờ", "mười giờ"),
    ],
)
def test_plain_numbers(text, spoken):
    assert normalize(text) == spoken
