"""UI text in Vietnamese (default) and English, looked up by key from templates as ``t('key')``.

Shared words live here; each UI area keeps its own words in ``controller/web/texts/<area>.py``
as a ``TEXT`` dict of ``key -> (vi, en)``, merged in at import.
"""

from __future__ import annotations

import importlib
import pkgutil

from controller.i18n import request_locale
from controller.web import texts

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Đài truyền thanh thông minh", "Smart commune radio"),
    "login_title": ("Đăng nhập hệ thống quản lý đài", "Sign in to the station manager"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login_required": ("Vui lòng đăng nhập để tiếp tục.", "Please sign in to continue."),
    "language": ("Ngôn ngữ", "Language"),
    "dashboard": ("Tổng quan", "Dashboard"),
    "zones_nodes": ("Thôn và cụm loa", "Hamlets and loudspeakers"),
    "online": ("Trực tuyến", "Online"),
    "offline": ("Mất kết nối", "Offline"),
    "last_seen": ("Lần cuối", "Last seen"),
    "volume": ("Âm lượng", "Volume"),
    "now_playing": ("Đang phát", "Now playing"),
    "clock_offset": ("Lệch đồng hồ", "Clock offset"),
    "no_nodes": ("Chưa có cụm loa nào.", "No loudspeakers yet."),
    "node": ("Cụm loa", "Loudspeaker"),
    "status": ("Trạng thái", "Status"),
    "commune": ("Xã", "Commune"),
    "main_menu": ("Menu chính", "Main menu"),
    "coming_soon": ("Trang này đang được xây dựng.", "This page is being built."),
    "nav_library": ("Thư viện", "Library"),
    "nav_tts": ("Soạn thông báo", "Compose notice"),
    "nav_greeting": ("Ghi âm lời chúc", "Record greeting"),
    "nav_schedule": ("Lịch phát", "Schedule"),
    "nav_approval": ("Duyệt nội dung", "Approvals"),
    "nav_broadcast": ("Phát ngay / Khẩn cấp", "Broadcast now / Emergency"),
    "nav_reports": ("Báo cáo", "Reports"),
    "nav_admin": ("Quản trị", "Administration"),
}


def _merge_area_texts() -> None:
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, pair in getattr(module, "TEXT", {}).items():
            if key in TEXT and TEXT[key] != pair:
                raise ValueError(f"UI text key {key!r} defined twice with different words")
            TEXT[key] = pair


_merge_area_texts()


def t(key: str) -> str:
    vi, en = TEXT.get(key, (key, key))
    return en if request_locale() == "en" else vi


def tn(key: str, n: int) -> str:
    """``t(key)`` filled with the count ``n``, using ``{key}_one`` for one (English singular)."""
    one = f"{key}_one"
    return t(one if n == 1 and one in TEXT else key).format(n=n)
