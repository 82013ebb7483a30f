"""Phone numbers, hotlines and emergency numbers are read digit by digit."""

import pytest

from controller.tts.normalize import normalize

MOBILE = "không chín một hai, ba bốn năm, sáu bảy tám"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("0912 345 678", MOBILE),
        ("0912.345.678", MOBILE),
        ("0912345678", MOBILE),
        ("0912-345-678", MOBILE),
        ("+84 912 345 678", "cộng tám bốn, chín một hai, ba bốn năm, sáu bảy tám"),
        ("024 3825 1234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
        ("hotline 19001234", "hotline một chín không không, một hai ba bốn"),
        ("tổng đài 1900 1909", "tổng đài một chín không không, một chín không chín"),
        ("1800.1091", "một tám không không, một không chín một"),
        ("gọi 113, 114, 115", "gọi một một ba, một một bốn, một một năm"),
        ("Cháy nhà gọi ngay 114!", "Cháy nhà gọi ngay một một bốn!"),
        ("cấp cứu 115", "cấp cứu một một năm"),
        (
            "CCCD số 001234567890",
            "căn cước công dân số không không một hai ba bốn năm sáu bảy tám chín không",
        ),
    ],
)
def test_phone_numbers(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("thôn có 113 hộ", "thôn có một trăm mười ba hộ"),  # no phone cue: a count
        ("năm 1900", "năm một nghìn chín trăm"),
        ("Quyết định 115/QĐ-UBND", "Quyết định một trăm mười lăm, quyết định Ủy ban nhân dân"),
    ],
)
def test_numbers_that_are_not_phones(text, spoken):
    assert normalize(text) == spoken
