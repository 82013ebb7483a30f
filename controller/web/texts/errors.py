"""Words of the error pages (403, 404, 405, 429, 500 …) shown to people in a browser."""

TEXT = {
    "err_code": ("Mã lỗi", "Error code"),
    "err_home": ("Về trang Tổng quan", "Back to the dashboard"),
    "err_login": ("Đến trang đăng nhập", "Go to the sign-in page"),
    "err_title_400": ("Yêu cầu không hợp lệ", "Bad request"),
    "err_advice_400": (
        "Trang gửi lên dữ liệu không hợp lệ hoặc phiên làm việc đã hết hạn. "
        "Vui lòng tải lại trang rồi thử lại.",
        "The page sent invalid data or the session expired. Reload the page and try again.",
    ),
    "err_title_403": ("Không có quyền truy cập", "Access denied"),
    "err_advice_403": (
        "Tài khoản của bạn không được dùng trang hoặc thao tác này. "
        "Nếu cần, vui lòng liên hệ quản trị hệ thống.",
        "Your account may not use this page or action. Ask the administrator if you need it.",
    ),
    "err_title_404": ("Không tìm thấy trang", "Page not found"),
    "err_advice_404": (
        "Địa chỉ này không có hoặc nội dung đã bị xóa. Vui lòng chọn trang từ menu.",
        "This address does not exist or its content was deleted. Pick a page from the menu.",
    ),
    "err_title_405": ("Thao tác không được hỗ trợ", "Action not supported"),
    "err_advice_405": (
        "Trang này không nhận thao tác vừa gửi. Vui lòng quay lại và dùng các nút trên trang.",
        "This page does not accept that action. Go back and use the buttons on the page.",
    ),
    "err_title_413": ("Tệp quá lớn", "File too large"),
    "err_advice_413": (
        "Tệp gửi lên vượt quá dung lượng cho phép. Vui lòng chọn tệp nhỏ hơn.",
        "The file is larger than allowed. Choose a smaller file.",
    ),
    "err_title_429": ("Thử quá nhiều lần", "Too many attempts"),
    "err_advice_429": (
        "Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.",
        "You tried too many times in a short while. Wait a few minutes and try again.",
    ),
    "err_title_500": ("Lỗi hệ thống", "System error"),
    "err_advice_500": (
        "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu vẫn lỗi, "
        "hãy báo quản trị hệ thống.",
        "The system failed to handle the request. Try again; if it persists, tell the "
        "administrator.",
    ),
    "err_title_503": ("Hệ thống tạm thời không sẵn sàng", "Temporarily unavailable"),
    "err_advice_503": (
        "Cơ sở dữ liệu hoặc dịch vụ liên quan đang gián đoạn. Vui lòng thử lại sau ít phút.",
        "The database or a related service is down. Try again in a few minutes.",
    ),
    "err_title_other": ("Đã xảy ra lỗi", "Something went wrong"),
    "err_advice_other": (
        "Yêu cầu không thực hiện được. Vui lòng quay lại và thử lại.",
        "The request could not be carried out. Go back and try again.",
    ),
}
