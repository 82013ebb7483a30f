"""Long notices become background jobs: ``202 {"job"}``, then ``GET /api/v1/jobs/{id}``.

The job's thread is held at its first progress report (a job observer waiting on an Event),
so the test sees the job running with partial progress through the API, deterministically.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from controller.tts import jobs

TONE_TTS = Path(__file__).resolve().parents[1] / "tts" / "scripts" / "tone_tts.py"
LONG_TEXT = " ".join(
    f"Thông báo số {i}: bà con thôn Đông đến nhà văn hóa lúc {i + 6} giờ để họp." for i in range(6)
)
WAIT_S = 30


@pytest.fixture
def config(config, tmp_path):  # type: ignore[no-untyped-def]
    config.tts.engines = ["command"]
    config.tts.command = [
        sys.executable, str(TONE_TTS), "--text-file", "{text_file}", "--out", "{out}",
        "--speed", "{speed}",
    ]  # fmt: skip
    config.tts.job_threshold_chars = 100
    return config


@pytest.fixture
def officer(api_as):  # type: ignore[no-untyped-def]
    return api_as("officer")


@pytest.fixture
def held_at_first_progress():  # type: ignore[no-untyped-def]
    """Hold the job's thread at its first progress report until ``release`` is set."""
    reached, release, seen = threading.Event(), threading.Event(), []

    def observe(job_id: str, fraction: float) -> None:
        seen.append(fraction)
        if not reached.is_set():
            reached.set()
            release.wait(WAIT_S)

    remove = jobs.add_observer(observe)
    yield reached, release, seen
    release.set()
    remove()


@pytest.mark.postgres
def test_long_text_runs_as_a_job_with_progress(officer, held_at_first_progress) -> None:  # type: ignore[no-untyped-def]
    reached, release, seen = held_at_first_progress
    r = officer.post("/api/v1/tts", json={"text": LONG_TEXT, "chime": False, "title": "Họp"})
    assert r.status_code == 202, r.json
    job_id = r.json["job"]
    assert reached.wait(WAIT_S)
    running = officer.get(f"/api/v1/jobs/{job_id}").json
    assert running["status"] == "running"
    assert 0 < running["progress"] < 1
    release.set()
    assert jobs.wait(job_id, WAIT_S)

    done = officer.get(f"/api/v1/jobs/{job_id}").json
    assert done["status"] == "done" and done["progress"] == 1.0 and done["error"] is None
    result = done["result"]
    assert result["engine"] == "command" and result["title"] == "Họp"
    assert "sáu giờ" in result["normalized_text"]
    assert officer.get(f"/api/v1/media/{result['id']}").json["sha256"] == result["sha256"]
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0

    # The same long notice again: answered from the cache by a job that finishes at once.
    again = officer.post("/api/v1/tts", json={"text": LONG_TEXT, "chime": False})
    assert again.status_code == 202
    assert jobs.wait(again.json["job"], WAIT_S)
    assert officer.get(f"/api/v1/jobs/{again.json['job']}").json["result"]["id"] == result["id"]


def test_failed_job_reports_why(officer, config) -> None:  # type: ignore[no-untyped-def]
    config.tts.command = [*config.tts.command, "--mode", "fail"]
    r = officer.post("/api/v1/tts", json={"text": LONG_TEXT})
    assert r.status_code == 202
    assert jobs.wait(r.json["job"], WAIT_S)
    job = officer.get(f"/api/v1/jobs/{r.json['job']}").json
    assert job["status"] == "failed" and job["result"] is None
    assert job["error"]["code"] == "tts_failed"
    assert "mọi bộ đọc đều lỗi" in job["error"]["message"]


def test_short_text_is_not_a_job_and_refusals_come_first(officer) -> None:  # type: ignore[no-untyped-def]
    assert officer.post("/api/v1/tts", json={"text": "Họp.", "chime": False}).status_code == 201
    r = officer.post("/api/v1/tts", json={"text": "x" * 20_001})
    assert r.status_code == 422 and r.json["error"]["code"] == "text_too_long"


def test_unknown_job_and_rights(officer, api_as) -> None:  # type: ignore[no-untyped-def]
    assert officer.get("/api/v1/jobs/nope").status_code == 404
    r = officer.post("/api/v1/tts", json={"text": LONG_TEXT, "chime": False})
    job_id = r.json["job"]
    assert jobs.wait(job_id, WAIT_S)
    assert api_as("viewer").get(f"/api/v1/jobs/{job_id}").status_code == 200
    assert api_as("node").get(f"/api/v1/jobs/{job_id}").status_code == 403
