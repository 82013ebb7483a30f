"""Pydantic models of the API's bodies and answers (the OpenAPI document is built from them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ZoneIn(Strict):
    id: str = Field(pattern=SLUG, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    quiet_start: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    quiet_end: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")


class ZoneUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    quiet_start: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    quiet_end: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")


class ZoneOut(BaseModel):
    id: str
    name: str
    site: str
    quiet_start: str | None = None
    quiet_end: str | None = None
    nodes: int = 0


class NodeIn(Strict):
    id: str = Field(pattern=SLUG, max_length=64)
    zone: str = Field(pattern=SLUG, max_length=64)
    name: str = Field(default="", max_length=200)


class NodeUpdate(Strict):
    zone: str | None = Field(default=None, pattern=SLUG, max_length=64)
    name: str | None = Field(default=None, max_length=200)


class NodeOut(BaseModel):
    id: str
    zone: str
    name: str
    site: str
    online: bool
    last_seen: datetime | None = None
    plan_seq: int | None = None
    published_seq: int | None = None
    plan_lagging: bool = False
    volume: int | None = None
    now_playing: str | None = None
    clock_offset_ms: float | None = None
    version: str | None = None


class HealthOut(BaseModel):
    status: str
    database: str
    broker: str
