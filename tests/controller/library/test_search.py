import unicodedata

from controller.library.search import fold_vietnamese


def test_folds_tones_and_case():
    assert fold_vietnamese("Chúc Tết") == "chuc tet"


def test_d_with_stroke_becomes_d():
    assert fold_vietnamese("Đại hội Đảng bộ đường làng") == "dai hoi dang bo duong lang"


def test_horn_and_breve_vowels():
    assert fold_vietnamese("Thông báo về dịch vụ công ở xã Ưng Hòa") == (
        "thong bao ve dich vu cong o xa ung hoa"
    )


def test_decomposed_input_folds_like_precomposed():
    text = "Phòng chống bão lũ"
    assert fold_vietnamese(unicodedata.normalize("NFD", text)) == fold_vietnamese(text)


def test_punctuation_and_spaces_collapse():
    assert (
        fold_vietnamese("  CCHC/TTHC:  lịch   tiếp dân (07:30)! ")
        == "cchc tthc lich tiep dan 07 30"
    )


def test_empty():
    assert fold_vietnamese("") == ""
