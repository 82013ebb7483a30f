"""HTTP download of plan media into the cache: Range resume, sha256 check, background prefetch."""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin

import requests
from urllib3.exceptions import HTTPError as TransportError

from .cache import MediaCache
from .protocol import MediaRef

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


class FetchError(RuntimeError):
    """A media file could not be obtained intact."""


class Fetcher:
    """Fetches one media file at a time per sha256 (concurrent callers wait for the first)."""

    def __init__(
        self,
        cache: MediaCache,
        base_url: str = "",
        token: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5.0, 20.0),
        max_attempts: int = 4,
    ) -> None:
        self.cache = cache
        self.base_url = base_url
        self.session = session or requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def url_for(self, ref: MediaRef) -> str:
        return (
            ref.url
            if ref.url.startswith(("http://", "https://"))
            else urljoin(self.base_url + "/", ref.url.lstrip("/"))
        )

    def ensure(self, ref: MediaRef) -> Path:
        """Path of the verified file, downloading (and resuming) it if needed."""
        with self._lock_for(ref.sha256):
            if self.cache.has(ref.sha256):
                self.cache.touch(ref.sha256)
                return self.cache.path(ref.sha256)
            last: Exception | None = None
            for _ in range(self.max_attempts):
                try:
                    return self._download(ref)
                except (requests.RequestException, TransportError, OSError, FetchError) as exc:
                    last = exc
                    log.warning("fetch %s failed: %s", ref.sha256[:12], exc)
            raise FetchError(f"could not fetch {ref.url}: {last}")

    def _lock_for(self, sha256: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(sha256, threading.Lock())

    def _download(self, ref: MediaRef) -> Path:
        part = self.cache.part_path(ref.sha256)
        offset = part.stat().st_size if part.exists() else 0
        if offset > ref.bytes:
            part.unlink()
            offset = 0
        if offset < ref.bytes:
            self._transfer(ref, part, offset)
        if _sha256_of(part) != ref.sha256:
            # A wrong file is never kept: start again from byte 0 on the next attempt.
            part.unlink(missing_ok=True)
            raise FetchError(f"sha256 mismatch for {ref.url}")
        return self.cache.commit(ref.sha256, part)

    def _transfer(self, ref: MediaRef, part: Path, offset: int) -> None:
        # identity: byte ranges must address the file itself, not a compressed form of it
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        self.cache.evict(keep={ref.sha256}, incoming=ref.bytes - offset)
        with self.session.get(
            self.url_for(ref), headers=headers, stream=True, timeout=self.timeout
        ) as resp:
            if resp.status_code == 206 and _range_start(resp) == offset:
                mode = "ab"
            elif resp.status_code == 200:
                mode = "wb"  # server ignored Range: take the whole body again
            else:
                raise FetchError(f"HTTP {resp.status_code} for {ref.url}")
            with part.open(mode) as fh:
                # raw.read1 hands over what arrived before a connection drop (iter_content
                # would discard the partial chunk), so the resume starts exactly there.
                while chunk := resp.raw.read1(CHUNK, decode_content=True):
                    fh.write(chunk)
                    if fh.tell() > ref.bytes:
                        break  # more than announced: the sha check will fail it


def _range_start(resp: requests.Response) -> int | None:
    value = resp.headers.get("Content-Range", "")
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class Prefetcher:
    """Background worker keeping every media file of the current plan in the cache."""

    def __init__(
        self,
        fetcher: Fetcher,
        on_failure: Callable[[MediaRef, Exception], None] | None = None,
        retry_s: tuple[float, float] = (2.0, 60.0),
    ) -> None:
        self.fetcher = fetcher
        self._wanted: list[MediaRef] = []
        self._cv = threading.Condition()
        self._stop = False
        self._dirty = False
        self._on_failure = on_failure
        self._retry_s = retry_s
        self._thread = threading.Thread(target=self._run, name="prefetch", daemon=True)
        self.idle = threading.Event()  # set when everything wanted is cached

    def start(self) -> None:
        self._thread.start()

    def want(self, refs: Iterable[MediaRef]) -> None:
        """Replace the wanted list (in play order; duplicates are fetched once)."""
        unique: dict[str, MediaRef] = {}
        for ref in refs:
            unique.setdefault(ref.sha256, ref)
        self.fetcher.cache.set_needed(unique)
        with self._cv:
            self._wanted = list(unique.values())
            self._dirty = True
            self.idle.clear()
            self._cv.notify_all()

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        delay = self._retry_s[0]
        while True:
            with self._cv:
                while not self._dirty and not self._stop:
                    self._cv.wait()
                if self._stop:
                    return
                self._dirty = False
                wanted = list(self._wanted)
            failed = self._fetch_all(wanted)
            if not failed:
                self.fetcher.cache.evict()
                self.idle.set()
                delay = self._retry_s[0]
                continue
            with self._cv:  # retry later unless a new plan arrives first
                self._cv.wait(delay * random.uniform(0.8, 1.2))
                self._dirty = True
            delay = min(delay * 2, self._retry_s[1])

    def _fetch_all(self, wanted: list[MediaRef]) -> bool:
        failed = False
        for ref in wanted:
            if self._stop:
                return True
            try:
                self.fetcher.ensure(ref)
            except FetchError as exc:
                failed = True
                if self._on_failure:
                    self._on_failure(ref, exc)
        return failed
