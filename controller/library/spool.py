"""Stream an upload to a temporary file, hashing it and enforcing the size limit as it arrives."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from controller.library.errors import UploadTooLarge
from controller.library.store import TEMP_PREFIX

CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class SpooledFile:
    """An upload on disk. `sha256` is known before any decoding, so callers can dedup early.

    Use as a context manager (or call `discard`) to remove the temp file when done.
    """

    path: Path
    bytes: int
    sha256: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> SpooledFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def spool_upload(stream: BinaryIO, dest_dir: Path, max_bytes: int) -> SpooledFile:
    """Copy `stream` to a new temp file in `dest_dir` in chunks.

    Raises UploadTooLarge as soon as more than `max_bytes` arrive (the rest is never read) and
    removes the partial file. The temp name is random: the uploader's filename is never used.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}upload-", dir=dest_dir)
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(max_bytes)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledFile(path=path, bytes=size, sha256=digest.hexdigest())
