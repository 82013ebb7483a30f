"""SQLAlchemy 2.0 typed models: every table of the controller.

Sites (communes), zones (hamlets), nodes (loudspeaker clusters), people and their API tokens, the
audit log, the audio library, programs and their approval state, published plans, commands with
their acknowledgements, and the proof-of-play log. Schema changes go through Alembic migrations
in ``controller/db/migrations``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from controller.db.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    """Declarative base of all controller tables."""

    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Site(Base):
    """A commune (xã/phường/thị trấn): one station, many hamlets."""

    __tablename__ = "sites"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    zone_label: Mapped[str] = mapped_column(String(40), default="Thôn")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Zone(Base):
    """A hamlet (thôn/xóm/tổ dân phố): the unit programs target."""

    __tablename__ = "zones"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    nodes: Mapped[list[Node]] = relationship(back_populates="zone")


class Node(Base):
    """A loudspeaker cluster (cụm loa) and the live state it last reported."""

    __tablename__ = "nodes"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen: Mapped[datetime | None] = mapped_column()
    plan_seq: Mapped[int | None] = mapped_column(BigInteger)
    volume: Mapped[int | None] = mapped_column(Integer)
    now_playing: Mapped[str | None] = mapped_column(String(200))
    clock_offset_ms: Mapped[float | None] = mapped_column(Float)
    version: Mapped[str | None] = mapped_column(String(40))
    uptime_s: Mapped[int | None] = mapped_column(BigInteger)
    cache_bytes: Mapped[int | None] = mapped_column(BigInteger)
    zone: Mapped[Zone] = relationship(back_populates="nodes")


class User(Base):
    """A person who logs in: admin, officer, approver or viewer."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token acting as its user; only the sha256 of the secret is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    user: Mapped[User] = relationship()


class AuditLog(Base):
    """Who changed what, and when: one row per write."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request_id: Mapped[str] = mapped_column(String(40), default="")


class Counter(Base):
    """Monotonic counters shared by all controller replicas (e.g. the signing ``seq``)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class MediaItem(Base):
    """One clip of the audio library, stored by the sha256 of its delivery file."""

    __tablename__ = "media"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(600), default="", index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(String(20), default="upload")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    bytes: Mapped[int] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(Integer)
    lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_db: Mapped[float | None] = mapped_column(Float)
    format: Mapped[str] = mapped_column(String(10), default="mp3")
    original_sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_ext: Mapped[str] = mapped_column(String(10), default="")
    normalized_text: Mapped[str | None] = mapped_column(Text)
    engine: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TtsCacheEntry(Base):
    """Synthesis cache: (engine, voice, speed, normalized text, options) -> media item."""

    __tablename__ = "tts_cache"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"))
    engine: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Pronunciation(Base):
    """An officer-added abbreviation reading (từ điển phát âm) that wins over the shipped one."""

    __tablename__ = "pronunciations"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    term: Mapped[str] = mapped_column(String(40))
    reading: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("site_id", "term"),)


class Job(Base):
    """A long-running task (e.g. synthesis of a long notice) with progress for the UI."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Program(Base):
    """A broadcast program (chương trình phát thanh): playlist, targets, schedule, approval."""

    __tablename__ = "programs"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="clip")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    priority: Mapped[str] = mapped_column(String(20), default="normal")
    rank: Mapped[int] = mapped_column(Integer, default=0)
    volume: Mapped[int] = mapped_column(Integer, default=80)
    repeat: Mapped[int] = mapped_column(Integer, default=1)
    repeat_gap_s: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    schedule: Mapped[dict[str, Any]] = mapped_column(default=dict)
    all_zones: Mapped[bool] = mapped_column(Boolean, default=False)
    zone_ids: Mapped[list[Any]] = mapped_column(default=list)
    media_ids: Mapped[list[Any]] = mapped_column(default=list)
    stream_url: Mapped[str | None] = mapped_column(String(500))
    # How saving resolved conflicts: {"mode": "override"|"append", "shifts": {...}}.
    conflict_policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_comment: Mapped[str | None] = mapped_column(Text)


class PublishedPlan(Base):
    """The last plan published to a node: what it should hold, and under which ``seq``."""

    __tablename__ = "plans"
    node_id: Mapped[str] = mapped_column(
        ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger)
    envelope_id: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    items: Mapped[list[Any]] = mapped_column(default=list)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Command(Base):
    """A signed command sent to nodes (broadcast now, stop, volume, ...)."""

    __tablename__ = "commands"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    op: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))
    targets: Mapped[list[Any]] = mapped_column(default=list)
    node_ids: Mapped[list[Any]] = mapped_column(default=list)
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seq: Mapped[int] = mapped_column(BigInteger)
    start: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommandAck(Base):
    """A node's acknowledgement of a command (stored once per node)."""

    __tablename__ = "command_acks"
    id: Mapped[int] = mapped_column(primary_key=True)
    command_id: Mapped[str] = mapped_column(String(40), index=True)
    node_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column()
    __table_args__ = (UniqueConstraint("command_id", "node_id"),)


class PlayEvent(Base):
    """Proof of play (nhật ký phát thanh): one row per node, item and event type."""

    __tablename__ = "play_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    node_id: Mapped[str] = mapped_column(String(64))
    zone_id: Mapped[str] = mapped_column(String(64), default="")
    item_id: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column()
    title: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(20), default="")
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("node_id", "item_id", "type", name="uq_play_once"),
        Index("ix_play_site_at", "site_id", "at"),
        Index("ix_play_zone_at", "zone_id", "at"),
        Index("ix_play_node_at", "node_id", "at"),
    )
