"""Decode engine output (MP3, WAV, anything ffmpeg reads) into a pydub AudioSegment, in memory.

pydub's ``from_file`` on a file-like object runs ffprobe and ffmpeg without a time limit; we run
ffmpeg ourselves through :func:`run_bounded` so a decode can never hang a synthesis job.
"""

from __future__ import annotations

from pydub import AudioSegment
from pydub.audio_segment import fix_wav_headers

from .base import EngineError
from .process import ProcessTimeout, run_bounded

MIN_SPEECH_MS = 20  # shorter than this is no speech: treat as a broken answer


def decode_audio(
    engine: str, data: bytes, timeout_s: float, fmt: str | None = None
) -> AudioSegment:
    """Decode ``data`` with ffmpeg (format sniffed unless ``fmt`` is given); EngineError if bad."""
    if not data:
        raise EngineError(engine, "empty audio")
    argv = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error"]
    if fmt:
        argv += ["-f", fmt]
    argv += ["-i", "pipe:0", "-vn", "-acodec", "pcm_s16le", "-f", "wav", "pipe:1"]
    try:
        result = run_bounded(argv, timeout_s, stdin_data=data)
    except ProcessTimeout as exc:
        raise EngineError(engine, f"audio decode timed out: {exc}") from exc
    except OSError as exc:
        raise EngineError(engine, f"cannot run ffmpeg: {exc}") from exc
    if result.returncode != 0 or len(result.stdout) <= 44:
        raise EngineError(engine, f"not decodable audio: {result.stderr_tail(200)}")
    wav = bytearray(result.stdout)
    fix_wav_headers(wav)  # ffmpeg cannot seek back into a pipe to fill in the sizes
    return check_speech(engine, AudioSegment(bytes(wav)))


def wav_to_segment(engine: str, data: bytes) -> AudioSegment:
    """Read a WAV produced by a trusted local program (sizes may be 'streaming' placeholders)."""
    try:
        segment = AudioSegment(data)
    except Exception as exc:  # pydub raises several types on malformed headers
        raise EngineError(engine, f"not a WAV stream: {exc}") from exc
    return check_speech(engine, segment)


def check_speech(engine: str, segment: AudioSegment) -> AudioSegment:
    if len(segment) < MIN_SPEECH_MS:
        raise EngineError(engine, f"audio too short ({len(segment)} ms)")
    return segment
