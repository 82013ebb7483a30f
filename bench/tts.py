"""Benchmark: real-time factor of TTS engines on a 300-word Vietnamese notice.

Includes text normalization (controller.tts.normalize, when present) and composition (chime,
speech, chime). gTTS runs against the local fake of Google's endpoint only: its figure is
our own overhead (requests, decode, joining), not Google's speed. Prints ``name: value unit``.

    .venv/bin/python bench/tts.py
"""

from __future__ import annotations

import importlib.util
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydub.generators import Sine  # noqa: E402

from controller.tts.compose import compose_notice  # noqa: E402
from controller.tts.engines import EspeakEngine, GttsEngine  # noqa: E402
from controller.tts.split import split_chunks  # noqa: E402
from tests.controller.tts.fakes.gtts_server import FakeGoogleTts, make_tone_mp3  # noqa: E402

PARAGRAPH = (
    "THÔNG BÁO của UBND xã Bình Yên về việc tiêm vắc xin phòng bệnh cho trẻ em. "
    "Thực hiện kế hoạch số 125/KH-UBND ngày 15/03/2025 của UBND huyện, Trạm Y tế xã tổ chức "
    "tiêm chủng mở rộng vào lúc 7h30 sáng Thứ Hai ngày 24/3/2025 tại nhà văn hóa thôn 1. "
    "Đối tượng là trẻ em từ 2 đến 5 tuổi, các cháu cần mang theo sổ tiêm chủng và thẻ BHYT. "
    "Đề nghị các hộ gia đình có con em trong độ tuổi đưa các cháu đến đúng giờ, "
    "mọi thắc mắc xin liên hệ số điện thoại 0912 345 678 hoặc trực tiếp bộ phận một cửa. "
)


def notice_of(words: int) -> str:
    base = PARAGRAPH.split()
    return " ".join((base * (words // len(base) + 1))[:words]) + "."


def load_normalize():
    if importlib.util.find_spec("controller.tts.normalize") is None:
        return None
    from controller.tts.normalize import normalize

    return normalize


def measure(label: str, text: str, engines, normalize) -> float:
    """Print the figures of one run; return the total time in seconds."""
    chime = Sine(880).to_audio_segment(duration=800).set_channels(1)
    started = time.perf_counter()
    spoken = normalize(text) if normalize else text
    normalized_at = time.perf_counter()
    notice = compose_notice(spoken, engines, chime=chime, timeout_s=30)
    elapsed = time.perf_counter() - started
    print(f"{label}_normalize_time: {normalized_at - started:.3f} s")
    print(f"{label}_total_time: {elapsed:.3f} s")
    print(f"{label}_notice_duration: {notice.duration_ms / 1000:.1f} s")
    print(f"{label}_rtf: {elapsed / (notice.duration_ms / 1000):.4f} ratio")
    print(f"{label}_chunks: {len(split_chunks(spoken))} count")
    return elapsed


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def repeated_espeak(text: str, normalize, runs: int) -> float:  # noqa: ANN001
    """Median and p99 of the offline engine over ``runs`` syntheses (normalize + compose)."""
    chime = Sine(880).to_audio_segment(duration=800).set_channels(1)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        spoken = normalize(text) if normalize else text
        compose_notice(spoken, [EspeakEngine()], chime=chime, timeout_s=30)
        times.append(time.perf_counter() - started)
    print(f"tts.espeak_300_words.median: {statistics.median(times):.3f} s")
    print(f"tts.espeak_300_words.p99: {_p99(times):.3f} s")
    return statistics.median(times)


def cache_hits(text: str, runs: int) -> None:
    """Latency of ``POST /api/v1/tts`` answered from the synthesis cache, through the real app."""
    from controller.app import create_app
    from controller.bootstrap import ensure_site
    from controller.config import Config
    from controller.users import create_token, create_user

    with tempfile.TemporaryDirectory(prefix="tt-bench-tts-") as tmp:
        cfg = Config()
        cfg.base_dir = Path(tmp)
        cfg.database.url = f"sqlite:///{tmp}/tt.db"
        cfg.server.secret_key_file = f"{tmp}/secret"
        cfg.storage.media_dir = f"{tmp}/media"
        cfg.tts.engines = ["espeak"]
        app = create_app(cfg)
        ensure_site(app.extensions["tt.db"], cfg)
        with app.extensions["tt.db"].session() as session:
            create_user(session, "bench", "officer", "mat-khau-bench", cfg.site.id)
            token = create_token(session, "bench")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        body = {"text": text[:500], "title": "Bench"}
        first = client.post("/api/v1/tts", json=body, headers=headers)
        assert first.status_code in (200, 201), first.get_json()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            again = client.post("/api/v1/tts", json=body, headers=headers)
            times.append(time.perf_counter() - started)
            assert again.get_json()["id"] == first.get_json()["id"]
        print(f"tts.cache_hit.median: {statistics.median(times) * 1000:.1f} ms")
        print(f"tts.cache_hit.p99: {_p99(times) * 1000:.1f} ms")


def main() -> None:
    logging.disable(logging.INFO)
    normalize = load_normalize()
    text = notice_of(300)
    print(f"words: {len(text.split())} count")
    print(f"normalization_included: {int(normalize is not None)} bool")
    espeak_s = measure("espeak", text, [EspeakEngine()], normalize)
    repeated_espeak(text, normalize, 5)
    print(f"espeak_under_2s_target: {int(espeak_s < 2.0)} bool")
    cache_hits(text, 30)

    fake = FakeGoogleTts(make_tone_mp3(3.0)).start()
    try:
        elapsed = measure("gtts_local_fake", text, [GttsEngine(base_url=fake.base_url)], normalize)
        requests = len(fake.received)
        print(f"gtts_local_fake_requests: {requests} count")
        print(f"gtts_local_fake_overhead_per_request: {1000 * elapsed / requests:.1f} ms")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
