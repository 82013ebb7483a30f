"""Clock times: 7h30, 07:30, 7 giờ 30, 17h00, 7h, 7g30."""

import pytest

from controller.tts.normalize import normalize


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("7h30", "bảy giờ ba mươi phút"),
        ("07:30", "bảy giờ ba mươi phút"),
        ("7 giờ 30", "bảy giờ ba mươi phút"),
        ("7 giờ 30 phút", "bảy giờ ba mươi phút"),
        ("17h00", "mười bảy giờ"),
        ("17:00", "mười bảy giờ"),
        ("7h", "bảy giờ"),
        ("7H15", "bảy giờ mười lăm phút"),
        ("7h05", "bảy giờ năm phút"),
        ("7g30", "bảy giờ ba mươi phút"),
        ("lúc 19h30 tối nay.", "lúc mười chín giờ ba mươi phút tối nay."),
        ("lúc 7h30' sáng", "lúc bảy giờ ba mươi phút sáng"),
        ("Thời gian: 14 giờ", "Thời gian: mười bốn giờ"),
    ],
)
def test_times(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("tỉ lệ bản đồ 1:500", "tỉ lệ bản đồ một: năm trăm"),  # not a clock time
        ("diện tích 7ha", "diện tích bảy héc ta"),  # "h" of hectare is not an hour
        ("25h", "hai mươi lăm h"),  # no such hour: left as a number
    ],
)
def test_not_times(text, spoken):
    assert normalize(text) == spoken
