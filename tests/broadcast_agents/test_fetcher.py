"""Media prefetch over real HTTP: Range resume, sha256 mismatch refetch, bearer token."""

import hashlib

import pytest

from broadcast_agents.cache import MediaCache
from broadcast_agents.fetcher import Fetcher, FetchError, Prefetcher
from broadcast_agents.protocol import MediaRef
from tests.support.media_server import start_media_server


@pytest.fixture
def server(tmp_path):
    d = tmp_path / "srv"
    d.mkdir()
    s = start_media_server(d, token="secret")
    yield s
    s.stop()


def _file(server, name, size):
    data = bytes(range(256)) * (size // 256)
    (server.directory / name).write_bytes(data)
    return MediaRef(server.url(name), hashlib.sha256(data).hexdigest(), len(data), 1000), data


def test_interrupted_download_resumes_with_range(tmp_path, server):
    ref, data = _file(server, "a.mp3", 256 * 400)
    server.cut_after["a.mp3"] = 30000
    fetcher = Fetcher(MediaCache(tmp_path / "cache", 10**9), token="secret")
    path = fetcher.ensure(ref)
    assert path.read_bytes() == data
    assert server.requests == [("a.mp3", None), ("a.mp3", "bytes=30000-")]
    assert not list((tmp_path / "cache").glob("*.part"))


def test_sha_mismatch_is_discarded_and_fetched_again(tmp_path, server):
    ref, data = _file(server, "b.mp3", 256 * 10)
    server.corrupt.add("b.mp3")
    fetcher = Fetcher(MediaCache(tmp_path / "cache", 10**9), token="secret", max_attempts=2)
    with pytest.raises(FetchError):
        fetcher.ensure(ref)
    assert not fetcher.cache.has(ref.sha256)  # the wrong bytes were never kept
    server.corrupt.discard("b.mp3")
    assert fetcher.ensure(ref).read_bytes() == data
    assert [r for r in server.requests if r[1]] == []  # every retry restarted from byte 0


def test_relative_url_uses_base_url_and_cached_file_is_not_refetched(tmp_path, server):
    ref, data = _file(server, "c.mp3", 256)
    rel = MediaRef("/c.mp3", ref.sha256, ref.bytes, ref.duration_ms)
    fetcher = Fetcher(MediaCache(tmp_path / "cache", 10**9), server.base_url, token="secret")
    fetcher.ensure(rel)
    fetcher.ensure(rel)
    assert server.requests == [("c.mp3", None)]


def test_missing_token_fails(tmp_path, server):
    ref, _ = _file(server, "d.mp3", 256)
    with pytest.raises(FetchError, match="401"):
        Fetcher(MediaCache(tmp_path / "cache", 10**9), max_attempts=1).ensure(ref)


def test_prefetcher_fetches_everything_wanted(tmp_path, server):
    refs = [_file(server, f"p{i}.mp3", 256 * (i + 1))[0] for i in range(3)]
    cache = MediaCache(tmp_path / "cache", 10**9)
    pre = Prefetcher(Fetcher(cache, token="secret"))
    pre.start()
    try:
        pre.want(refs + refs[:1])
        assert pre.idle.wait(10)
        assert all(cache.has(r.sha256) for r in refs)
        assert sorted(n for n, _ in server.requests) == ["p0.mp3", "p1.mp3", "p2.mp3"]
    finally:
        pre.stop()
