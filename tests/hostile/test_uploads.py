"""Hostile uploads through ``POST /api/v1/media``: names, disguises, broken forms, bombs, slowness.

Every answer is a clear JSON error (or a success where the file is legitimate), the store only
ever holds ``<aa>/<sha256>.<ext>`` files named by the server, its scratch space is empty after
each request, nothing appears outside it, and a slow uploader does not hold up other requests.
"""

from __future__ import annotations

import re
import socket
import struct
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.audio import make_tone
from tests.support.live_server import live_server

LIMIT = 1024 * 1024  # a small upload limit keeps the over-limit bodies small
MAX_DURATION_S = 120
STORED = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{1,16}(\.[a-z0-9]{1,8})?$")


@pytest.fixture
def config(config):  # type: ignore[no-untyped-def]
    config.audio.max_upload_bytes = LIMIT
    config.audio.max_duration_s = MAX_DURATION_S
    return config


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


@pytest.fixture
def media_dir(config) -> Path:  # type: ignore[no-untyped-def]
    return config.path(config.storage.media_dir)


def tree(root: Path) -> set[str]:
    """Every file under ``root``, relative (the database files aside)."""
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith("tt.db") and p.name != "secret_key"
    }


def assert_store_clean(media_dir: Path) -> None:
    files = tree(media_dir) if media_dir.exists() else set()
    strays = [f for f in files if not STORED.match(f)]
    assert not strays, f"files the server did not name: {strays}"


def multipart(
    filename: str | bytes, content: bytes, title: str = "Thông báo", boundary: str = ""
) -> tuple[bytes, str]:
    """A multipart body written by hand, so any filename bytes reach the server unchanged."""
    boundary = boundary or uuid.uuid4().hex
    name = filename if isinstance(filename, bytes) else filename.encode()
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        f"{title}\r\n"
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + name
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def post_raw(api: Any, body: bytes, content_type: str) -> Any:
    return api.post("/api/v1/media", data=body, headers={"Content-Type": content_type})


def error_code(resp: Any) -> str:
    body = resp.get_json(silent=True) or {}
    assert body.get("error", {}).get("message"), resp.get_data(as_text=True)[:300]
    return body["error"]["code"]


@pytest.fixture
def wav(tmp_path: Path) -> bytes:
    (tmp_path / "src").mkdir(exist_ok=True)
    return make_tone(tmp_path / "src" / "tone", 1.0, fmt="wav").read_bytes()


def _tone_bytes(tmp_path: Path, freq: int, fmt: str) -> bytes:
    (tmp_path / "src").mkdir(exist_ok=True)
    path = make_tone(tmp_path / "src" / f"t{freq}", 1.0, freq=freq, fmt=fmt)
    return path.read_bytes()


# ------------------------------------------------------------------------- names and types

PATH_NAMES = (
    "../../etc/passwd.mp3",
    "..\\..\\x.wav",
    "/etc/cron.d/evil.wav",
    "C:\\Windows\\evil.wav",
    "....//....//evil.wav",
    "%2e%2e%2fevil.wav",
    "evil.wav/../../../escape.wav",
    "\u202evaw.exe",
    "thông báo 📢.wav",
)


def test_path_like_filenames_never_reach_the_filesystem(app, officer, media_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    outside = tree(tmp_path)
    for n, name in enumerate((*PATH_NAMES, b"evil\x00.wav", b"\xff\xfe.wav")):
        body, ctype = multipart(name, _tone_bytes(tmp_path, 300 + 50 * n, "wav"))
        resp = post_raw(officer, body, ctype)
        if name == b"\xff\xfe.wav":
            # Not UTF-8: Werkzeug drops the whole form, so the answer is a 422 (title missing).
            assert resp.status_code == 422 and error_code(resp) == "validation"
        else:
            assert resp.status_code == 201, (name, resp.get_data(as_text=True)[:300])
        assert_store_clean(media_dir)
    created = {f for f in tree(tmp_path) - outside if not f.startswith("media/")}
    assert created <= {f"src/t{300 + 50 * n}.wav" for n in range(len(PATH_NAMES) + 2)}
    assert not [p for p in Path("/etc").glob("evil*")]


def test_content_decides_the_type_not_the_name(officer, media_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ("wav-as.mp3", _tone_bytes(tmp_path, 500, "wav"), "wav"),
        ("mp3-as.txt", _tone_bytes(tmp_path, 600, "mp3"), "mp3"),
        ("no-extension", _tone_bytes(tmp_path, 700, "flac"), "flac"),
    ]
    for name, data, real in cases:
        body, ctype = multipart(name, data)
        resp = post_raw(officer, body, ctype)
        assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
        original = officer.get(f"/api/v1/media/{resp.get_json()['id']}/original")
        assert original.headers["Content-Disposition"].endswith(f'.{real}"') or (
            f".{real}" in original.headers["Content-Disposition"]
        )
    playlist = b"#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n"
    for name, data in (("notice.mp3", b"just some text, not audio\n" * 50), ("x.mp3", playlist)):
        body, ctype = multipart(name, data)
        resp = post_raw(officer, body, ctype)
        assert resp.status_code == 422 and error_code(resp) == "not_audio"
    assert_store_clean(media_dir)


# ------------------------------------------------------------------------- broken forms


def test_malformed_multipart_gets_a_clear_json_error(officer, media_dir, wav) -> None:  # type: ignore[no-untyped-def]
    good, ctype = multipart("a.wav", wav, boundary="b0undary")
    truncated = good[: len(good) // 2]
    cases = {
        "no boundary": (good, "multipart/form-data"),
        "wrong boundary": (good, "multipart/form-data; boundary=other"),
        "json body": (b'{"title": "x"}', "application/json"),
        "text body": (wav, "text/plain"),
        "no content type": (wav, ""),
        "truncated": (truncated, ctype),
        "garbage": (b"\x00\xff" * 1000, ctype),
    }
    for what, (body, content_type) in cases.items():
        resp = post_raw(officer, body, content_type)
        assert 400 <= resp.status_code < 500, (what, resp.status_code)
        assert error_code(resp), what
    no_file = officer.post(
        "/api/v1/media", data={"title": "Chỉ có tiêu đề"}, content_type="multipart/form-data"
    )
    assert no_file.status_code == 422 and error_code(no_file) == "file_missing"
    body, ctype = multipart("a.wav", wav, title="")
    assert post_raw(officer, body, ctype).status_code == 422
    assert_store_clean(media_dir)
    assert officer.get("/api/v1/media").get_json()["items"] == []


def test_empty_and_over_limit_bodies_are_refused_before_storing(officer, media_dir) -> None:  # type: ignore[no-untyped-def]
    body, ctype = multipart("empty.wav", b"")
    resp = post_raw(officer, body, ctype)
    assert resp.status_code == 422 and error_code(resp) == "empty"
    body, ctype = multipart("big.wav", b"\x00" * (LIMIT + 200 * 1024))
    resp = post_raw(officer, body, ctype)
    assert resp.status_code == 413 and error_code(resp) == "too_large"
    assert_store_clean(media_dir)
    assert not any((media_dir / ".incoming").glob("*"))


# ------------------------------------------------------------------------- bombs


def wav_claiming_hours(hours: float, rate: int = 8000) -> bytes:
    """A WAV header declaring ``hours`` of 8-bit mono audio, followed by one second of it."""
    declared = int(hours * 3600 * rate)
    header = b"RIFF" + struct.pack("<I", 36 + declared) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    header += b"data" + struct.pack("<I", declared)
    tone = bytes(128 + int(60 * ((i // 9) % 2 * 2 - 1)) for i in range(rate))
    return header + tone


def long_flac(path: Path, seconds: int, *, seekable: bool) -> bytes:
    """Mostly silence with a short tone: compresses to almost nothing, decodes to ``seconds``."""
    source = [
        *("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=8000"),
        *("-f", "lavfi", "-i", f"anullsrc=r=8000:cl=mono:d={seconds}"),
        *("-filter_complex", "[0][1]concat=n=2:v=0:a=1", "-ac", "1", "-c:a", "flac"),
        *("-frame_size", "16384"),  # long frames: 10 h of silence in a few hundred kB
    ]
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", *source]
    if seekable:
        subprocess.run([*cmd, str(path)], check=True)
        return path.read_bytes()
    # Written to a pipe, the encoder cannot go back to fill in the length: duration unknown.
    return subprocess.run([*cmd, "-f", "flac", "pipe:1"], check=True, capture_output=True).stdout


def test_a_header_claiming_hours_is_read_for_what_it_holds(officer, media_dir) -> None:  # type: ignore[no-untyped-def]
    body, ctype = multipart("liar.wav", wav_claiming_hours(100))
    resp = post_raw(officer, body, ctype)
    # Either refused, or stored as the one second it really holds (never hours of audio).
    if resp.status_code == 201:
        assert resp.get_json()["duration_ms"] < 2000, resp.get_json()
    else:
        assert resp.status_code == 422 and error_code(resp) in ("too_long", "corrupt")
    assert_store_clean(media_dir)


def test_tiny_files_that_decode_to_hours_are_refused(officer, media_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bombs = {
        "flac of 10 h silence": long_flac(tmp_path / "bomb.flac", 36000, seekable=True),
        "flac of 10 h, length unknown": long_flac(tmp_path / "bomb2.flac", 36000, seekable=False),
    }
    for what, data in bombs.items():
        assert len(data) < LIMIT, (what, len(data))
        started = time.monotonic()
        body, ctype = multipart("bomb.flac", data)
        resp = post_raw(officer, body, ctype)
        elapsed = time.monotonic() - started
        assert resp.status_code == 422, (what, resp.get_data(as_text=True)[:300])
        assert error_code(resp) == "too_long", what
        assert elapsed < 30, f"{what}: {elapsed:.1f} s to refuse"
    assert_store_clean(media_dir)
    assert officer.get("/api/v1/media").get_json()["items"] == []


# ------------------------------------------------------------------------- slow uploader


def _request_head(path: str, token: str, ctype: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {ctype}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_slow_upload_does_not_hold_up_other_requests(app, officer, media_dir, wav) -> None:  # type: ignore[no-untyped-def]
    import urllib.request

    token = officer.headers["Authorization"].split()[1]
    body, ctype = multipart("slow.wav", wav)
    half = threading.Event()
    others_done = threading.Event()
    result: dict[str, Any] = {}

    def slow_client(port: int) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(_request_head("/api/v1/media", token, ctype, len(body)))
            chunks = [body[i : i + 1024] for i in range(0, len(body), 1024)]
            for n, chunk in enumerate(chunks):
                sock.sendall(chunk)
                if n == len(chunks) // 2:
                    half.set()
                    others_done.wait(30)  # the rest only once the others were answered
                else:
                    time.sleep(0.002)  # a trickle: this pacing is the behaviour under test
            result["status"], result["body"] = _read_response(sock)

    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        sender = threading.Thread(target=slow_client, args=(port,), daemon=True)
        sender.start()
        assert half.wait(30), "the slow client never got half-way"
        started = time.monotonic()
        for path in ("/healthz", "/api/v1/zones", "/api/v1/media"):
            req = urllib.request.Request(base + path, headers=officer.headers)
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    status = resp.status
            except urllib.error.HTTPError as exc:  # /healthz is 503 here: no broker
                status = exc.code
            assert status in (200, 503), (path, status)
        answered_in = time.monotonic() - started
        assert not (media_dir / ".incoming").exists() or not any(
            (media_dir / ".incoming").iterdir()
        ), "a half-received upload was spooled into the store"
        others_done.set()
        sender.join(60)
    assert answered_in < 5, f"other requests waited {answered_in:.1f} s behind the slow upload"
    assert result.get("status") == 201, result
    assert_store_clean(media_dir)


def test_abandoned_slow_upload_leaves_nothing(app, officer, media_dir, wav) -> None:  # type: ignore[no-untyped-def]
    token = officer.headers["Authorization"].split()[1]
    body, ctype = multipart("gone.wav", wav)
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(_request_head("/api/v1/media", token, ctype, len(body)))
            sock.sendall(body[: len(body) // 2])
        # The server still answers, and the store holds nothing from the broken upload.
        import urllib.request

        req = urllib.request.Request(base + "/api/v1/media", headers=officer.headers)
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200
    assert officer.get("/api/v1/media").get_json()["items"] == []
    assert_store_clean(media_dir)
    assert not (media_dir / ".incoming").exists() or not any((media_dir / ".incoming").iterdir())
