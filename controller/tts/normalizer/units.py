"""The units a quantity may carry, and how to read a unit with its "per" parts.

Examples: "km/h" -> "ki lô mét một giờ"; "°C" -> "độ xê"; "VNĐ" -> "đồng"; "k" -> "nghìn";
unit "đ" with per "/hộ/tháng" -> " đồng một hộ một tháng" ("/" reads "một", i.e. "per").
"""

from __future__ import annotations

import re

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


# Longest first, so "km/h" wins over "km" and "kWh" over "kW".
UNIT = _alternation(list(UNITS))
_PER_ONE = rf"/(?:{UNIT}|[^\W\d_]+(?!\w))"
# Up to two "per" parts after a unit: "/kg", "/hộ/tháng".
PER = rf"((?:{_PER_ONE}){{0,2}})"


def unit_words(unit: str | None, per: str | None) -> str:
    """ " đồng một hộ một tháng" for unit "đ" and per "/hộ/tháng"; "" without a unit."""
    if not unit:
        return ""
    pers = [p for p in (per or "").split("/") if p]
    return "".join([f" {UNITS[unit]}", *(f" một {UNITS.get(p, p)}" for p in pers)])
