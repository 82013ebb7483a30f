"""Content-addressed media store: files live at `<root>/<aa>/<sha256>.<ext>`, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Extensions are ours (never the uploader's): short, lowercase, optionally one dotted suffix.
_EXT = re.compile(r"^[a-z0-9]{1,16}(\.[a-z0-9]{1,8})?$")
_CHUNK = 1024 * 1024
TEMP_PREFIX = ".tmp-"


class MediaStore:
    """A directory of immutable files named by the sha256 of their content."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def tmp_dir(self) -> Path:
        """Scratch directory on the same filesystem (uploads spool here, then move in)."""
        path = self.root / ".incoming"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path_for(self, sha256: str, ext: str) -> Path:
        """Where the file with this digest and extension lives (it may not exist)."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        if not _EXT.match(ext):
            raise ValueError(f"bad extension: {ext!r}")
        return self.root / sha256[:2] / f"{sha256}.{ext}"

    def exists(self, sha256: str, ext: str) -> bool:
        return self.path_for(sha256, ext).is_file()

    def delete(self, sha256: str, ext: str) -> bool:
        """Remove a file; True if it was there."""
        try:
            self.path_for(sha256, ext).unlink()
        except FileNotFoundError:
            return False
        return True

    def put_bytes(self, data: bytes, ext: str) -> tuple[str, Path]:
        """Store `data`; returns its sha256 and path. Storing the same bytes twice is a no-op."""
        sha256 = hashlib.sha256(data).hexdigest()
        return sha256, self.put_keyed(sha256, ext, data)

    def put_file(self, source: Path, ext: str) -> tuple[str, Path]:
        """Copy a file into the store; returns its sha256 and path."""
        digest = hashlib.sha256()
        with open(source, "rb") as src, self._atomic_writer(self.root) as (tmp, out):
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self.path_for(sha256, ext)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
        return sha256, final

    def put_keyed(self, sha256: str, ext: str, data: bytes) -> Path:
        """Atomically write `data` under a caller-chosen digest (used for metadata records)."""
        final = self.path_for(sha256, ext)
        if final.is_file():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        with self._atomic_writer(final.parent) as (tmp, out):
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            os.replace(tmp, final)
        return final

    def read(self, sha256: str, ext: str) -> bytes | None:
        """The stored bytes, or None when absent."""
        try:
            return self.path_for(sha256, ext).read_bytes()
        except FileNotFoundError:
            return None

    def temp_files(self) -> list[Path]:
        """Leftover temporary files (should always be empty; used by tests and health checks)."""
        if not self.root.exists():
            return []
        return [p for p in self.root.rglob(f"{TEMP_PREFIX}*") if p.is_file()]

    @contextlib.contextmanager
    def _atomic_writer(self, directory: Path) -> Iterator[tuple[Path, BinaryIO]]:
        # The temp file sits next to its destination so os.replace is an atomic rename;
        # it is removed on any failure so a crash never leaves a half-written media file.
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                yield tmp, out
        finally:
            tmp.unlink(missing_ok=True)
