"""Command engine with our own little TTS program (tests/controller/tts/scripts/tone_tts.py)."""

import sys
import tempfile
import time
from pathlib import Path

import pytest

from controller.tts.engines import CommandEngine, EngineError
from controller.tts.engines.command import render_argv

SCRIPT = str(Path(__file__).parent / "scripts" / "tone_tts.py")
TEXT = "Kính mời bà con đến dự họp."  # 27 characters -> 1080 ms of tone


def engine(*args: str, **options) -> CommandEngine:
    return CommandEngine([sys.executable, SCRIPT, *args], **options)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Point tempfile at an empty folder so leftovers can be seen."""
    workdir = tmp_path / "tmp"
    workdir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(workdir))
    return workdir


def test_text_file_and_out_file(private_tmp):
    audio = engine("--text-file", "{text_file}", "--out", "{out}").synthesize(TEXT, None, 1.0, 10)
    assert abs(len(audio) - 40 * len(TEXT)) < 30
    assert list(private_tmp.iterdir()) == []


def test_audio_on_stdout_and_text_on_stdin():
    tts = engine("--stdin-text", "--stdout", stdin_text=True)
    assert abs(len(tts.synthesize(TEXT, None, 1.0, 10)) - 40 * len(TEXT)) < 30


def test_text_argument_is_passed_literally_without_a_shell(tmp_path):
    record = tmp_path / "record.txt"
    tricky = "Giá $(rm -rf /) là 5.000 đồng; `ls` {out} 'x' \"y\""
    tts = engine("--text", "{text}", "--out", "{out}", "--record", str(record))
    tts.synthesize(tricky, None, 1.0, 10)
    assert record.read_text(encoding="utf-8") == f"\t{tricky}\n"


def test_voice_mapping_speed_and_default_voice(tmp_path):
    record = tmp_path / "record.txt"
    args = ("--text-file", "{text_file}", "--out", "{out}", "--voice", "{voice}")
    tts = engine(
        *args, "--speed", "{speed}", "--record", str(record),
        default_voice="/opt/voices/north.onnx", voices={"south": "/opt/voices/south.onnx"},
    )  # fmt: skip
    fast = tts.synthesize(TEXT, "south", 2.0, 10)
    tts.synthesize(TEXT, "no-such-voice", 1.0, 10)
    assert record.read_text(encoding="utf-8").splitlines() == [
        f"/opt/voices/south.onnx\t{TEXT}",
        f"/opt/voices/north.onnx\t{TEXT}",
    ]
    assert abs(len(fast) - 20 * len(TEXT)) < 30


def test_failing_program_reports_exit_status_and_stderr(private_tmp):
    with pytest.raises(EngineError, match="exit status 3.*model file missing"):
        engine("--mode", "fail", "--out", "{out}").synthesize(TEXT, None, 1.0, 10)
    assert list(private_tmp.iterdir()) == []


def test_missing_program():
    tts = CommandEngine(["/opt/no-such-tts/piper", "--out", "{out}"], name="piper")
    with pytest.raises(EngineError, match="program not found") as caught:
        tts.synthesize(TEXT, None, 1.0, 5)
    assert caught.value.engine == "piper"


@pytest.mark.parametrize("mode", ["hang", "hang-child"])
def test_timeout_kills_the_program_and_its_children(mode, private_tmp):
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out"):
        engine("--mode", mode, "--out", "{out}").synthesize(TEXT, None, 1.0, 1.0)
    assert time.monotonic() - started < 4
    assert list(private_tmp.iterdir()) == []


def test_program_that_writes_nothing():
    with pytest.raises(EngineError, match="no output file"):
        engine("--mode", "no-output", "--out", "{out}").synthesize(TEXT, None, 1.0, 10)


def test_program_that_writes_junk():
    with pytest.raises(EngineError, match="not decodable"):
        engine("--mode", "junk", "--out", "{out}").synthesize(TEXT, None, 1.0, 10)


def test_placeholders_are_substituted_once():
    values = {"text": "{out}", "out": "/tmp/x.wav", "text_file": "t", "voice": "", "speed": "1"}
    rendered = render_argv(["--text={text}", "{out}", "{unknown}"], {**values, "length_scale": "1"})
    assert rendered == ["--text={out}", "/tmp/x.wav", "{unknown}"]


def test_empty_template_is_rejected():
    with pytest.raises(ValueError):
        CommandEngine([])
