"""Odd input never crashes: empty, whitespace, emoji, NFD, very long text; output hygiene."""

import re
import time
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from controller.tts.normalize import normalize


def test_empty_and_whitespace():
    assert normalize("") == ""
    assert normalize("  \n\t ") == ""


def test_emoji_are_dropped():
    assert normalize("😀 Xin chào 👍🏽 bà con ❤️!") == "Xin chào bà con!"


def test_nfd_input_is_composed_first():
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân xã thông báo ngày 30/4")
    spoken = normalize(nfd)
    assert spoken == "Ủy ban nhân dân xã thông báo ngày ba mươi tháng tư"
    assert unicodedata.is_normalized("NFC", spoken)


def test_nfd_abbreviation_is_found():
    assert normalize(unicodedata.normalize("NFD", "HĐND")) == "Hội đồng nhân dân"


def test_punctuation_is_kept_and_whitespace_collapsed():
    assert normalize("Chú ý:   họp lúc 7h ;   đúng giờ ,  nhé ? Được !") == (
        "Chú ý: họp lúc bảy giờ; đúng giờ, nhé? Được!"
    )


def test_lines_become_sentences_and_bullets_go():
    text = "THÔNG BÁO\n- Họp dân lúc 19h\n- Địa điểm: nhà văn hóa\n"
    assert normalize(text) == "thông báo. Họp dân lúc mười chín giờ. Địa điểm: nhà văn hóa"


def test_symbols_are_read_or_dropped():
    assert normalize('Anh/chị "vui lòng" mang theo CCCD & sổ hộ khẩu (bản gốc).') == (
        "Anh chị vui lòng mang theo căn cước công dân và sổ hộ khẩu, bản gốc."
    )


def test_web_addresses_are_spelled_out():
    assert normalize("Email: ubnd@gmail.com") == "Email: ubnd a còng gmail chấm com"


def test_very_long_text_is_fast_and_complete():
    sentence = "Ngày 30/4/2025 UBND xã họp lúc 7h30, phí 20.000đ, gọi 0912.345.678. "
    text = sentence * 3000  # about 200 000 characters
    start = time.perf_counter()
    spoken = normalize(text)
    assert time.perf_counter() - start < 10
    assert spoken.count("Ủy ban nhân dân") == 3000
    assert not re.search(r"[0-9]", spoken)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text):
    spoken = normalize(text)
    assert isinstance(spoken, str)
    assert spoken == spoken.strip()
    assert "  " not in spoken


ALPHABET = "0123456789 ./-:,%hgđkmVNĐ°CIVXthứngàyáo\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_number_like_text_never_crashes_and_leaves_no_digits(text):
    assert not re.search(r"[0-9]", normalize(text))
