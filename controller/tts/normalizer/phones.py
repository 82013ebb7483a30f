"""Phone numbers, hotlines and emergency numbers, read digit by digit in their written groups
with a comma (a pause) between groups.

Examples: "0912.345.678" -> "không chín một hai, ba bốn năm, sáu bảy tám"; "0912345678" is
grouped 4-3-3 the same way; "+84 912 345 678" -> "cộng tám bốn, chín một hai, …";
"1900 1234" -> "một chín không không, một hai ba bốn"; "gọi 114" -> "gọi một một bốn" (111-115
only near a cue word such as gọi, tổng đài, cấp cứu, công an; otherwise "114" stays a number).
"""

from __future__ import annotations

import re

from controller.tts.normalizer.phrasing import spaced
from controller.tts.numbers import read_digits

_PHONE = re.compile(
    r"(?<![\w+.,])(?:\+84[ .]?|0)[0-9]{2,4}(?:[ .-]?[0-9]{2,4}){1,3}(?![\w]|[.,-][0-9])"
)
_HOTLINE = re.compile(r"(?<![\w.,])1[89]00[ .]?[0-9]{3,4}(?:[ .]?[0-9]{2,4})?(?![\w]|[.,][0-9])")
_EMERGENCY = re.compile(r"(?<![\w.,/-])11[1-5](?![\w/]|[.,-][0-9])")
_EMERGENCY_CUE = re.compile(
    r"gọi|tổng đài|đường dây nóng|hotline|điện thoại|cấp cứu|cứu hỏa|cứu nạn|cứu hộ|"
    r"công an|khẩn cấp|báo cháy|liên hệ",
    re.IGNORECASE,
)


def _digit_groups(raw: str, sizes: tuple[int, ...]) -> list[str]:
    """Split a written number into its written groups, or into `sizes` if written solid."""
    groups = re.split(r"[ .-]", raw)
    if len(groups) > 1:
        return groups
    out, start = [], 0
    for size in sizes:
        out.append(raw[start : start + size])
        start += size
    return [g for g in [*out[:-1], out[-1] + raw[start:]] if g]


def _read_phone(m: re.Match[str]) -> str:
    raw = m.group(0)
    prefix = ""
    if raw.startswith("+84"):
        prefix, raw = "cộng tám bốn, ", raw[3:].lstrip(" .")
        count = len(re.sub(r"[^0-9]", "", raw)) + 1
    else:
        count = len(re.sub(r"[^0-9]", "", raw))
    if not 10 <= count <= 11:
        return m.group(0)
    groups = _digit_groups(raw, (4, 3, 3) if not prefix else (3, 3, 3))
    return spaced(prefix + ", ".join(read_digits(g) for g in groups))


def _read_hotline(m: re.Match[str]) -> str:
    raw = m.group(0)
    if len(re.sub(r"[^0-9]", "", raw)) not in (8, 10):
        return raw
    return spaced(", ".join(read_digits(g) for g in _digit_groups(raw, (4, 4))))


def _read_emergency(m: re.Match[str]) -> str:
    window = m.string[max(0, m.start() - 60) : m.start()]
    return spaced(read_digits(m.group(0))) if _EMERGENCY_CUE.search(window) else m.group(0)


def read_phones(text: str) -> str:
    """Read emergency numbers (after a cue word), phone numbers and 1800/1900 hotlines."""
    # Emergency numbers first: the cue words must still be near them, before long phone
    # numbers in between have been spelled out.
    text = _EMERGENCY.sub(_read_emergency, text)
    text = _PHONE.sub(_read_phone, text)
    return _HOTLINE.sub(_read_hotline, text)
