"""Regex fragments shared by the rewrite steps: calendar and clock fields, written numbers and
the edges of a stand-alone numeric token.

Examples: ``DAY`` matches "1", "07", "31"; ``NUM`` matches "15.000", "3,5", "1.250.000,75";
``SIGNED_NUM`` also takes the minus of "-5°C" but not the dash inside "20-25".
"""

from __future__ import annotations

DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
MONTH = r"(?:0?[1-9]|1[0-2])"
YEAR = r"(?:1[89][0-9]{2}|2[01][0-9]{2})"
HOUR = r"(?:[01]?[0-9]|2[0-4])"
MINUTE = r"[0-5][0-9]"
# A written number: Vietnamese thousands dots and/or a decimal comma.
NUM = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?)"
# A minus sign counts only at the start of a word ("-5°C"), never inside "20-25".
SIGNED_NUM = rf"(?:(?<![\w.,)-])-)?(?<![\w.,]){NUM}"
# Start/end of a stand-alone numeric token (not glued to a word or another number).
LEFT = r"(?<![\w.,/:-])"
RIGHT = r"(?![\w/:]|[.,-][0-9])"
