"""More words of the audit log (``rep_key_*`` detail keys, ``rep_value_*`` and ``rep_conflict_*``
values) so that no detail shows a code word such as ``chars`` or ``reject``."""

TEXT = {
    "rep_key_chars": ("số ký tự", "characters"),
    "rep_key_time": ("giờ", "time"),
    "rep_key_days": ("thứ", "days"),
    "rep_key_day": ("ngày", "day"),
    "rep_key_expr": ("biểu thức", "expression"),
    "rep_key_holiday": ("ngày lễ", "holiday"),
    "rep_key_offset_days": ("lệch số ngày", "days before/after"),
    "rep_key_end_time": ("giờ kết thúc", "end time"),
    "rep_key_recurrence": ("lặp lại", "recurrence"),
    "rep_key_stream_url": ("địa chỉ luồng tiếp âm", "relay stream"),
    "rep_key_rank": ("thứ tự", "order"),
    "rep_key_repeat_gap_s": ("nghỉ giữa các lần đọc (giây)", "pause between readings (s)"),
    "rep_key_kind": ("loại", "kind"),
    "rep_key_date": ("ngày", "date"),
    "rep_key_items": ("số nội dung", "items"),
    "rep_value_cron": ("nâng cao (biểu thức cron)", "advanced (cron expression)"),
    "rep_value_holiday": ("ngày lễ", "holiday"),
    "rep_value_relay": ("tiếp âm", "relay"),
    "rep_value_clip": ("âm thanh", "audio"),
    "rep_value_tts": ("đọc máy", "text-to-speech"),
    "rep_value_greeting": ("lời chúc mừng", "greeting"),
    "rep_conflict_reject": ("báo trùng, không lưu", "refuse on overlap"),
    "rep_conflict_override": ("ghi đè", "override"),
    "rep_conflict_append": ("xếp sau", "append"),
}
