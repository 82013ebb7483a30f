"""The library's catalogue in the database: create, find, search, edit and delete media rows.

Files live in the content-addressed store (``MediaStore``); this module only keeps the rows that
describe them. Search is diacritics-insensitive: each row carries ``search_key``, the folded
title and tags, and a query matches when every folded query word starts a word of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from controller.db.models import MediaItem, Program, TtsCacheEntry
from controller.library.search import fold_vietnamese
from controller.library.settings import DELIVERY_FORMATS

CATEGORIES: tuple[str, ...] = ("propaganda", "greeting", "announcement", "emergency", "other")
# Programs in these states no longer reference their media for anything that can play.
RETIRED_PROGRAM_STATUSES = frozenset({"archived"})
SEARCH_KEY_MAX = 600
DEFAULT_LIMIT = 500


class StoredAudio(Protocol):
    """What ingest hands back about a stored delivery file (and the original it came from)."""

    sha256: str
    bytes: int
    duration_ms: int
    lufs: float | None
    true_peak_db: float | None
    original_sha256: str
    original_ext: str

    @property
    def ext(self) -> str:
        """Extension of the delivery file, which is also the delivery format's name."""
        ...


def search_key(title: str, tags: Iterable[str] = ()) -> str:
    """Folded, lowercased title and tags: what ``q`` is matched against (pure)."""
    words = " ".join([title, *tags])
    return " ".join(fold_vietnamese(words).lower().split())[:SEARCH_KEY_MAX]


def query_words(q: str) -> list[str]:
    """The folded words of a search query (pure)."""
    return fold_vietnamese(q).lower().split()


def create_media(
    session: Session,
    *,
    site_id: str,
    title: str,
    category: str,
    audio: StoredAudio,
    tags: Sequence[str] = (),
    source: str = "upload",
    created_by: str = "",
    normalized_text: str | None = None,
    engine: str | None = None,
) -> MediaItem:
    """Add a row for audio already in the store (flushed, not committed)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    item = MediaItem(
        site_id=site_id,
        title=title,
        search_key=search_key(title, tags),
        category=category,
        tags=list(tags),
        source=source,
        sha256=audio.sha256,
        bytes=audio.bytes,
        duration_ms=audio.duration_ms,
        lufs=audio.lufs,
        true_peak_db=audio.true_peak_db,
        format=audio.ext,
        original_sha256=audio.original_sha256,
        original_ext=audio.original_ext,
        normalized_text=normalized_text,
        engine=engine,
        created_by=created_by,
    )
    session.add(item)
    session.flush()
    return item


def get_media(session: Session, site_id: str, media_id: int) -> MediaItem | None:
    """The item of this commune with that id, or None."""
    item = session.get(MediaItem, media_id)
    return item if item is not None and item.site_id == site_id else None


def find_by_original(session: Session, site_id: str, original_sha256: str) -> MediaItem | None:
    """An item of this commune made from the very same original file (dedup of uploads)."""
    stmt = (
        select(MediaItem)
        .where(MediaItem.site_id == site_id, MediaItem.original_sha256 == original_sha256)
        .order_by(MediaItem.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def search_media(
    session: Session,
    site_id: str,
    *,
    category: str | None = None,
    q: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[MediaItem]:
    """This commune's items, newest first, filtered by category and by the folded query words."""
    stmt = select(MediaItem).where(MediaItem.site_id == site_id)
    if category:
        stmt = stmt.where(MediaItem.category == category)
    padded = literal(" ") + MediaItem.search_key
    for word in query_words(q or ""):
        # Word-prefix match: "te" finds "tet" but "y" does not find "nguyen".
        stmt = stmt.where(padded.contains(" " + word, autoescape=True))
    stmt = stmt.order_by(MediaItem.created_at.desc(), MediaItem.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def update_media(
    item: MediaItem,
    *,
    title: str | None = None,
    category: str | None = None,
    tags: Sequence[str] | None = None,
) -> MediaItem:
    """Edit the describing fields; the search key follows the title and tags."""
    if category is not None:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        item.category = category
    if title is not None:
        item.title = title
    if tags is not None:
        item.tags = list(tags)
    item.search_key = search_key(item.title, item.tags or [])
    return item


def programs_using(session: Session, site_id: str, media_id: int) -> list[Program]:
    """Programs of this commune, not archived, whose playlist holds ``media_id``.

    ``media_ids`` is a JSON list, which SQLite and PostgreSQL query differently; a commune has
    at most a few thousand programs, so they are filtered here in Python.
    """
    stmt = select(Program).where(
        Program.site_id == site_id, Program.status.not_in(RETIRED_PROGRAM_STATUSES)
    )
    return [p for p in session.scalars(stmt) if _holds(p.media_ids, media_id)]


def _holds(media_ids: Any, media_id: int) -> bool:
    return any(str(m) == str(media_id) for m in (media_ids or []))


def delete_media(session: Session, item: MediaItem) -> list[tuple[str, str]]:
    """Delete the row (and its synthesis cache entries).

    Returns ``(sha256, ext)`` of the stored files (delivery, original) no other row references
    any more: the files the caller may remove from the store once the deletion is committed.
    """
    session.execute(TtsCacheEntry.__table__.delete().where(TtsCacheEntry.media_id == item.id))
    files = [(item.sha256, delivery_ext(item.format)), (item.original_sha256, item.original_ext)]
    session.delete(item)
    session.flush()
    return [(sha, ext) for sha, ext in files if sha and ext and not _sha_in_use(session, sha)]


def delivery_ext(fmt: str) -> str:
    """File extension of a delivery format (pure)."""
    return DELIVERY_FORMATS[fmt][2] if fmt in DELIVERY_FORMATS else fmt


def _sha_in_use(session: Session, sha256: str) -> bool:
    stmt = select(func.count()).where(
        or_(MediaItem.sha256 == sha256, MediaItem.original_sha256 == sha256)
    )
    return bool(session.scalar(stmt))


def as_dict(item: MediaItem) -> dict[str, Any]:
    """The item as the API shows it (JSON-ready; ``url`` is where its audio is served)."""
    return {
        "id": item.id,
        "title": item.title,
        "category": item.category,
        "tags": list(item.tags or []),
        "source": item.source,
        "sha256": item.sha256,
        "bytes": item.bytes,
        "duration_ms": item.duration_ms,
        "lufs": item.lufs,
        "true_peak_db": item.true_peak_db,
        "format": item.format,
        "url": f"/api/v1/media/{item.id}/audio",
        "normalized_text": item.normalized_text,
        "engine": item.engine,
        "created_by": item.created_by,
        "created_at": item.created_at.isoformat() if item.created_at else None,
    }
