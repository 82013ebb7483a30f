"""Vietnamese number reading: cardinals, decimals, digits, ordinals, months."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.tts.numbers import (
    read_decimal,
    read_digits,
    read_fraction,
    read_month,
    read_number,
    read_ordinal,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (91, "chín mươi mốt"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1050, "một nghìn không trăm năm mươi"),
        (1975, "một nghìn chín trăm bảy mươi lăm"),
        (2000, "hai nghìn"),
        (2025, "hai nghìn không trăm hai mươi lăm"),
        (15000, "mười lăm nghìn"),
        (105000, "một trăm linh năm nghìn"),
        (1000000, "một triệu"),
        (1250000, "một triệu hai trăm năm mươi nghìn"),
        (1000500, "một triệu năm trăm"),
        (1000050, "một triệu không trăm năm mươi"),
        (1005000, "một triệu không trăm linh năm nghìn"),
        (1000000000, "một tỷ"),
        (2450000000, "hai tỷ bốn trăm năm mươi triệu"),
        (1000000005, "một tỷ không trăm linh năm"),
        (10**12, "một nghìn tỷ"),
        (-5, "âm năm"),
        (-15000, "âm mười lăm nghìn"),
    ],
)
def test_read_number(n, words):
    assert read_number(n) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("3,5", "ba phẩy năm"),
        ("0,5", "không phẩy năm"),
        ("0,05", "không phẩy không năm"),
        ("1,25", "một phẩy hai mươi lăm"),
        ("3,14", "ba phẩy mười bốn"),
        ("2,1234", "hai phẩy một hai ba bốn"),
        ("15.000", "mười lăm nghìn"),
        ("1.250.000", "một triệu hai trăm năm mươi nghìn"),
        ("2.350,5", "hai nghìn ba trăm năm mươi phẩy năm"),
        ("-2,75", "âm hai phẩy bảy mươi lăm"),
        ("05", "năm"),
    ],
)
def test_read_decimal(text, words):
    assert read_decimal(text) == words


@pytest.mark.parametrize("bad", ["", "abc", "1,2x", "١٢"])
def test_read_decimal_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        read_decimal(bad)


def test_read_digits_and_fraction():
    assert read_digits("0912") == "không chín một hai"
    assert read_digits("1.9-0") == "một chín không"
    assert read_fraction("50") == "năm mươi"
    assert read_fraction("007") == "không không bảy"


@pytest.mark.parametrize(
    ("n", "words"), [(1, "nhất"), (2, "hai"), (4, "tư"), (7, "bảy"), (14, "mười bốn")]
)
def test_read_ordinal(n, words):
    assert read_ordinal(n) == words


@pytest.mark.parametrize(
    ("m", "words"), [(1, "một"), (4, "tư"), (10, "mười"), (11, "mười một"), (12, "mười hai")]
)
def test_read_month(m, words):
    assert read_month(m) == words


VOCABULARY = {
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    "mười", "mươi", "mốt", "lăm", "linh", "trăm", "nghìn", "triệu", "tỷ", "âm",
}  # fmt: skip


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_any_integer_reads_with_the_number_vocabulary(n):
    words = read_number(n).split()
    assert set(words) <= VOCABULARY
    text = " ".join(words)
    assert "mười mốt" not in text  # 11 is "mười một"
    assert "linh mười" not in text and "linh mươi" not in text
    assert not text.startswith("không ") or n == 0
