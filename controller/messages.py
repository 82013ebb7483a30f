"""User-facing API error messages in Vietnamese (default) and English, keyed by error code."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "unauthorized": ("Vui lòng đăng nhập.", "Please log in."),
    "forbidden": ("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "method_not_allowed": ("Phương thức không được hỗ trợ.", "Method not allowed."),
    "bad_request": ("Yêu cầu không hợp lệ.", "Bad request."),
    "invalid_json": ("Nội dung gửi lên không phải JSON hợp lệ.", "The body is not valid JSON."),
    "validation": ("Dữ liệu không hợp lệ.", "Invalid data."),
    "conflict": ("Xung đột dữ liệu.", "Conflict."),
    "exists": ("Mã này đã tồn tại.", "This id already exists."),
    "too_large": ("Tệp quá lớn.", "The file is too large."),
    "csrf": (
        "Phiên làm việc hết hạn, vui lòng tải lại trang.",
        "Session expired: reload the page.",
    ),
    "rate_limited": (
        "Thử quá nhiều lần, vui lòng đợi một lát.",
        "Too many attempts, wait a moment.",
    ),
    "unavailable": ("Hệ thống tạm thời không sẵn sàng.", "Service temporarily unavailable."),
    "database_unavailable": (
        "Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau.",
        "The database is temporarily unreachable, try again later.",
    ),
    "internal": ("Lỗi hệ thống, vui lòng thử lại.", "Internal error, please try again."),
    "zone_unknown": ("Thôn/xóm không tồn tại.", "Unknown zone."),
    "zone_in_use": ("Thôn/xóm còn cụm loa, không thể xóa.", "The zone still has nodes."),
    "invalid_id": (
        "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 64 ký tự).",
        "Ids use lowercase ASCII letters, digits and dashes (64 characters at most).",
    ),
}


def message(code: str, locale: str = "vi") -> str:
    """The message for ``code`` in ``locale`` (``vi`` or ``en``)."""
    vi, en = MESSAGES.get(code, MESSAGES["bad_request"])
    return en if locale == "en" else vi
