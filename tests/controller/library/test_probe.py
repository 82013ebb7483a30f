import json

import pytest

from controller.library.errors import IngestError
from controller.library.probe import ProbeInfo, original_extension, parse_probe, probe_file

EXPECTED_EXT = {
    "mp3": "mp3",
    "wav": "wav",
    "m4a": "m4a",
    "aac": "aac",
    "ogg_opus": "opus",
    "ogg_vorbis": "ogg",
    "webm": "webm",
    "flac": "flac",
    "amr": "amr",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_EXT))
def test_real_files_probe_to_their_extension(clips, name):
    info = probe_file(clips[name])
    assert original_extension(info) == EXPECTED_EXT[name]
    assert info.duration_s == pytest.approx(3.0, abs=0.2)


def test_extension_comes_from_content_not_name(clips, tmp_path):
    disguised = tmp_path / "song.mp3"
    disguised.write_bytes(clips["flac"].read_bytes())
    assert original_extension(probe_file(disguised)) == "flac"


def test_playlist_is_refused_unread(tmp_path):
    # An HLS playlist would make ffmpeg fetch other files or URLs; its demuxer is not allowed.
    playlist = tmp_path / "x.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/a.mp3\n")
    with pytest.raises(IngestError) as info:
        probe_file(playlist)
    assert info.value.code == "not_audio"


def _probe_json(format_name: str, streams: list[dict], duration: str = "3.0") -> bytes:
    return json.dumps(
        {"format": {"format_name": format_name, "duration": duration}, "streams": streams}
    ).encode()


def test_parse_video_only_is_not_audio():
    raw = _probe_json("mov,mp4,m4a,3gp,3g2,mj2", [{"codec_type": "video", "codec_name": "h264"}])
    with pytest.raises(IngestError):
        parse_probe(raw, "")


def test_parse_marks_estimated_duration():
    raw = _probe_json("mp3", [{"codec_type": "audio", "codec_name": "mp3", "sample_rate": "8000"}])
    info = parse_probe(raw, "[mp3 @ 0x1] Estimating duration from bitrate, this may be inaccurate")
    assert info.duration_estimated and info.sample_rate == 8000 and info.demuxer == "mp3"


def test_parse_missing_duration_is_none():
    raw = _probe_json("matroska,webm", [{"codec_type": "audio", "codec_name": "opus"}], "N/A")
    assert parse_probe(raw, "").duration_s is None


@pytest.mark.parametrize(
    ("demuxer", "names", "codec", "ext"),
    [
        ("mov", ("mov", "mp4", "m4a", "3gp"), "amr_nb", "3gp"),
        ("matroska", ("matroska",), "vorbis", "mka"),
        ("ogg", ("ogg",), "flac", "ogg"),
    ],
)
def test_extension_mapping(demuxer, names, codec, ext):
    info = ProbeInfo(demuxer, names, codec, 48000, 1, 1.0, False)
    assert original_extension(info) == ext
