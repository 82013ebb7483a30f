import io
import os
import subprocess

import pytest

import controller.library.ingest as ingest_module
from controller.library.errors import IngestError
from controller.library.ingest import find_existing, ingest_file, ingest_upload
from controller.library.probe import probe_file
from controller.library.settings import AudioSettings
from controller.library.store import MediaStore

from .conftest import SPEECH_LIKE, ebur128, ffmpeg, make_clip, stored_files, stream_info

ALL_FORMATS = ["mp3", "wav", "m4a", "aac", "ogg_opus", "ogg_vorbis", "webm", "flac", "amr"]


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_every_format_is_normalized_mono_48k(clips, store, settings, name):
    result = ingest_file(clips[name], store, settings)

    lufs, peak = ebur128(result.delivery_path)  # measured independently of our meter
    assert lufs == pytest.approx(settings.target_lufs, abs=1.0)
    assert peak <= settings.true_peak_db
    stream = stream_info(result.delivery_path)["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "48000")
    assert result.duration_ms == pytest.approx(3000, abs=120)
    assert result.bytes == result.delivery_path.stat().st_size
    assert result.original_path.read_bytes() == clips[name].read_bytes()
    assert result.delivery_path.name == f"{result.sha256}.mp3"
    assert result.delivery_path.parent.name == result.sha256[:2]
    assert result.original_path.name == f"{result.original_sha256}.{result.original_ext}"
    assert store.temp_files() == []


def test_quiet_peaky_speech_is_limited_not_clipped(tmp_path, store, settings):
    # -40 LUFS speech with sharp clicks: plain +24 dB gain would clip the clicks hard.
    quiet = make_clip(
        tmp_path / "quiet.wav",
        ["-af", "volume=-22dB,aeval='val(0)+0.2*gt(mod(t,0.5),0.499)'", "-c:a", "pcm_s16le"],
        seconds=4,
    )
    result = ingest_file(quiet, store, settings)
    lufs, peak = ebur128(result.delivery_path)
    assert lufs == pytest.approx(-16, abs=1.0)
    assert peak <= -1.0
    assert result.lufs == pytest.approx(lufs, abs=0.3)


def test_trim_silence_shortens(tmp_path, store, settings):
    padded = make_clip(
        tmp_path / "padded.flac",
        ["-af", "adelay=2000,apad=pad_dur=2", "-c:a", "flac"],
        seconds=2,
    )
    plain = ingest_file(padded, store, settings)
    trimmed = ingest_file(padded, store, settings, trim_silence=True)
    assert plain.duration_ms == pytest.approx(6000, abs=150)
    assert trimmed.duration_ms < 2600
    assert trimmed.sha256 != plain.sha256 and trimmed.original_sha256 == plain.original_sha256


def test_identical_upload_is_not_processed_again(clips, store, settings, monkeypatch):
    first = ingest_file(clips["mp3"], store, settings)
    files = stored_files(store)

    def no_decode(*args, **kwargs):
        raise AssertionError("an identical upload was decoded again")

    monkeypatch.setattr(ingest_module, "decode_file", no_decode)
    again = ingest_upload(io.BytesIO(clips["mp3"].read_bytes()), store, settings)
    assert again == first
    assert stored_files(store) == files
    assert find_existing(store, first.original_sha256, settings) == first


def test_other_settings_give_a_new_delivery_for_the_same_original(clips, store, settings):
    first = ingest_file(clips["wav"], store, settings)
    quieter = ingest_file(clips["wav"], store, AudioSettings(target_lufs=-23))
    assert quieter.original_path == first.original_path
    assert quieter.sha256 != first.sha256
    assert ebur128(quieter.delivery_path)[0] == pytest.approx(-23, abs=1.0)


def _refusal(path, store, settings, **kwargs) -> IngestError:
    before = stored_files(store)
    with pytest.raises(IngestError) as info:
        ingest_file(path, store, settings, **kwargs)
    assert stored_files(store) == before, "a refused upload left files behind"
    assert store.temp_files() == []
    return info.value


def test_text_renamed_mp3_is_not_audio(tmp_path, store, settings):
    fake = tmp_path / "thong-bao.mp3"
    fake.write_text("Thông báo: họp dân lúc 19h00 tại nhà văn hóa thôn.\n" * 50)
    err = _refusal(fake, store, settings)
    assert (err.code, err.status) == ("not_audio", 422)


def test_image_is_not_audio(tmp_path, store, settings):
    image = tmp_path / "photo.mp3"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", "-f", "image2", str(image))
    assert _refusal(image, store, settings).code == "not_audio"


def test_empty_file(tmp_path, store, settings):
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    assert _refusal(empty, store, settings).code == "empty"


def test_garbage_in_the_middle_is_corrupt(tmp_path, store, settings):
    source = make_clip(tmp_path / "s.mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], seconds=10)
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4000] = os.urandom(4000)
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(bytes(data))
    assert _refusal(broken, store, settings).code == "corrupt"


def test_garbage_over_the_first_frames_is_corrupt(tmp_path, store, settings):
    source = make_clip(tmp_path / "s.mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], seconds=10)
    data = bytearray(source.read_bytes())
    # Keep the Xing/Info header frame (so it still probes as MP3) and wreck the audio after it.
    data[600:3000] = bytes(range(256)) * 9 + bytes(96)
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(bytes(data))
    assert _refusal(broken, store, settings).code == "corrupt"


def test_truncated_mp3_is_corrupt(tmp_path, store, settings):
    source = make_clip(tmp_path / "s.mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], seconds=10)
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(source.read_bytes()[: source.stat().st_size // 3])
    assert _refusal(cut, store, settings).code == "corrupt"


def test_digital_silence_is_silent(tmp_path, store, settings):
    silence = make_clip(tmp_path / "silence.wav", [], seconds=3, source="anullsrc=r=44100")
    assert _refusal(silence, store, settings).code == "silent"


def test_too_long(clips, store):
    err = _refusal(clips["ogg_opus"], store, AudioSettings(max_duration_s=2))
    assert (err.code, err.status) == ("too_long", 422)
    assert "giây" in err.message_vi


def test_bomb_is_refused_by_probe_before_decoding(tmp_path, store, settings, monkeypatch):
    # 2 hours of FLAC in a few tens of kilobytes: decoding it would need 690 MB of samples.
    bomb = make_clip(
        tmp_path / "bomb.flac",
        ["-c:a", "flac", "-frame_size", "32768"],
        seconds=7200,
        source="anullsrc=r=8000:cl=mono",
    )
    assert bomb.stat().st_size < 100_000
    decoded = []
    monkeypatch.setattr(ingest_module, "decode_file", lambda *a, **k: decoded.append(a))
    err = _refusal(bomb, store, settings)
    assert err.code == "too_long" and "120 phút" in err.message_vi
    assert decoded == []


def test_webm_without_declared_duration_stops_at_the_limit(tmp_path, store, monkeypatch):
    # Like a browser recording (MediaRecorder): WebM written to a pipe has no duration, so
    # only the capped decode can tell that it is too long.
    recording = tmp_path / "recording.webm"
    with open(recording, "wb") as out:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-t", "8", "-i", SPEECH_LIKE]
            + ["-c:a", "libopus", "-f", "webm", "-"],
            stdout=out,
            check=True,
        )
    assert probe_file(recording).duration_s is None
    seen = []
    real_decode = ingest_module.decode_file
    monkeypatch.setattr(
        ingest_module, "decode_file", lambda *a: seen.append(a[-1]) or real_decode(*a)
    )
    err = _refusal(recording, store, AudioSettings(max_duration_s=5))
    assert err.code == "too_long" and seen == [5]


def test_oversize_upload_stream(store):
    settings = AudioSettings(max_upload_bytes=64 * 1024)
    with pytest.raises(IngestError) as info:
        ingest_upload(io.BytesIO(os.urandom(1024 * 1024)), store, settings)
    assert (info.value.code, info.value.status) == ("too_large", 413)
    assert stored_files(store) == []


def test_oversize_file(clips, store):
    err = _refusal(clips["wav"], store, AudioSettings(max_upload_bytes=1000))
    assert (err.code, err.status) == ("too_large", 413)


def test_upload_refusal_leaves_nothing(store, settings):
    with pytest.raises(IngestError) as info:
        ingest_upload(io.BytesIO(b"not audio at all" * 100), store, settings)
    assert info.value.code == "not_audio"
    assert stored_files(store) == []


def test_failure_while_storing_rolls_back(clips, store, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(MediaStore, "put_keyed", broken)
    with pytest.raises(OSError):
        ingest_file(clips["flac"], store, settings)
    assert stored_files(store) == []
