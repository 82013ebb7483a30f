import hashlib
import io
import os

import pytest

from controller.library.errors import UploadTooLarge
from controller.library.spool import CHUNK_BYTES, spool_upload


class CountingStream(io.BytesIO):
    """Records how much the spooler actually read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def test_spools_hashes_and_counts(tmp_path):
    data = os.urandom(CHUNK_BYTES * 3 + 17)
    with spool_upload(io.BytesIO(data), tmp_path, max_bytes=len(data)) as spooled:
        assert spooled.bytes == len(data)
        assert spooled.sha256 == hashlib.sha256(data).hexdigest()
        assert spooled.path.read_bytes() == data
        assert spooled.path.parent == tmp_path
    assert not spooled.path.exists()  # the context manager removes it


def test_over_limit_aborts_early_and_removes_temp(tmp_path):
    stream = CountingStream(os.urandom(CHUNK_BYTES * 20))
    with pytest.raises(UploadTooLarge) as info:
        spool_upload(stream, tmp_path, max_bytes=CHUNK_BYTES * 2)
    assert info.value.status == 413
    assert stream.consumed <= CHUNK_BYTES * 3  # stopped reading, did not drain the upload
    assert list(tmp_path.iterdir()) == []


def test_empty_stream(tmp_path):
    with spool_upload(io.BytesIO(b""), tmp_path, max_bytes=10) as spooled:
        assert spooled.bytes == 0
        assert spooled.sha256 == hashlib.sha256(b"").hexdigest()


def test_temp_name_ignores_uploader_filename(tmp_path):
    stream = io.BytesIO(b"abc")
    stream.name = "../../evil.mp3"
    with spool_upload(stream, tmp_path, max_bytes=10) as spooled:
        assert spooled.path.parent == tmp_path and "evil" not in spooled.path.name
