"""Abbreviation dictionary: shipped entries, officer extras, matching rules."""

import pytest

from controller.tts import abbreviations
from controller.tts.normalize import normalize

GLOSSARY = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "CCHC": "cải cách hành chính",
    "TTHC": "thủ tục hành chính",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "CCCD": "căn cước công dân",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "TDP": "tổ dân phố",
    "VH-XH": "văn hóa xã hội",
    "PCCC": "phòng cháy chữa cháy",
    "ATGT": "an toàn giao thông",
    "KT-XH": "kinh tế xã hội",
    "CNTT": "công nghệ thông tin",
    "CĐS": "chuyển đổi số",
    "DVC": "dịch vụ công",
    "VNeID": "vê en e ai đi",
}


def test_shipped_dictionary_is_big_and_covers_the_glossary():
    shipped = abbreviations.load_shipped()
    assert len(shipped) >= 60
    for key, reading in GLOSSARY.items():
        assert shipped[key] == reading


def test_load_shipped_returns_a_fresh_copy():
    first = abbreviations.load_shipped()
    first["UBND"] = "changed"
    assert abbreviations.load_shipped()["UBND"] == "Ủy ban nhân dân"


@pytest.mark.parametrize(("key", "reading"), GLOSSARY.items())
def test_glossary_abbreviation_is_expanded(key, reading):
    assert normalize(f"Về {key} xã.") == f"Về {reading} xã."


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("Tp. Huế", "thành phố Huế"),
        ("P. 5, Q. 1", "phường năm, quận một"),
        ("P. Hòa Bình", "phường Hòa Bình"),
        ("Q.1", "quận một"),
        ("Đ/c Nguyễn Văn B", "đồng chí Nguyễn Văn B"),
        ("QĐ-UBND", "quyết định Ủy ban nhân dân"),
        ("HĐND-UBND", "Hội đồng nhân dân, Ủy ban nhân dân"),
        ("SUBND", "ét xì u bê en nờ dê"),  # not a whole-word match: spelled, not expanded
        ("ubnd", "ubnd"),  # matching is case-sensitive
    ],
)
def test_matching_rules(text, spoken):
    assert normalize(text) == spoken


def test_dotted_key_at_sentence_end_is_left_alone():
    assert normalize("Chọn phương án P. xong.") == "Chọn phương án P. xong."


def test_extra_entries_are_added_and_win_over_shipped():
    extra = {"HTX": "hợp tác xã nông nghiệp", "UBND": "U B N D", "Zalo OA": "da lô ô a"}
    spoken = normalize("HTX và UBND mở Zalo OA.", extra=extra)
    assert spoken == "hợp tác xã nông nghiệp và U B N D mở da lô ô a."
    assert normalize("UBND") == "Ủy ban nhân dân"  # extras do not leak into later calls


def test_blank_extra_entries_are_ignored():
    assert normalize("UBND", extra={"UBND": "  ", " ": "x"}) == "Ủy ban nhân dân"


def test_parse_rejects_bad_dictionaries():
    with pytest.raises(ValueError):
        abbreviations.parse('x = "y"')
    with pytest.raises(ValueError):
        abbreviations.parse('[abbreviations]\n"UBND" = 3')
    assert abbreviations.parse('[abbreviations]\n"A" = "b"') == {"A": "b"}
