"""Pydantic models of the programs and calendar API (bodies and answers, and so the OpenAPI doc).

The models only check shapes and types; the scheduling rules (priority names, ranges, schedule
syntax, holiday keys, relay needs a stream, ...) are checked by ``controller.scheduling.types``
so officers get the same Vietnamese messages everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

STATUSES = ("draft", "pending", "approved", "rejected", "paused")
# A database id: a bigger number cannot name a row, and SQLite would overflow on it (500).
MediaId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class ProgramIn(_Strict):
    """``POST /api/v1/programs``: a new program (chương trình phát thanh)."""

    title: str = Field(min_length=1, max_length=300)
    media_ids: list[MediaId] = Field(default_factory=list, max_length=50)
    zones: list[str] | None = Field(default=None, max_length=500)
    all_zones: bool = Field(default=False, alias="all")
    priority: str = "normal"
    rank: int = 0
    volume: int = 80
    repeat: int = 1
    repeat_gap_s: int = 0
    valid_from: date | None = None
    valid_to: date | None = None
    kind: str | None = None
    stream_url: str | None = Field(default=None, max_length=500)
    schedule: dict[str, Any]
    on_conflict: str = "reject"
    draft: bool = False


class ProgramUpdate(_Strict):
    """``PUT /api/v1/programs/{id}``: the fields to change (the others keep their value)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    media_ids: list[MediaId] | None = Field(default=None, max_length=50)
    zones: list[str] | None = Field(default=None, max_length=500)
    all_zones: bool | None = Field(default=None, alias="all")
    priority: str | None = None
    rank: int | None = None
    volume: int | None = None
    repeat: int | None = None
    repeat_gap_s: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    kind: str | None = None
    stream_url: str | None = Field(default=None, max_length=500)
    schedule: dict[str, Any] | None = None
    on_conflict: str | None = None


class DecisionIn(_Strict):
    """``POST /api/v1/programs/{id}/approve`` or ``/reject``."""

    comment: str | None = Field(default=None, max_length=2000)


class ConflictOut(BaseModel):
    program: int
    program_id: int
    title: str
    zone: str
    nodes: list[str]
    start: str
    end: str
    occurrence: str
    other_start: str
    other_end: str
    winner: str


class ProgramOut(BaseModel):
    id: int
    site: str
    title: str
    kind: str
    status: str
    priority: str
    rank: int
    volume: int
    repeat: int
    repeat_gap_s: int
    valid_from: date | None = None
    valid_to: date | None = None
    schedule: dict[str, Any]
    all: bool
    zones: list[str] | None = None
    media_ids: list[int]
    stream_url: str | None = None
    on_conflict: str
    shifts: dict[str, int] = Field(default_factory=dict)
    created_by: str
    created_at: datetime
    updated_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_comment: str | None = None
    # Conflicts the chosen on_conflict mode could not settle (a higher level keeps its slot).
    conflicts: list[ConflictOut] = Field(default_factory=list)


class HolidayOut(BaseModel):
    date: date
    name: str
    name_en: str
    lunar: bool
    day_off: bool
    key: str
