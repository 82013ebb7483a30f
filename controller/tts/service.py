"""Text to a library media item: normalize, look up the cache, synthesize, store, catalogue.

The one entry point other code calls is :func:`synthesize_to_media` (the TTS API and
``POST /api/v1/broadcasts {"text"}``). Speech goes through the same ingest path as uploads, so a
spoken notice has the library's loudness (``audio.target_lufs``) and lives in the same store.
Cache: looked up under the preferred engine's key, stored under the key of the engine that
actually spoke (see :mod:`controller.tts.cache_key`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import g, has_request_context
from pydub import AudioSegment
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from controller.config import Config
from controller.db.models import MediaItem, Pronunciation, TtsCacheEntry
from controller.library import catalog
from controller.library.errors import IngestError
from controller.library.ingest import ingest_file
from controller.library.result import IngestResult
from controller.library.settings import AudioSettings
from controller.library.store import MediaStore
from controller.tts.cache_key import tts_cache_key
from controller.tts.chain import AllEnginesFailed
from controller.tts.compose import compose_notice
from controller.tts.engines import build_engines, engine_timeout, prefer_engine
from controller.tts.engines.base import TtsEngine
from controller.tts.normalize import normalize

MAX_TEXT_CHARS = 20_000
TITLE_CHARS = 60
SYNTHESIS_SHARE = 0.9  # of the progress; storing the audio takes the rest

Progress = Callable[[float], None]


class TtsError(Exception):
    """A request the service refuses or cannot serve, with messages for the officer."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 422) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.status = status


@dataclass(frozen=True)
class Request:
    """A synthesis request with every default filled in from config."""

    text: str
    voice: str
    speed: float
    repeat: int
    chime: bool


def check_text(text: str) -> str:
    """The text stripped, or TtsError when it is empty or longer than 20,000 characters."""
    text = (text or "").strip()
    if not text:
        raise TtsError(
            "empty_text", "Chưa nhập nội dung cần đọc.", "There is no text to read.", 422
        )
    if len(text) > MAX_TEXT_CHARS:
        raise TtsError(
            "text_too_long",
            f"Văn bản quá dài ({len(text):,} ký tự); tối đa {MAX_TEXT_CHARS:,} ký tự.".replace(
                ",", "."
            ),
            f"The text is too long ({len(text):,} characters); at most {MAX_TEXT_CHARS:,}.",
            422,
        )
    return text


def site_pronunciations(session: Session, site_id: str) -> dict[str, str]:
    """The commune's own dictionary entries (term -> reading)."""
    stmt = select(Pronunciation.term, Pronunciation.reading).where(Pronunciation.site_id == site_id)
    return {term: reading for term, reading in session.execute(stmt)}


def normalize_for_site(session: Session, site_id: str, text: str) -> str:
    """``normalize`` with the commune's dictionary entries winning over the shipped ones."""
    return normalize(text, extra=site_pronunciations(session, site_id))


def synthesize_to_media(
    session: Session,
    config: Config,
    text: str,
    *,
    title: str | None = None,
    category: str = "announcement",
    engine: str | None = None,
    voice: str | None = None,
    speed: float | None = None,
    repeat: int = 1,
    chime: bool = True,
    created_by: str = "",
    progress: Progress | None = None,
    site_id: str | None = None,
) -> tuple[MediaItem, str, str]:
    """Speak ``text`` into a library item: ``(item, normalized_text, engine_that_spoke)``.

    A cached result is returned without synthesis. The item is flushed, not committed.
    ``site_id`` defaults to the calling user's commune inside a request, else ``site.id``.
    Raises TtsError (empty/too long text, unknown engine, every engine failing, bad audio).
    Progress is reported only before the first database write.
    """
    site = site_id or _request_site() or config.site.id
    normalized = normalize_for_site(session, site, check_text(text))
    if not normalized.strip():
        raise TtsError(
            "empty_text", "Văn bản không có gì để đọc.", "The text has nothing to read.", 422
        )
    req = Request(normalized, voice or config.tts.voice, speed or config.tts.speed, repeat, chime)
    engines = _engines(config, engine)
    settings = audio_settings(config)
    cached = _cached_item(session, site, _key(req, engines[0].name, site, settings))
    if cached is not None:
        if progress is not None:
            progress(1.0)
        return cached, normalized, cached.engine or engines[0].name
    audio, spoken_by = _speak(req, engines, config, progress)
    stored = _ingest(config, settings, audio)
    if progress is not None:
        progress(1.0)  # before the first database write (see controller.tts.jobs)
    item = _catalogue(session, stored, site, req, spoken_by, created_by, title, category)
    _remember(session, _key(req, spoken_by, site, settings), item, spoken_by)
    return item, normalized, spoken_by


def _request_site() -> str | None:
    # Callers inside a request (e.g. POST /api/v1/broadcasts) act for the caller's commune.
    if not has_request_context():
        return None
    principal = g.get("principal")
    return getattr(principal, "site_id", None)


def _engines(config: Config, preferred: str | None) -> list[TtsEngine]:
    engines = build_engines(config.tts)
    try:
        return prefer_engine(engines, preferred)
    except ValueError:
        known = ", ".join(e.name for e in engines)
        raise TtsError(
            "unknown_engine",
            f"Bộ đọc “{preferred}” không có; dùng một trong: {known}.",
            f"Unknown TTS engine {preferred!r}; configured: {known}.",
            422,
        ) from None


def _key(req: Request, engine: str, site_id: str, settings: AudioSettings) -> str:
    chime_id = _chime_id() if req.chime else False
    extra = {"site": site_id, "lufs": settings.target_lufs, "peak": settings.true_peak_db}
    return tts_cache_key(engine, req.voice, req.speed, req.text, req.repeat, chime_id, extra)


def _cached_item(session: Session, site_id: str, key: str) -> MediaItem | None:
    entry = session.get(TtsCacheEntry, key)
    if entry is None:
        return None
    return catalog.get_media(session, site_id, entry.media_id)


def _speak(
    req: Request, engines: list[TtsEngine], config: Config, progress: Progress | None
) -> tuple[AudioSegment, str]:
    def scaled(fraction: float) -> None:
        if progress is not None:
            progress(fraction * SYNTHESIS_SHARE)

    try:
        notice = compose_notice(
            req.text,
            engines,
            voice=req.voice,
            speed=req.speed,
            repeat=req.repeat,
            chime=_chime() if req.chime else None,
            timeout_s=engine_timeout(config.tts),
            progress=scaled,
        )
    except AllEnginesFailed as exc:
        raise TtsError(
            "tts_failed", exc.message_vi, "Every TTS engine failed: " + str(exc), 502
        ) from exc
    except ValueError as exc:
        raise TtsError("tts_invalid", f"Không đọc được văn bản: {exc}", str(exc), 422) from exc
    return notice.audio, notice.engine


def _ingest(config: Config, settings: AudioSettings, audio: AudioSegment) -> IngestResult:
    """Loudness-match, encode and store the notice exactly as an upload would be."""
    store = media_store(config)
    with tempfile.TemporaryDirectory(prefix="tts-", dir=store.tmp_dir) as workdir:
        wav = Path(workdir) / "speech.wav"
        audio.export(wav, format="wav")
        try:
            return ingest_file(wav, store, settings)
        except IngestError as exc:
            raise TtsError(exc.code, exc.message_vi, exc.message_en, 502) from exc


def _catalogue(
    session: Session,
    stored: IngestResult,
    site_id: str,
    req: Request,
    engine: str,
    created_by: str,
    title: str | None,
    category: str,
) -> MediaItem:
    existing = catalog.find_by_original(session, site_id, stored.original_sha256)
    if existing is not None:
        return existing
    return catalog.create_media(
        session,
        site_id=site_id,
        title=(title or "").strip() or default_title(req.text),
        category=category,
        audio=stored,
        source="tts",
        created_by=created_by,
        normalized_text=req.text,
        engine=engine,
    )


def _remember(session: Session, key: str, item: MediaItem, engine: str) -> None:
    if session.get(TtsCacheEntry, key) is not None:
        return
    try:
        with session.begin_nested():
            session.add(TtsCacheEntry(key=key, media_id=item.id, engine=engine))
    except IntegrityError:
        pass  # another request cached the same notice a moment ago: theirs is as good


def default_title(normalized_text: str) -> str:
    """A title from the first words of the notice (pure)."""
    words = normalized_text.split()
    title = ""
    for word in words:
        if len(title) + len(word) + 1 > TITLE_CHARS:
            return title + "…"
        title = f"{title} {word}".strip()
    return title


def audio_settings(config: Config) -> AudioSettings:
    """The library's processing settings from the ``[audio]`` config section."""
    values = dataclasses.asdict(config.audio)
    values.pop("trim_silence", None)  # a per-upload choice, not a processing setting
    return AudioSettings(**values)


def media_store(config: Config) -> MediaStore:
    """The content-addressed store at ``storage.media_dir``."""
    return MediaStore(config.path(config.storage.media_dir))


@lru_cache(maxsize=1)
def _chime() -> AudioSegment:
    from controller.library.chime import make_chime

    return make_chime()


@lru_cache(maxsize=1)
def _chime_id() -> str:
    # A new chime sound gives new cache keys: old notices would otherwise keep the old chime.
    return hashlib.sha256(_chime().raw_data).hexdigest()[:16]
