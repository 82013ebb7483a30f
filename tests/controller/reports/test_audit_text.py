"""Audit actions and details in the officer's words."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from controller.reports.audit_text import action_label, detail_text, target_text

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


def test_known_values_are_translated_and_machine_detail_hidden() -> None:
    words = {
        **WORDS,
        "rep_key_on_conflict": "khi trùng lịch",
        "rep_conflict_reject": "báo trùng, không lưu",
        "rep_key_category": "thể loại",
        "rep_cat_announcement": "Thông báo",
        "rep_key_chars": "số ký tự",
        "rep_key_title": "tiêu đề",
    }

    def look(key: str, fallback: str) -> str:
        return words.get(key, fallback)

    detail = {
        "title": "Họp dân",
        "on_conflict": "reject",
        "category": "announcement",
        "chars": 827,
        "sha256": "ab" * 32,
        "original_sha256": "cd" * 32,
        "pending_file": "/srv/tt/var/pending/x.toml",
    }
    assert detail_text(detail, look, TZ) == (
        "tiêu đề: Họp dân; khi trùng lịch: báo trùng, không lưu; thể loại: Thông báo; số ký tự: 827"
    )
    assert detail_text({"job": "0f" * 16}, look, TZ) == "job: 0f0f0f0f…"


def test_targets() -> None:
    words = {"rep_obj_broadcast": "Phát ngay", "rep_key_all": "toàn xã", "rep_obj_media": "Tệp"}

    def look(key: str, fallback: str) -> str:
        return words.get(key, fallback)

    assert target_text("broadcast", "all", look) == "Phát ngay: toàn xã"
    assert target_text("media", "12", look) == "Tệp: 12"
    job = "3f2b9c1e-7a4d-4c3e-9b1a-2d5e6f708192"
    assert target_text("job", job, look) == "job: 3f2b9c1e…"
    assert target_text("auth", "", look) == "auth"
