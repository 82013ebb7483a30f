"""Read numbers aloud in Vietnamese words (pure functions, no I/O).

Conventions (see docs/tts-normalization.md):
- cardinals use "bốn" for 4 everywhere ("hai mươi bốn"); "tư" only for month 4 and ordinal 4,
- "linh" (not "lẻ") for a zero tens digit: 105 -> "một trăm linh năm",
- "mốt" for a final 1 after "mươi", "lăm" for a final 5 after any tens digit,
- a zero hundreds digit inside a large number reads "không trăm": 1005 -> "một nghìn không trăm
  linh năm",
- "nghìn" (not "ngàn"), "tỷ" for 10^9, larger scales nest: 10^12 -> "một nghìn tỷ".
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ((10**6, "triệu"), (10**3, "nghìn"), (1, ""))
_BILLION = 10**9
# Past this many digits a plain integer is an identifier, not a quantity.
MAX_CARDINAL_DIGITS = 15


def _tens(n: int) -> str:
    """Read 0..99 as it stands alone (no leading "không trăm")."""
    if n < 10:
        return DIGITS[n]
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 1 and tens >= 2:
        return f"{head} mốt"
    if unit == 5:
        return f"{head} lăm"
    return f"{head} {DIGITS[unit]}"


def _hundreds(n: int, full: bool) -> str:
    """Read 0..999; `full` forces the hundreds digit ("không trăm") inside large numbers."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not full:
        return _tens(rest)
    head = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} linh {DIGITS[rest]}"
    return f"{head} {_tens(rest)}"


def _below_billion(n: int, leading: bool) -> str:
    """Read 1..999 999 999; `leading` is True when nothing has been said before it."""
    parts: list[str] = []
    for value, name in _SCALES:
        group = (n // value) % 1000
        if group == 0:
            continue
        words = _hundreds(group, full=not leading)
        parts.append(f"{words} {name}".strip())
        leading = False
    return " ".join(parts)


def read_number(n: int) -> str:
    """Read an integer: 15000 -> "mười lăm nghìn", -5 -> "âm năm", 0 -> "không"."""
    if n < 0:
        return f"âm {read_number(-n)}"
    if n == 0:
        return DIGITS[0]
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = f"{read_number(high)} tỷ"
        return f"{words} {_below_billion(low, leading=False)}" if low else words
    return _below_billion(n, leading=True)


def read_digits(s: str) -> str:
    """Read every ASCII digit of `s` one by one, ignoring anything else: "0912" -> "không chín
    một hai"."""
    return " ".join(DIGITS[int(c)] for c in s if "0" <= c <= "9")


def read_fraction(digits: str) -> str:
    """Read the part after the decimal comma: "5" -> "năm", "25" -> "hai mươi lăm",
    "05" -> "không năm"; more than three digits, or a leading zero, go digit by digit."""
    if digits.startswith("0") or len(digits) > 3:
        return read_digits(digits)
    return read_number(int(digits))


def read_decimal(s: str) -> str:
    """Read a number written the Vietnamese way: "3,5" -> "ba phẩy năm",
    "1.250.000" -> "một triệu hai trăm năm mươi nghìn", "-2,75" -> "âm hai phẩy bảy mươi lăm".

    "." groups thousands and "," is the decimal mark. Raises ValueError if `s` is not a number.
    """
    text = s.strip()
    sign = ""
    if text[:1] in "-−":
        sign, text = "âm ", text[1:]
    whole, _, frac = text.partition(",")
    whole_digits = whole.replace(".", "")
    if not whole_digits.isascii() or not whole_digits.isdigit():
        raise ValueError(f"not a number: {s!r}")
    words = read_number(int(whole_digits))
    if frac:
        if not frac.isascii() or not frac.isdigit():
            raise ValueError(f"not a number: {s!r}")
        words = f"{words} phẩy {read_fraction(frac)}"
    return sign + words


def read_ordinal(n: int) -> str:
    """Read the number after "thứ": 1 -> "nhất", 4 -> "tư", others as cardinals."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return read_number(n)


def read_month(m: int) -> str:
    """Read a month number after "tháng": 4 -> "tư", 1 -> "một" (not the lunar "giêng")."""
    return "tư" if m == 4 else read_number(m)
