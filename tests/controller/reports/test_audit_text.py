"""Audit actions and details in the officer's words."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from controller.reports.audit_text import action_label, detail_text

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WORDS = {
    "rep_obj_program": "Chương trình",
    "rep_verb_approve": "duyệt",
    "rep_obj_tts": "Đọc máy",
    "rep_verb_dictionary": "từ điển",
    "rep_verb_put": "sửa",
    "rep_key_status": "trạng thái",
    "rep_key_schedule": "lịch",
    "rep_key_at": "lúc",
    "rep_value_pending": "chờ duyệt",
    "rep_value_approved": "đã duyệt",
    "rep_value_true": "có",
}


def lookup(key: str, fallback: str) -> str:
    return WORDS.get(key, fallback)


def test_actions() -> None:
    assert action_label("program.approve", lookup) == "Chương trình: duyệt"
    assert action_label("tts.dictionary.put", lookup) == "Đọc máy: từ điển sửa"
    assert action_label("mystery", lookup) == "mystery"


def test_details_translate_words_and_dates_recursively() -> None:
    detail = {
        "status": ["pending", "approved"],
        "schedule": {"at": "2027-01-28T00:30:00+00:00", "day": "2027-02-01"},
        "ok": True,
        "n": 3,
        "x": None,
    }
    assert detail_text(detail, lookup, TZ) == (
        "trạng thái: chờ duyệt, đã duyệt; lịch: (lúc: 28/01/2027 07:30; day: 01/02/2027); "
        "ok: có; n: 3; x: —"
    )
    assert detail_text({"v": "2027-13-45"}, lookup, TZ) == "v: 2027-13-45"
