"""Vietnamese text normalization for TTS: turn a commune notice into the words to read aloud.

`normalize(text, extra)` runs a fixed sequence of small rewrite passes, most specific first
(phones, dates, times, Roman numerals, ordinals, quantities, abbreviations, plain numbers,
unknown capitals, symbols). Each pass replaces what it recognises with Vietnamese words, so
later passes never see those digits again. Pure: the only I/O is the one-time load of the
shipped abbreviation dictionary. Conventions are documented in docs/tts-normalization.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import partial

from controller.tts import abbreviations
from controller.tts.numbers import (
    MAX_CARDINAL_DIGITS,
    read_decimal,
    read_digits,
    read_month,
    read_number,
    read_ordinal,
)

# ---------------------------------------------------------------- shared patterns and helpers

_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:1[89][0-9]{2}|2[01][0-9]{2})"
_HOUR = r"(?:[01]?[0-9]|2[0-4])"
_MINUTE = r"[0-5][0-9]"
# A written number: Vietnamese thousands dots and/or a decimal comma.
_NUM = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?)"
# A minus sign counts only at the start of a word ("-5°C"), never inside "20-25".
_SIGNED_NUM = rf"(?:(?<![\w.,)-])-)?(?<![\w.,]){_NUM}"
# Start/end of a stand-alone numeric token (not glued to a word or another number).
_L = r"(?<![\w.,/:-])"
_R = r"(?![\w/:]|[.,-][0-9])"
_SPACED = " {} ".format  # pad replacements so they never glue to neighbouring words
_DAY_WORDS = {"ngày", "mùng", "mồng"}


def _preceding_words(m: re.Match[str], n: int = 3) -> list[str]:
    """The last `n` words right before the match (lowercase), stopping at punctuation."""
    window = m.string[max(0, m.start() - 40) : m.start()]
    tail = re.search(r"(?:\w+\s+)*$", window)
    words = tail.group(0).lower().split() if tail else []
    return words[-n:]


def _unsaid(m: re.Match[str], lead: list[str]) -> list[str]:
    """Drop the part of `lead` (e.g. ["từ", "ngày"]) that the text already says just before the
    match, so "từ ngày 1/10 - 5/10" does not become "từ ngày từ ngày ..."."""
    said = ["ngày" if w in _DAY_WORDS else w for w in _preceding_words(m, len(lead))]
    for end in range(len(lead), 0, -1):
        for start in range(end):
            part = lead[start:end]
            if said[-len(part) :] == part:
                return lead[end:]
    return lead


def _phrase(m: re.Match[str], lead: list[str], body: str) -> str:
    return _SPACED(" ".join([*_unsaid(m, lead), body]))


# ---------------------------------------------------------------- cleaning

_TRANSLATE = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "−": "-",
        "‐": "-",
        "‑": "-",
        "…": ".",
        "\u00a0": " ",
        "\t": " ",
        "“": "",
        "”": "",
        "„": "",
        "«": "",
        "»": "",
        '"': "",
        "‘": "",
        "’": "",
        "'": "",
        "•": "",
        "²": "2",
        "³": "3",
    }
)
_KEEP_SYMBOLS = {"°", "₫", "\n"}
_DROP_CATEGORIES = {"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc"}


def _is_dropped(ch: str) -> bool:
    if ch in _KEEP_SYMBOLS:
        return False
    # Variation selectors ride on emoji; they are combining marks, not letters.
    return unicodedata.category(ch) in _DROP_CATEGORIES or "\ufe00" <= ch <= "\ufe0f"


def _clean(text: str) -> str:
    """NFC, drop emoji and control characters, unify dashes and quotes, turn lines into
    sentences (a line without final punctuation gets a full stop so the engine pauses)."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = "".join(" " if _is_dropped(ch) else ch for ch in text)
    text = re.sub(r"\.{2,}", ".", text)
    # "Covid-19" has no minus sign (but "14h-16h" and "5km-7km" are ranges).
    text = re.sub(r"(?<!\w)([^\W\d_]{2,})-(?=[0-9])", r"\1 ", text)
    lines = [re.sub(r"^\s*[-*+]\s+", "", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    ended = [ln if ln[-1] in ".,;:?!" else f"{ln}." for ln in lines[:-1]]
    return " ".join([*ended, *lines[-1:]])


# ---------------------------------------------------------------- web addresses

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(
    r"(?<![\w.@])(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|edu|info)"
    r"(?:/[\w/.-]*[\w/])?(?![\w])"
)


def _read_address(s: str) -> str:
    s = re.sub(r"^https?://", "", s)
    s = s.replace("@", " a còng ").replace(".", " chấm ").replace("/", " gạch chéo ")
    return _SPACED(s.replace("www", "vê kép vê kép vê kép"))


def _web(text: str) -> str:
    text = _EMAIL.sub(lambda m: _read_address(m.group(0)), text)
    return _DOMAIN.sub(lambda m: _read_address(m.group(0)), text)


# ---------------------------------------------------------------- phone numbers

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
    return _SPACED(prefix + ", ".join(read_digits(g) for g in groups))


def _read_hotline(m: re.Match[str]) -> str:
    raw = m.group(0)
    if len(re.sub(r"[^0-9]", "", raw)) not in (8, 10):
        return raw
    return _SPACED(", ".join(read_digits(g) for g in _digit_groups(raw, (4, 4))))


def _read_emergency(m: re.Match[str]) -> str:
    window = m.string[max(0, m.start() - 60) : m.start()]
    return _SPACED(read_digits(m.group(0))) if _EMERGENCY_CUE.search(window) else m.group(0)


def _phones(text: str) -> str:
    # Emergency numbers first: the cue words must still be near them, before long phone
    # numbers in between have been spelled out.
    text = _EMERGENCY.sub(_read_emergency, text)
    text = _PHONE.sub(_read_phone, text)
    return _HOTLINE.sub(_read_hotline, text)


# ---------------------------------------------------------------- dates

_DATE_RANGE = re.compile(
    rf"{_L}({_DAY})/({_MONTH})(?:/({_YEAR}))?\s*-\s*({_DAY})/({_MONTH})(?:/({_YEAR}))?{_R}"
)
_DAY_RANGE = re.compile(rf"{_L}({_DAY})\s*-\s*({_DAY})/({_MONTH})(?:/({_YEAR}))?{_R}")
_FULL_DATE = re.compile(rf"{_L}({_DAY})([/.-])({_MONTH})\2({_YEAR}){_R}")
_MONTH_YEAR = re.compile(rf"{_L}({_MONTH})/({_YEAR}){_R}")
_DAY_MONTH = re.compile(rf"{_L}({_DAY})([/-])({_MONTH}){_R}")
_MONTH_WORD = re.compile(rf"\b((?i:tháng))\s+({_MONTH})(?![0-9]|[.,/-][0-9])")


def _date_body(day: str, month: str, year: str | None) -> str:
    words = f"{read_number(int(day))} tháng {read_month(int(month))}"
    return f"{words} năm {read_number(int(year))}" if year else words


def _read_date_range(m: re.Match[str]) -> str:
    d1, m1, y1, d2, m2, y2 = m.groups()
    body = f"{_date_body(d1, m1, y1)} đến ngày {_date_body(d2, m2, y2)}"
    return _phrase(m, ["từ", "ngày"], body)


def _read_day_range(m: re.Match[str]) -> str:
    d1, d2, month, year = m.groups()
    if int(d1) >= int(d2):
        return m.group(0)
    body = f"{read_number(int(d1))} đến ngày {_date_body(d2, month, year)}"
    return _phrase(m, ["từ", "ngày"], body)


def _read_full_date(m: re.Match[str]) -> str:
    day, _, month, year = m.groups()
    return _phrase(m, ["ngày"], _date_body(day, month, year))


def _read_month_year(m: re.Match[str]) -> str:
    month, year = m.groups()
    return _phrase(m, ["tháng"], f"{read_month(int(month))} năm {read_number(int(year))}")


def _read_day_month(m: re.Match[str]) -> str:
    day, sep, month = m.groups()
    after_day_word = bool(set(_preceding_words(m, 1)) & _DAY_WORDS)
    if sep == "/" and (int(day), int(month)) == (24, 7) and not after_day_word:
        return m.group(0)  # "24/7" means round the clock
    # "30-4" is a date; "2-5" is a range unless the text says "ngày 2-5".
    if sep == "-" and not after_day_word and int(day) <= int(month):
        return m.group(0)
    return _phrase(m, ["ngày"], _date_body(day, month, None))


def _read_month_word(m: re.Match[str]) -> str:
    return _SPACED(f"{m.group(1)} {read_month(int(m.group(2)))}")


def _dates(text: str) -> str:
    text = _DATE_RANGE.sub(_read_date_range, text)
    text = _DAY_RANGE.sub(_read_day_range, text)
    text = _FULL_DATE.sub(_read_full_date, text)
    text = _MONTH_YEAR.sub(_read_month_year, text)
    text = _DAY_MONTH.sub(_read_day_month, text)
    return _MONTH_WORD.sub(_read_month_word, text)


# ---------------------------------------------------------------- times

_TIME = rf"{_HOUR}(?:[hH](?:{_MINUTE})?|g{_MINUTE}|:{_MINUTE})"
_TIME_RANGE = re.compile(rf"{_L}({_TIME})\s*-\s*({_TIME}){_R}")
_HOUR_RANGE = re.compile(rf"{_L}({_HOUR})\s*-\s*({_HOUR})[hH](?!\w)")
_CLOCK = re.compile(rf"{_L}({_TIME}){_R}")
_HOUR_WORD = re.compile(rf"{_L}({_HOUR})\s+giờ\s+({_MINUTE}|[0-9])(?![0-9])(?!\s*phút)")


def _time_words(token: str) -> str:
    hour, minute = re.fullmatch(r"([0-9]+)[hHg:]?([0-9]*)", token).groups()
    words = f"{read_number(int(hour))} giờ"
    return f"{words} {read_number(int(minute))} phút" if minute and int(minute) else words


def _times(text: str) -> str:
    text = _TIME_RANGE.sub(
        lambda m: _phrase(m, ["từ"], f"{_time_words(m[1])} đến {_time_words(m[2])}"), text
    )
    text = _HOUR_RANGE.sub(
        lambda m: _phrase(m, ["từ"], f"{read_number(int(m[1]))} đến {_time_words(m[2])}"), text
    )
    text = _CLOCK.sub(lambda m: _SPACED(_time_words(m[1])), text)
    return _HOUR_WORD.sub(lambda m: _SPACED(_time_words(f"{m[1]}h{m[2]:0>2}")), text)


# ---------------------------------------------------------------- Roman numerals and ordinals

# Only I, V, X, L (up to 89): titles never need more, and "loại C", "hạng D" stay letters.
_ROMAN = r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# Roman numerals are read only after words that introduce them, so a lone "I" stays a letter.
_ROMAN_AFTER = re.compile(
    r"\b((?i:đại hội|khóa|khoá|kỳ|kì|thế kỷ|thế kỉ|quý|chương|phần|mục|thứ|đợt|giai đoạn|"
    rf"cấp|tập|vòng|phụ lục))\s+({_ROMAN})(?![\w])(?:/({_YEAR}))?"
)
_ORDINAL_RANGE = re.compile(
    r"\b((?i:thứ))\s+([0-9]{1,2})\s*-\s*(?:(?i:thứ)\s+)?([0-9]{1,2})(?![0-9]|[.,/:][0-9])"
)
_ORDINAL = re.compile(r"\b((?i:thứ))\s+([0-9]{1,3})(?![0-9]|[.,/:hH][0-9]|[hH]\b)")


def roman_value(numeral: str) -> int:
    """Value of a valid Roman numeral ("XIII" -> 13)."""
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt and _ROMAN_VALUES[nxt] > value else value
    return total


def _read_roman(m: re.Match[str]) -> str:
    word, numeral, year = m.groups()
    value = roman_value(numeral)
    words = read_ordinal(value) if word.lower().endswith("thứ") else read_number(value)
    tail = f" năm {read_number(int(year))}" if year else ""
    return _SPACED(f"{word} {words}{tail}")


def _read_ordinal_range(m: re.Match[str]) -> str:
    word, first, last = m.groups()
    body = f"{word} {read_ordinal(int(first))} đến thứ {read_ordinal(int(last))}"
    return _phrase(m, ["từ"], body)


def _ordinals(text: str) -> str:
    text = _ROMAN_AFTER.sub(_read_roman, text)
    text = _ORDINAL_RANGE.sub(_read_ordinal_range, text)
    return _ORDINAL.sub(lambda m: _SPACED(f"{m[1]} {read_ordinal(int(m[2]))}"), text)


# ---------------------------------------------------------------- quantities: units, money, %

UNITS: dict[str, str] = {
    "%": "phần trăm",
    "km/h": "ki lô mét một giờ",
    "m/s": "mét một giây",
    "km2": "ki lô mét vuông",
    "m2": "mét vuông",
    "m3": "mét khối",
    "km": "ki lô mét",
    "cm": "xăng ti mét",
    "mm": "mi li mét",
    "m": "mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "mg": "mi li gam",
    "g": "gam",
    "tấn": "tấn",
    "l": "lít",
    "lít": "lít",
    "ml": "mi li lít",
    "°C": "độ xê",
    "độ C": "độ xê",
    "°": "độ",
    "đ": "đồng",
    "₫": "đồng",
    "đồng": "đồng",
    "VNĐ": "đồng",
    "VND": "đồng",
    "vnđ": "đồng",
    "vnd": "đồng",
    "k": "nghìn",
    "USD": "đô la Mỹ",
    "kWh": "ki lô oát giờ",
    "kW": "ki lô oát",
    "W": "oát",
    "V": "vôn",
}


def _alternation(keys: list[str]) -> str:
    ordered = sorted(keys, key=len, reverse=True)
    return "|".join(re.escape(k) + (r"(?!\w)" if k[-1].isalnum() else "") for k in ordered)


_UNIT = _alternation(list(UNITS))
_PER_ONE = rf"/(?:{_UNIT}|[^\W\d_]+(?!\w))"
_PER = rf"((?:{_PER_ONE}){{0,2}})"
_QUANTITY = re.compile(rf"({_SIGNED_NUM})\s?({_UNIT}){_PER}")
_QUANTITY_RANGE = re.compile(
    rf"({_SIGNED_NUM})(?:\s?({_UNIT}))?\s*-\s*({_NUM})(?![0-9]|[.,][0-9])(?:\s?({_UNIT}){_PER})?"
)


def _amount_value(s: str) -> float:
    sign = -1 if s.startswith("-") else 1
    return sign * float(s.lstrip("-").replace(".", "").replace(",", "."))


def _unit_words(unit: str | None, per: str | None) -> str:
    """ " đồng một hộ một tháng" for unit "đ" and per "/hộ/tháng"."""
    if not unit:
        return ""
    pers = [p for p in (per or "").split("/") if p]
    return "".join([f" {UNITS[unit]}", *(f" một {UNITS.get(p, p)}" for p in pers)])


def _read_quantity_range(m: re.Match[str]) -> str:
    low, unit_low, high, unit_high, per = m.groups()
    if _amount_value(low) >= _amount_value(high):
        return m.group(0)
    first = read_decimal(low) + (_unit_words(unit_low, None) if unit_low != unit_high else "")
    body = f"{first} đến {read_decimal(high)}{_unit_words(unit_high, per)}"
    # "năm học 2025-2026", "nhiệm kỳ 2025-2030": a span of years is said without "từ".
    years = re.fullmatch(_YEAR, low) and re.fullmatch(_YEAR, high) and not unit_high
    return _phrase(m, [] if years else ["từ"], body)


def _quantities(text: str) -> str:
    text = _QUANTITY_RANGE.sub(_read_quantity_range, text)
    return _QUANTITY.sub(lambda m: _SPACED(read_decimal(m[1]) + _unit_words(m[2], m[3])), text)


# ---------------------------------------------------------------- spelling capitals

LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "Ă": "á",
    "Â": "ớ",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "Ê": "ê",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "giây",
    "K": "ca",
    "L": "e-lờ",
    "M": "em-mờ",
    "N": "en-nờ",
    "O": "o",
    "Ô": "ô",
    "Ơ": "ơ",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "S": "ét-xì",
    "T": "tê",
    "U": "u",
    "Ư": "ư",
    "V": "vê",
    "W": "vê kép",
    "X": "ích-xì",
    "Y": "i dài",
    "Z": "dét",
}


def _vowel_class() -> str:
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    return "".join(unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in tones)


_V = _vowel_class()
# One Vietnamese syllable: onset, 1-3 vowel letters, final consonant. "THÔNG" fits, "HĐND" not.
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[{_V}]{{1,3}}(?:ng|nh|ch|[cmnpt])?"
)
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")
_MIXED = re.compile(r"(?<![\w])(?=[A-ZĐ0-9]*[A-ZĐ])(?=[A-ZĐ0-9]*[0-9])[A-ZĐ0-9]+(?![\w])")


def spell(word: str) -> str:
    """Spell a word letter by letter with Vietnamese letter names ("ATM" -> "a tê em-mờ")."""
    return " ".join(LETTER_NAMES.get(ch, ch.lower()) for ch in word.upper())


def _read_capitals(m: re.Match[str]) -> str:
    word = m.group(0)
    if not word.isupper():
        return word
    lower = word.lower()
    if len(word) == 1:
        # "Ý" in a headline is a word; a plain letter ("Văn A", "Vitamin C") stays as written.
        return word if word.isascii() or word == "Đ" else lower
    # A capitalised syllable is a headline word ("THÔNG BÁO"), not an acronym.
    return lower if _SYLLABLE.fullmatch(lower) else _SPACED(spell(word))


def _read_mixed(m: re.Match[str], entries: Mapping[str, str]) -> str:
    """ "F0", "4G", "QL1A": letters and digits glued together; read each run on its own."""
    runs = re.findall(r"[A-ZĐ]+|[0-9]+", m.group(0))
    words = [
        _read_numeral(run) if run.isdigit() else entries.get(run) or spell(run) for run in runs
    ]
    return _SPACED(" ".join(words))


# ---------------------------------------------------------------- plain numbers

_NUMBER = re.compile(r"(?:(?<![^\s(\[])(-))?([0-9]+(?:[.,][0-9]+)*)")
_NUM_TOKEN = r"[0-9]+(?:[.,][0-9]+)*"
_RATIO = re.compile(rf"(?<![\w.,]){_NUM_TOKEN}(?:/{_NUM_TOKEN})+(?![\w])")


def _read_numeral(token: str) -> str:
    """Read a digit token that no earlier pass claimed."""
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
        "chấm" if p == "." else "," if p == "," else _read_numeral(p) for p in parts if p
    ).replace(" ,", ",")


def _numbers(text: str) -> str:
    text = _RATIO.sub(
        lambda m: _SPACED(" trên ".join(_read_numeral(p) for p in m[0].split("/"))), text
    )
    return _NUMBER.sub(
        lambda m: _SPACED(("âm " if m[1] else "") + _read_numeral(m[2])),
        text,
    )


# ---------------------------------------------------------------- symbols and spacing

_SYMBOL_WORDS = {"&": " và ", "%": " phần trăm ", "@": " a còng ", "°": " độ ", "₫": " đồng "}


# "đồng/tháng", "lượt/ngày": a slash before a count or time noun means "per".
_PER_NOUN = re.compile(
    r"(?<=\w)/(người|hộ|tháng|năm|ngày|giờ|tuần|lần|lượt|suất|con|cái|chiếc|buổi|khóa)(?!\w)"
)


def _symbols(text: str) -> str:
    text = _PER_NOUN.sub(r" một \1", text)
    for symbol, words in _SYMBOL_WORDS.items():
        text = text.replace(symbol, words)
    text = re.sub(r"[()\[\]{}]", ",", text)
    text = re.sub(r"(?<=\S)[-/](?=\S)", " ", text)  # "Covid-19", "anh/chị"
    text = re.sub(r"\s[-/]\s|^[-/]\s", ", ", text)  # a free-standing dash is a pause
    return re.sub(r"[*#_|~^<>=+\\/-]", " ", text)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:?!])", r"\1", text)
    # Collapse a run of pauses (", ." or ",,") into its strongest mark.
    text = re.sub(
        r"[.,;:?!](?:\s*[.,;:?!])+",
        lambda m: next((c for c in "?!.;:" if c in m.group(0)), ","),
        text,
    )
    text = re.sub(r"([.,;:?!])(?=[^\s.,;:?!])", r"\1 ", text)
    return re.sub(r"^[\s.,;:]+", "", text).strip()


# ---------------------------------------------------------------- the pipeline

Step = Callable[[str], str]


def _steps(entries: Mapping[str, str]) -> list[Step]:
    return [
        _clean,
        _web,
        _phones,
        _dates,
        _times,
        _ordinals,
        _quantities,
        partial(abbreviations.expand, entries=entries),
        lambda t: _MIXED.sub(partial(_read_mixed, entries=entries), t),
        _numbers,
        lambda t: _WORD.sub(_read_capitals, t),
        _symbols,
        _tidy,
    ]


def normalize(text: str, extra: Mapping[str, str] | None = None) -> str:
    """Return `text` as it should be read aloud, in Vietnamese words.

    `extra` holds officer-defined abbreviations ({"HTX": "hợp tác xã"}); they win over the
    shipped dictionary. Sentence punctuation (. , ; : ? !) is kept so the engine pauses;
    whitespace is collapsed. Never raises on odd input (empty, emoji, NFD, very long text).
    """
    if not text or not text.strip():
        return ""
    entries = abbreviations.merged(extra)
    for step in _steps(entries):
        text = step(text)
    return text
