import hashlib
import os

import pytest

from controller.library.store import MediaStore


def test_put_bytes_is_content_addressed(store: MediaStore):
    sha, path = store.put_bytes(b"hello", "mp3")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    assert path == store.root / sha[:2] / f"{sha}.mp3"
    assert path.read_bytes() == b"hello"
    assert store.exists(sha, "mp3") and not store.exists(sha, "wav")


def test_same_bytes_twice_is_one_file(store: MediaStore):
    first = store.put_bytes(b"x" * 10, "mp3")
    assert store.put_bytes(b"x" * 10, "mp3") == first
    assert len(list(store.root.rglob("*.mp3"))) == 1


def test_put_file_copies_and_hashes(store: MediaStore, tmp_path):
    src = tmp_path / "upload.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    sha, path = store.put_file(src, "wav")
    assert sha == hashlib.sha256(src.read_bytes()).hexdigest()
    assert path.read_bytes() == src.read_bytes() and src.exists()


def test_delete(store: MediaStore):
    sha, _ = store.put_bytes(b"a", "ogg")
    assert store.delete(sha, "ogg") is True
    assert store.delete(sha, "ogg") is False
    assert store.read(sha, "ogg") is None


@pytest.mark.parametrize(
    ("sha", "ext"),
    [
        ("../etc/passwd", "mp3"),
        ("A" * 64, "mp3"),
        ("a" * 64, "../x"),
        ("a" * 64, "MP3"),
        ("a" * 64, ""),
    ],
)
def test_names_are_validated(store: MediaStore, sha, ext):
    with pytest.raises(ValueError):
        store.path_for(sha, ext)


def test_failed_write_leaves_no_temp_file(store: MediaStore, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.put_bytes(b"data", "mp3")
    assert store.temp_files() == []
    assert list(store.root.rglob("*.mp3")) == []
