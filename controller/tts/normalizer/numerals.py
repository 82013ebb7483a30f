"""Numbers no earlier step claimed: plain numbers, codes, section numbers and ratios.

Examples: "1.250.000" -> "một triệu hai trăm năm mươi nghìn"; "3,25" -> "ba phẩy hai mươi
lăm"; "1,000,000" -> "một triệu"; "0243" and a 12-digit id -> digit by digit; "1.2.3" -> "một
chấm hai chấm ba"; "1,2,3" -> "một, hai, ba"; "24/7" -> "hai mươi bốn trên bảy"; "-5" (at the
start of a word) -> "âm năm".
"""

from __future__ import annotations

import re

from controller.tts.normalizer.phrasing import spaced
from controller.tts.numbers import MAX_CARDINAL_DIGITS, read_decimal, read_digits, read_number

_NUMBER = re.compile(r"(?:(?<![^\s(\[])(-))?([0-9]+(?:[.,][0-9]+)*)")
_NUM_TOKEN = r"[0-9]+(?:[.,][0-9]+)*"
_RATIO = re.compile(rf"(?<![\w.,]){_NUM_TOKEN}(?:/{_NUM_TOKEN})+(?![\w])")


def read_numeral(token: str) -> str:
    """Read a digit token (digits with "." and "," inside) that no earlier step claimed."""
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+,[0-9]+", token):
        return read_decimal(token)
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3}){2,}", token):
        return read_number(int(token.replace(",", "")))
    if token.isdigit():
        # Codes and ids ("0243", a 12-digit CCCD number) are read digit by digit.
        if (token.startswith("0") and len(token) >= 4) or len(token) > MAX_CARDINAL_DIGITS:
            return read_digits(token)
        return read_number(int(token))
    # Section numbers ("1.2.3") and lists written without spaces ("1,2,3").
    parts = re.split(r"([.,])", token)
    return " ".join(
        "chấm" if p == "." else "," if p == "," else read_numeral(p) for p in parts if p
    ).replace(" ,", ",")


def read_numbers(text: str) -> str:
    """Read ratios ("a/b" -> "a trên b"), then every remaining number."""
    text = _RATIO.sub(
        lambda m: spaced(" trên ".join(read_numeral(p) for p in m[0].split("/"))), text
    )
    return _NUMBER.sub(
        lambda m: spaced(("âm " if m[1] else "") + read_numeral(m[2])),
        text,
    )
