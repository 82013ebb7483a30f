"""Pydantic models of the audio library, TTS and job API bodies and answers (for OpenAPI too)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from controller.api.schemas import Strict

Category = Literal["propaganda", "greeting", "announcement", "emergency", "other"]
MAX_TTS_CHARS = 20_000
# A dictionary term: letters (any script, so "ĐBQH" works), digits, "-" and "." only.
TERM_PATTERN = r"^(?:[^\W_]|[-.])+$"


class MediaOut(BaseModel):
    id: int
    title: str
    category: str
    tags: list[str] = []
    source: str
    sha256: str
    bytes: int
    duration_ms: int
    lufs: float | None = None
    true_peak_db: float | None = None
    format: str
    url: str
    normalized_text: str | None = None
    engine: str | None = None
    created_by: str = ""
    created_at: datetime


class MediaUpdate(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    category: Category | None = None
    tags: list[str] | None = Field(default=None, max_length=20)

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str] | None) -> list[str] | None:
        return None if tags is None else clean_tags(tags)


class UploadFields(Strict):
    """The text fields of a multipart upload (the file travels beside them)."""

    title: str = Field(min_length=1, max_length=300)
    category: Category = "other"
    tags: list[str] = Field(default_factory=list, max_length=20)
    source: Literal["upload", "recording"] = "upload"
    trim_silence: bool | None = None

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: Any) -> list[str]:
        if isinstance(value, str):
            value = value.split(",")
        return clean_tags(list(value or []))


def clean_tags(tags: list[str]) -> list[str]:
    """Trimmed, non-empty, unique tags in their given order (each at most 40 characters)."""
    seen: dict[str, None] = {}
    for tag in tags:
        tag = str(tag).strip()[:40]
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


class TtsNormalizeIn(Strict):
    text: str = Field(max_length=MAX_TTS_CHARS)


class TtsNormalizeOut(BaseModel):
    normalized_text: str


class TtsIn(Strict):
    # Length and emptiness are checked by the service so the message can be specific.
    text: str
    title: str | None = Field(default=None, max_length=300)
    category: Category = "announcement"
    engine: str | None = Field(default=None, max_length=40)
    voice: str | None = Field(default=None, max_length=40)
    speed: float | None = Field(default=None, ge=0.5, le=2.0)
    repeat: int = Field(default=1, ge=1, le=5)
    chime: bool = True


class TtsOut(MediaOut):
    pass


class JobAccepted(BaseModel):
    job: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


class PronunciationIn(Strict):
    term: str = Field(min_length=1, max_length=40, pattern=TERM_PATTERN)
    reading: str = Field(min_length=1, max_length=300)


class PronunciationOut(BaseModel):
    term: str
    reading: str
    source: Literal["shipped", "site"]
