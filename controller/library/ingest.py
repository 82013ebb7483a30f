"""Ingest an uploaded audio file: check it, normalize loudness, store delivery and original.

Order matters for safety: size and emptiness first, then an ffprobe of the real format and
declared duration (so a tiny file that expands to hours is refused before decoding), then
the decode itself, which stops just past the duration limit.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import numpy as np

from controller.library import errors
from controller.library.compose import LIMITER_MARGIN_DB, Encoded, encode_samples
from controller.library.decode import decode_file
from controller.library.loudness import normalize_loudness
from controller.library.probe import original_extension, probe_file
from controller.library.result import IngestResult, from_record, processing_profile, to_record
from controller.library.settings import AudioSettings
from controller.library.spool import spool_upload
from controller.library.store import MediaStore
from controller.library.trim import trim_silence as cut_silence

_CHUNK = 1024 * 1024


def ingest_file(
    path: Path,
    store: MediaStore,
    settings: AudioSettings,
    trim_silence: bool = False,
    *,
    original_sha256: str | None = None,
) -> IngestResult:
    """Process the audio file at `path` and store it; raises IngestError when refused.

    An original already ingested with the same settings returns the stored result without
    processing again. Pass `original_sha256` when it is already known (spool_upload) to skip
    hashing twice. The file at `path` is left in place; the caller owns it.
    """
    size = path.stat().st_size
    if size == 0:
        raise errors.empty()
    if size > settings.max_upload_bytes:
        raise errors.UploadTooLarge(settings.max_upload_bytes)
    original_sha256 = original_sha256 or sha256_file(path)
    profile = processing_profile(settings, trim_silence)
    existing = find_existing(store, original_sha256, settings, trim_silence)
    if existing is not None:
        return existing

    info = probe_file(path)
    if info.duration_s is not None and info.duration_s > settings.max_duration_s:
        raise errors.too_long(info.duration_s, settings.max_duration_s)
    original_ext = original_extension(info)
    decoded = decode_file(path, info, settings.sample_rate, settings.max_duration_s)
    samples = _checked_audible(decoded.samples, settings)
    if trim_silence:
        samples = cut_silence(samples, decoded.rate, settings.silence_threshold_dbfs)
    ceiling = settings.true_peak_db - LIMITER_MARGIN_DB
    normalized = normalize_loudness(samples, decoded.rate, settings.target_lufs, ceiling)
    encoded = encode_samples(normalized, decoded.rate, settings)
    return _store(store, path, original_sha256, original_ext, encoded, profile)


def ingest_upload(
    stream: BinaryIO, store: MediaStore, settings: AudioSettings, trim_silence: bool = False
) -> IngestResult:
    """Spool a stream (size-limited) into the store's scratch space, ingest it, clean up."""
    with spool_upload(stream, store.tmp_dir, settings.max_upload_bytes) as spooled:
        if spooled.bytes == 0:
            raise errors.empty()
        return ingest_file(
            spooled.path, store, settings, trim_silence, original_sha256=spooled.sha256
        )


def find_existing(
    store: MediaStore, original_sha256: str, settings: AudioSettings, trim_silence: bool = False
) -> IngestResult | None:
    """The stored result for this original and these settings, if complete on disk."""
    raw = store.read(original_sha256, _record_ext(settings, trim_silence))
    if raw is None:
        return None
    result = from_record(raw)
    delivery = store.path_for(result.sha256, result.ext)
    original = store.path_for(original_sha256, result.original_ext)
    if not (delivery.is_file() and original.is_file()):
        return None  # a file was deleted by hand: process again
    return replace(result, delivery_path=delivery, original_path=original)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _checked_audible(samples: np.ndarray, settings: AudioSettings) -> np.ndarray:
    peak = float(np.abs(samples).max()) if samples.size else 0.0
    peak_db = 20 * math.log10(peak) if peak > 0 else -math.inf
    if peak_db < settings.silence_threshold_dbfs:
        raise errors.silent()
    return samples


def _record_ext(settings: AudioSettings, trim_silence: bool) -> str:
    return f"{processing_profile(settings, trim_silence)}.json"


def _store(
    store: MediaStore,
    path: Path,
    original_sha256: str,
    original_ext: str,
    encoded: Encoded,
    profile: str,
) -> IngestResult:
    created: list[Path] = []
    try:
        delivery_sha, delivery_path = _put_new(store, created, encoded.data, encoded.ext)
        original_path = store.path_for(original_sha256, original_ext)
        if not original_path.is_file():
            stored_sha, original_path = store.put_file(path, original_ext)
            created.append(original_path)
            if stored_sha != original_sha256:
                raise RuntimeError("upload changed while it was being ingested")
        result = IngestResult(
            sha256=delivery_sha,
            bytes=len(encoded.data),
            duration_ms=encoded.duration_ms,
            lufs=round(encoded.lufs, 2),
            true_peak_db=round(encoded.true_peak_db, 2),
            original_sha256=original_sha256,
            original_ext=original_ext,
            delivery_path=delivery_path,
            original_path=original_path,
        )
        store.put_keyed(original_sha256, f"{profile}.json", to_record(result))
    except BaseException:
        # Keep nothing from a failed ingest: only files this call created are removed.
        for created_path in created:
            created_path.unlink(missing_ok=True)
        raise
    return result


def _put_new(store: MediaStore, created: list[Path], data: bytes, ext: str) -> tuple[str, Path]:
    sha = hashlib.sha256(data).hexdigest()
    existed = store.exists(sha, ext)
    sha, path = store.put_bytes(data, ext)
    if not existed:
        created.append(path)
    return sha, path
