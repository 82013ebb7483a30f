"""Unknown ALL-CAPS words are spelled with Vietnamese letter names; headline words are not."""

import pytest

from controller.tts.normalize import LETTER_NAMES, normalize, spell


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("ATM", "a tê em mờ"),
        ("HIV", "hát i vê"),
        ("XYZ", "ích xì i dài dét"),
        ("Đoàn KTĐ đến", "Đoàn ca tê đê đến"),
        ("OK", "o ca"),
        ("F0 và 4G", "ép không và bốn giê"),
        ("bằng lái B2", "bằng lái bê hai"),
        ("QL1A", "quốc lộ một a"),
        ("THÔNG BÁO KHẨN", "thông báo khẩn"),
        ("NGƯỜI DÂN CHÚ Ý", "người dân chú ý"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("Agribank", "Agribank"),
    ],
)
def test_spelling(text, spoken):
    assert normalize(text) == spoken


def test_letter_names_cover_the_vietnamese_alphabet():
    for letter in "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY":
        assert LETTER_NAMES[letter]
    assert spell("BGHKLĐ") == "bê giê hát ca e-lờ đê"
