"""Symbols left after the number steps: read the ones that are words, turn brackets and free
dashes into pauses, drop the rest.

Examples: "đồng/tháng" -> "đồng một tháng"; "&" -> "và"; "%" -> "phần trăm"; "(bản gốc)" ->
", bản gốc,"; "anh/chị" -> "anh chị"; "Covid-19"'s hyphen and the one in "e-lờ" -> a space;
" - " -> ", "; "*", "#", "=" and the like -> a space.
"""

from __future__ import annotations

import re

_SYMBOL_WORDS = {"&": " và ", "%": " phần trăm ", "@": " a còng ", "°": " độ ", "₫": " đồng "}
# "đồng/tháng", "lượt/ngày": a slash before a count or time noun means "per".
_PER_NOUN = re.compile(
    r"(?<=\w)/(người|hộ|tháng|năm|ngày|giờ|tuần|lần|lượt|suất|con|cái|chiếc|buổi|khóa)(?!\w)"
)


def read_symbols(text: str) -> str:
    """Read "/noun" as "một noun" and word-like symbols as words; the rest become pauses or
    spaces."""
    text = _PER_NOUN.sub(r" một \1", text)
    for symbol, words in _SYMBOL_WORDS.items():
        text = text.replace(symbol, words)
    text = re.sub(r"[()\[\]{}]", ",", text)
    text = re.sub(r"(?<=\S)[-/](?=\S)", " ", text)  # "Covid-19", "anh/chị"
    text = re.sub(r"\s[-/]\s|^[-/]\s", ", ", text)  # a free-standing dash is a pause
    return re.sub(r"[*#_|~^<>=+\\/-]", " ", text)
