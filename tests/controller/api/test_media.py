"""``/api/v1/media``: uploads of every format end to end, refusals, dedup, search, Range, delete.

Audio files are made with ffmpeg at test time (about a second each). AMR is left out: this
ffmpeg build has no AMR encoder.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest

from controller.db.models import AuditLog, MediaItem, Program
from controller.library.store import MediaStore

TONE = "sine=frequency=440:duration=1.2:sample_rate=44100"
FORMATS = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "wav": ["-c:a", "pcm_s16le"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "ogg": ["-c:a", "libvorbis"],
    "opus": ["-c:a", "libopus", "-ar", "48000"],
    "webm": ["-c:a", "libopus", "-ar", "48000"],
    "flac": ["-c:a", "flac"],
}


def ffmpeg(source: str, out: Path, *args: str) -> Path:
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source, *args, str(out)]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    return out


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("audio")
    files = {ext: ffmpeg(TONE, folder / f"tone.{ext}", *args) for ext, args in FORMATS.items()}
    files["silent"] = ffmpeg("anullsrc=r=44100:cl=mono:d=1.5", folder / "silent.wav")
    files["long"] = ffmpeg("sine=frequency=300:duration=4", folder / "long.wav")
    # An MP4 whose index (at the front) promises 2.5 s, cut off after a third of its data.
    whole = ffmpeg(
        "sine=frequency=500:duration=2.5", folder / "whole.m4a", "-c:a", "aac",
        "-movflags", "+faststart",
    ).read_bytes()  # fmt: skip
    files["cut"] = folder / "cut.m4a"
    files["cut"].write_bytes(whole[: len(whole) // 3])
    files["text"] = folder / "notes.txt"
    files["text"].write_text("Đây không phải tệp âm thanh.\n" * 20, encoding="utf-8")
    files["empty"] = folder / "empty.mp3"
    files["empty"].write_bytes(b"")
    return files


@pytest.fixture
def config(config):  # type: ignore[no-untyped-def]
    config.audio.max_duration_s = 3
    config.audio.max_upload_bytes = 400_000
    return config


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


@pytest.fixture
def store(config) -> MediaStore:  # type: ignore[no-untyped-def]
    return MediaStore(config.path(config.storage.media_dir))


def upload(client, path: Path | None, title: str = "Bản tin", name: str | None = None, **fields):  # type: ignore[no-untyped-def]
    data = {"title": title, **fields}
    if path is not None:
        data["file"] = (io.BytesIO(path.read_bytes()), name or path.name)
    return client.post("/api/v1/media", data=data, content_type="multipart/form-data")


def stored_files(store: MediaStore) -> list[Path]:
    if not store.root.exists():
        return []
    return [p for p in store.root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("ext", list(FORMATS))
def test_upload_each_format_end_to_end(officer, samples, config, store, ext) -> None:  # type: ignore[no-untyped-def]
    r = upload(
        officer, samples[ext], title=f"Âm báo {ext}", category="announcement", tags="thử, âm"
    )
    assert r.status_code == 201, r.json
    item = r.json
    assert item["title"] == f"Âm báo {ext}" and item["category"] == "announcement"
    assert item["tags"] == ["thử", "âm"] and item["source"] == "upload"
    assert 1000 <= item["duration_ms"] <= 1500
    assert abs(item["lufs"] - config.audio.target_lufs) < 1.0
    assert item["true_peak_db"] <= config.audio.true_peak_db
    audio = officer.get(f"/api/v1/media/{item['id']}/audio")
    assert audio.status_code == 200 and audio.mimetype == "audio/mpeg"
    assert len(audio.data) == item["bytes"]
    assert hashlib.sha256(audio.data).hexdigest() == item["sha256"]
    original = officer.get(f"/api/v1/media/{item['id']}/original")
    assert original.status_code == 200
    assert original.data == samples[ext].read_bytes()


REFUSALS = [
    ("text", 422, "not_audio", "không phải là âm thanh"),
    ("empty", 422, "empty", "Tệp rỗng"),
    ("cut", 422, "corrupt", "bị hỏng"),
    ("silent", 422, "silent", "không có tiếng"),
    ("long", 422, "too_long", "vượt quá giới hạn 3 giây"),
]


@pytest.mark.parametrize(("sample", "status", "code", "words"), REFUSALS)
def test_refusals_are_explained_in_vietnamese_and_leave_nothing(  # type: ignore[no-untyped-def]
    officer, samples, store, app, sample, status, code, words
) -> None:
    r = upload(officer, samples[sample])
    assert r.status_code == status, r.json
    assert r.json["error"]["code"] == code
    assert words in r.json["error"]["message"]
    assert stored_files(store) == []
    with app.extensions["tt.db"].session() as s:
        assert s.query(MediaItem).count() == 0


def test_refusal_in_english_on_request(api_as, samples) -> None:  # type: ignore[no-untyped-def]
    r = upload(api_as("officer", lang="en"), samples["silent"])
    assert r.status_code == 422 and r.json["error"]["message"] == "The audio is silent."


def test_over_limit_body_is_refused_with_413_before_reading_it(officer, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.wav"
    big.write_bytes(b"RIFF" + b"\0" * 600_000)
    r = upload(officer, big)
    assert r.status_code == 413
    assert r.json["error"]["code"] == "too_large"
    assert r.json["error"]["message"] == "Tệp quá lớn."
    assert stored_files(store) == []


def test_file_just_over_the_limit_is_stopped_while_streaming(officer, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The body fits the request allowance (file limit + form overhead), the file does not.
    big = tmp_path / "big.mp3"
    big.write_bytes(b"\xff" * 400_500)
    r = upload(officer, big)
    assert r.status_code == 413
    assert r.json["error"]["code"] == "too_large"
    assert "dung lượng tối đa" in r.json["error"]["message"]
    assert stored_files(store) == []  # the partial spool file is gone too


def test_chunked_upload_over_the_limit_is_refused(officer, app, store) -> None:  # type: ignore[no-untyped-def]
    # No Content-Length: the limit can only be enforced while the body streams in.
    boundary = "tt-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nX\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n'
        "Content-Type: audio/mpeg\r\n\r\n"
    ).encode()
    body = head + b"\xff" * 900_000 + f"\r\n--{boundary}--\r\n".encode()

    r = app.test_client().post(
        "/api/v1/media",
        input_stream=io.BytesIO(body),
        headers={
            **officer.headers,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Transfer-Encoding": "chunked",
        },
        # What waitress sets for chunked bodies: the server terminates the input stream.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert r.status_code == 413
    assert r.json["error"]["code"] == "too_large"
    assert stored_files(store) == []


def test_missing_file_and_bad_fields(officer, samples) -> None:  # type: ignore[no-untyped-def]
    r = upload(officer, None)
    assert r.status_code == 422 and r.json["error"]["code"] == "file_missing"
    assert r.json["error"]["message"] == "Chưa chọn tệp âm thanh."
    r = upload(officer, samples["mp3"], category="music")
    assert r.status_code == 422 and r.json["error"]["code"] == "validation"
    assert "category" in r.json["error"]["message"]
    r = upload(officer, samples["mp3"], title="")
    assert r.status_code == 422 and r.json["error"]["code"] == "validation"


def test_identical_upload_returns_the_existing_item(officer, samples, store, app) -> None:  # type: ignore[no-untyped-def]
    first = upload(officer, samples["mp3"], title="Lần một")
    files = sorted(stored_files(store))
    second = upload(officer, samples["mp3"], title="Lần hai", name="khac-ten.mp3")
    assert first.status_code == 201 and second.status_code == 200
    assert second.json["id"] == first.json["id"] and second.json["title"] == "Lần một"
    assert sorted(stored_files(store)) == files
    with app.extensions["tt.db"].session() as s:
        assert s.query(MediaItem).count() == 1


def test_filenames_never_reach_the_filesystem(officer, samples, store) -> None:  # type: ignore[no-untyped-def]
    r = upload(officer, samples["wav"], name="../../../etc/chuc-tet.wav")
    assert r.status_code == 201
    names = [p.name for p in stored_files(store)]
    assert names and not any("chuc" in n or "etc" in n for n in names)
    assert all(n.split(".")[0] == r.json["sha256"] or len(n.split(".")[0]) == 64 for n in names)


@pytest.mark.postgres
def test_search_without_diacritics_and_by_category(officer, samples) -> None:  # type: ignore[no-untyped-def]
    upload(officer, samples["mp3"], title="Chúc Tết Nguyên đán", category="greeting", tags="xuân")
    upload(officer, samples["wav"], title="Thông báo tiêm chủng", category="announcement")
    r = officer.get("/api/v1/media", query_string={"q": "chuc tet"})
    assert [i["title"] for i in r.json["items"]] == ["Chúc Tết Nguyên đán"]
    r = officer.get("/api/v1/media", query_string={"q": "XUAN"})
    assert [i["title"] for i in r.json["items"]] == ["Chúc Tết Nguyên đán"]
    r = officer.get("/api/v1/media", query_string={"category": "announcement"})
    assert [i["title"] for i in r.json["items"]] == ["Thông báo tiêm chủng"]
    assert len(officer.get("/api/v1/media").json["items"]) == 2
    assert officer.get("/api/v1/media?category=music").status_code == 422


def test_range_requests_and_conditional_get(officer, samples) -> None:  # type: ignore[no-untyped-def]
    item = upload(officer, samples["flac"]).json
    url = f"/api/v1/media/{item['id']}/audio"
    full = officer.get(url).data
    r = officer.get(url, headers={"Range": "bytes=100-1099"})
    assert r.status_code == 206
    assert r.data == full[100:1100]
    assert r.headers["Content-Range"] == f"bytes 100-1099/{len(full)}"
    assert r.headers["Accept-Ranges"] == "bytes"
    tail = officer.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == full[-10:]
    assert officer.get(url, headers={"Range": f"bytes={len(full) + 5}-"}).status_code == 416
    etag = officer.get(url).headers["ETag"]
    assert item["sha256"] in etag
    assert officer.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_edit_title_category_tags(officer, samples, app) -> None:  # type: ignore[no-untyped-def]
    item = upload(officer, samples["mp3"], title="Tạm").json
    r = officer.put(
        f"/api/v1/media/{item['id']}",
        json={"title": "Lời chúc Quốc khánh", "category": "greeting", "tags": ["2/9", " 2/9 "]},
    )
    assert r.status_code == 200
    assert (r.json["title"], r.json["category"], r.json["tags"]) == (
        "Lời chúc Quốc khánh", "greeting", ["2/9"],
    )  # fmt: skip
    found = officer.get("/api/v1/media", query_string={"q": "quoc khanh"}).json["items"]
    assert [i["id"] for i in found] == [item["id"]]
    assert officer.put(f"/api/v1/media/{item['id']}", json={"category": "x"}).status_code == 422
    assert officer.put("/api/v1/media/99999", json={"title": "x"}).status_code == 404
    with app.extensions["tt.db"].session() as s:
        actions = [a.action for a in s.query(AuditLog).filter_by(target_type="media")]
    assert actions == ["media.create", "media.update"]


@pytest.mark.postgres
def test_delete_refused_while_a_program_uses_the_item(officer, samples, app, store) -> None:  # type: ignore[no-untyped-def]
    item = upload(officer, samples["ogg"], title="Tuyên truyền PCCC").json
    with app.extensions["tt.db"].session() as s:
        s.add(Program(site_id="xa-binh-yen", title="Phát sáng thứ Hai", media_ids=[item["id"]]))
    r = officer.delete(f"/api/v1/media/{item['id']}")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "media_in_use"
    assert "Phát sáng thứ Hai" in r.json["error"]["message"]
    assert [p["title"] for p in r.json["error"]["programs"]] == ["Phát sáng thứ Hai"]
    assert officer.get(f"/api/v1/media/{item['id']}").status_code == 200
    with app.extensions["tt.db"].session() as s:
        s.query(Program).update({"status": "archived"})
    assert stored_files(store)
    r = officer.delete(f"/api/v1/media/{item['id']}")
    assert r.status_code == 204
    assert officer.get(f"/api/v1/media/{item['id']}").status_code == 404
    assert officer.get(f"/api/v1/media/{item['id']}/audio").status_code == 404
    assert not [p for p in stored_files(store) if p.suffix in (".mp3", ".ogg")]
    with app.extensions["tt.db"].session() as s:
        assert s.query(AuditLog).filter_by(action="media.delete").count() == 1


def test_viewer_reads_but_cannot_write(api_as, officer, samples) -> None:  # type: ignore[no-untyped-def]
    item = upload(officer, samples["mp3"]).json
    viewer = api_as("viewer")
    assert viewer.get("/api/v1/media").status_code == 200
    assert viewer.get(f"/api/v1/media/{item['id']}/audio").status_code == 200
    assert upload(viewer, samples["wav"]).status_code == 403
    assert viewer.put(f"/api/v1/media/{item['id']}", json={"title": "x"}).status_code == 403
    assert viewer.delete(f"/api/v1/media/{item['id']}").status_code == 403
    assert viewer.get(f"/api/v1/media/{item['id']}/original").status_code == 403


def test_node_token_fetches_audio_and_nothing_else(api_as, officer, samples) -> None:  # type: ignore[no-untyped-def]
    item = upload(officer, samples["mp3"]).json
    node = api_as("node")
    r = node.get(f"/api/v1/media/{item['id']}/audio", headers={"Range": "bytes=0-99"})
    assert r.status_code == 206 and len(r.data) == 100
    assert node.get("/api/v1/users").status_code == 403
    assert node.get("/api/v1/media").status_code == 403
    assert node.get(f"/api/v1/media/{item['id']}/original").status_code == 403
    assert upload(node, samples["wav"]).status_code == 403


def test_approver_records_a_greeting(api_as, samples) -> None:  # type: ignore[no-untyped-def]
    r = upload(api_as("approver"), samples["webm"], category="greeting", source="recording")
    assert r.status_code == 201 and r.json["source"] == "recording"


def test_upload_is_documented_as_multipart(admin_api) -> None:  # type: ignore[no-untyped-def]
    doc = admin_api.get("/api/v1/openapi.json").json
    body = doc["paths"]["/api/v1/media"]["post"]["requestBody"]["content"]
    props = body["multipart/form-data"]["schema"]["properties"]
    assert {"file", "title", "category", "tags"} <= set(props)
