"""Roman numerals in titles and ordinals after "thứ"."""

import pytest

from controller.tts.normalize import normalize, roman_value


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Đại hội XIII", "Đại hội mười ba"),
        ("Quốc hội khóa XV", "Quốc hội khóa mười lăm"),
        ("HĐND xã khoá XX", "Hội đồng nhân dân xã khoá hai mươi"),
        ("lần thứ IV", "lần thứ tư"),
        ("lần thứ I", "lần thứ nhất"),
        ("Đại hội lần thứ XXV", "Đại hội lần thứ hai mươi lăm"),
        ("ĐẠI HỘI LẦN THỨ XIII", "đại hội lần thứ mười ba"),
        ("quý IV", "quý bốn"),
        ("Quý I/2025", "Quý một năm hai nghìn không trăm hai mươi lăm"),
        ("thế kỷ XXI", "thế kỷ hai mươi mốt"),
        ("Đợt II", "Đợt hai"),
        ("học kỳ II", "học kỳ hai"),
    ],
)
def test_roman_numerals_after_title_words(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("tôi là I", "tôi là I"),  # a lone capital letter stays a letter
        ("Vitamin C", "Vitamin C"),
        ("xe loại C", "xe loại C"),  # C/D/M are never read as numbers
        ("khóa học mới", "khóa học mới"),
        ("VI PHẠM", "vi phạm"),  # a headline word, not six
    ],
)
def test_letters_that_are_not_roman_numerals(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("thứ 1", "thứ nhất"),
        ("thứ 2", "thứ hai"),
        ("Thứ 4", "Thứ tư"),
        ("lần thứ 4", "lần thứ tư"),
        ("kỳ họp thứ 7", "kỳ họp thứ bảy"),
        ("thứ 14", "thứ mười bốn"),
        ("Thứ 2, ngày 6/10", "Thứ hai, ngày sáu tháng mười"),
    ],
)
def test_ordinals(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(("numeral", "value"), [("IV", 4), ("IX", 9), ("XIII", 13), ("XL", 40)])
def test_roman_value(numeral, value):
    assert roman_value(numeral) == value
