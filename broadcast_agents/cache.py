"""Media cache on disk, one file per sha256, capped in size with LRU eviction.

Eviction never removes a file the current plan still needs, even if that leaves the cache
over its cap (playing on time matters more than the cap).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path


class MediaCache:
    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._needed: frozenset[str] = frozenset()

    def set_needed(self, shas: Iterable[str]) -> None:
        """Files the current plan still needs: eviction never touches them."""
        self._needed = frozenset(shas)

    def path(self, sha256: str) -> Path:
        return self.dir / sha256

    def part_path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.part"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def touch(self, sha256: str) -> None:
        """Mark as recently used (mtime is the LRU clock)."""
        now = time.time()
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.path(sha256), (now, now))

    def commit(self, sha256: str, part: Path) -> Path:
        """Move a verified download into place."""
        final = self.path(sha256)
        os.replace(part, final)
        self.touch(sha256)
        return final

    def entries(self) -> list[tuple[str, int, float]]:
        """(sha256, bytes, last use) of complete files, least recently used first."""
        out = []
        for p in self.dir.iterdir():
            if p.is_file() and "." not in p.name:
                st = p.stat()
                out.append((p.name, st.st_size, st.st_mtime))
        return sorted(out, key=lambda e: (e[2], e[0]))

    def total_bytes(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def evict(self, keep: Iterable[str] = (), incoming: int = 0) -> list[str]:
        """Delete least recently used files (not needed, not in `keep`) until total + incoming
        fits under max_bytes; returns the removed sha256s."""
        keep = set(keep) | self._needed
        removed = []
        with self._lock:
            entries = self.entries()
            total = sum(size for _, size, _ in entries) + incoming
            for sha, size, _ in entries:
                if total <= self.max_bytes:
                    break
                if sha in keep:
                    continue
                self.path(sha).unlink(missing_ok=True)
                total -= size
                removed.append(sha)
        return removed
