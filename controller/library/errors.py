"""Ingest refusals: one exception type with a code, Vietnamese and English messages and a status."""

from __future__ import annotations

from typing import Any


class IngestError(Exception):
    """An upload was refused; the API maps it to `{"error": {"code", "message"}}`."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 422) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.status = status

    def to_dict(self) -> dict[str, Any]:
        """JSON error body; `message` is the Vietnamese text officers read."""
        return {"code": self.code, "message": self.message_vi, "message_en": self.message_en}


class UploadTooLarge(IngestError):
    """The upload exceeded the size limit (HTTP 413)."""

    def __init__(self, max_bytes: int) -> None:
        mb = max_bytes / (1024 * 1024)
        super().__init__(
            "too_large",
            f"Tệp quá lớn: dung lượng tối đa là {mb:g} MB.",
            f"The file is too large: the limit is {mb:g} MB.",
            status=413,
        )
        self.max_bytes = max_bytes


def empty() -> IngestError:
    return IngestError("empty", "Tệp rỗng (0 byte).", "The file is empty (0 bytes).")


def not_audio() -> IngestError:
    return IngestError(
        "not_audio",
        "Tệp này không phải là âm thanh hoặc định dạng không được hỗ trợ "
        "(hỗ trợ: mp3, wav, m4a/aac, ogg/opus, webm, flac, amr).",
        "This file is not audio or its format is not supported "
        "(supported: mp3, wav, m4a/aac, ogg/opus, webm, flac, amr).",
    )


def corrupt() -> IngestError:
    return IngestError(
        "corrupt",
        "Tệp âm thanh bị hỏng hoặc không đầy đủ, không giải mã được.",
        "The audio file is damaged or incomplete and cannot be decoded.",
    )


def silent() -> IngestError:
    return IngestError(
        "silent",
        "Tệp âm thanh không có tiếng (chỉ có khoảng lặng).",
        "The audio is silent.",
    )


def too_long(duration_s: float | None, max_duration_s: float) -> IngestError:
    limit_vi, limit_en = _duration(max_duration_s, "vi"), _duration(max_duration_s, "en")
    if duration_s is None:
        return IngestError(
            "too_long",
            f"Âm thanh dài quá giới hạn {limit_vi}.",
            f"The audio is longer than the {limit_en} limit.",
        )
    return IngestError(
        "too_long",
        f"Âm thanh dài {_duration(duration_s, 'vi')}, vượt quá giới hạn {limit_vi}.",
        f"The audio lasts {_duration(duration_s, 'en')}, over the {limit_en} limit.",
    )


def _duration(seconds: float, lang: str) -> str:
    # Officers think in minutes; short limits (tests, small configs) read better in seconds.
    if seconds < 120:
        return f"{seconds:.0f} {'giây' if lang == 'vi' else 's'}"
    return f"{seconds / 60:.0f} {'phút' if lang == 'vi' else 'min'}"
