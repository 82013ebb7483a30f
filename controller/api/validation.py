"""Request parsing for the JSON API: pydantic models in, clear 400/422 errors out."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from controller.errors import ApiError
from controller.i18n import request_locale

M = TypeVar("M", bound=BaseModel)

_FIELD_WORDS_VI = {
    "missing": "thiếu trường bắt buộc",
    "string_too_long": "quá dài",
    "string_too_short": "quá ngắn",
    "string_pattern_mismatch": "sai định dạng",
    "extra_forbidden": "trường không được hỗ trợ",
}


def _describe(err: dict[str, Any], locale: str) -> str:
    where = ".".join(str(p) for p in err.get("loc", ())) or "body"
    if locale == "en":
        return f"{where}: {err.get('msg', 'invalid')}"
    return f"{where}: {_FIELD_WORDS_VI.get(err.get('type', ''), 'giá trị không hợp lệ')}"


def parse_body(model: type[M]) -> M:
    """Parse the JSON body into ``model`` or raise a 400/422 ``ApiError``."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # "[[[[..." nested deeper than the parser's stack: not a body
        data = None
    if data is None:
        raise ApiError(400, "invalid_json")
    return validate(model, data)


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        locale = request_locale()
        details = [_describe(e, locale) for e in exc.errors()[:10]]
        prefix = "Invalid data" if locale == "en" else "Dữ liệu không hợp lệ"
        raise ApiError(
            422,
            "validation",
            f"{prefix}: " + "; ".join(details),
            f"{prefix}: " + "; ".join(details),
            fields=details,
        ) from None
