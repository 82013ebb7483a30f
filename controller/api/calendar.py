"""``/api/v1/calendar``: the Vietnamese holiday calendar (solar and lunar) for a year."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, jsonify, request

from controller.api import context
from controller.api.program_schemas import HolidayOut
from controller.api.spec import api_doc
from controller.errors import ApiError
from controller.scheduling.holidays import holidays_for_year
from controller.scheduling.planning import clock, site_timezone

bp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar")

YEAR_MIN = 1900
YEAR_MAX = 2199


def _year() -> int:
    raw = request.args.get("year")
    if raw is None or raw.strip() == "":
        tz = site_timezone(context.session(), context.config(), context.site_id())
        now: datetime = clock(current_app)
        return now.astimezone(tz).year
    text = raw.strip()
    if not text.isdecimal() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise ApiError(
            422,
            "validation",
            f"Năm '{raw}' không hợp lệ: hãy nhập một năm từ {YEAR_MIN} đến {YEAR_MAX}",
            f"year must be an integer from {YEAR_MIN} to {YEAR_MAX}, got {raw!r}",
            field="year",
        )
    return int(text)


@bp.get("/holidays")
@api_doc(
    "Holidays and commemorations of a year (lunar ones resolved at UTC+7)",
    list_of=HolidayOut,
    query={"year": f"{YEAR_MIN}-{YEAR_MAX}, default: the current year"},
)
def list_holidays():  # type: ignore[no-untyped-def]
    year = _year()
    items = [
        HolidayOut(
            date=h.date, name=h.name, name_en=h.name_en, lunar=h.lunar, day_off=h.day_off,
            key=h.key,
        ).model_dump(mode="json")
        for h in holidays_for_year(year)
    ]  # fmt: skip
    return jsonify({"year": year, "items": items})
