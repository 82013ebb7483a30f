"""``kill -9`` of a real controller process (``python -m controller serve``) in the middle of a
burst of broadcasts: after a restart on the same config nothing it had accepted is lost (media,
program and its approval, broadcasts, the node's reports sent while it was dead) and the
signing ``seq`` keeps growing, so the node accepts what the restarted controller publishes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from tests.faults.controller_process import SITE, ControllerProcess
from tests.support.agents import start_agent
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow
NODE, ZONE = "thon-1-a", "thon-1"
VN = timezone(timedelta(hours=7))


@pytest.fixture
def ctl(tmp_path: Path, broker) -> Iterator[ControllerProcess]:  # type: ignore[no-untyped-def]
    process = ControllerProcess.create(tmp_path / "ctl", broker)
    process.start()
    yield process
    process.stop()


def ok(response: requests.Response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json()


def program(ctl: ControllerProcess, title: str, media_id: int, hour: int) -> dict:
    # tomorrow at `hour` o'clock in the commune: inside the plan horizon, outside quiet hours
    tomorrow = datetime.now(VN).date() + timedelta(days=1)
    at = datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, tzinfo=VN).isoformat()
    body = {"title": title, "media_ids": [media_id], "zones": [ZONE],
            "schedule": {"type": "once", "at": at}}  # fmt: skip
    created = ok(ctl.api("post", "/api/v1/programs", json=body), 201)
    if created["status"] != "approved":
        created = ok(ctl.api("post", f"/api/v1/programs/{created['id']}/approve", json={}))
    assert created["status"] == "approved"
    return created


def node_view(ctl: ControllerProcess) -> dict:
    return next(n for n in ok(ctl.api("get", "/api/v1/nodes"))["items"] if n["id"] == NODE)


def fire_broadcasts(ctl: ControllerProcess, media_id: int, accepted: list[str]) -> None:
    body = {"media_ids": [media_id], "zones": [ZONE]}
    for _ in range(40):
        try:
            response = ctl.api("post", "/api/v1/broadcasts", json=body)
        except requests.RequestException:
            return  # the controller died under us
        if response.status_code == 201:
            accepted.append(response.json()["id"])


def test_kill_9_mid_dispatch_loses_nothing_and_seq_keeps_growing(
    ctl: ControllerProcess, broker, clip_file: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ok(ctl.api("post", "/api/v1/zones", json={"id": ZONE, "name": "Thôn 1"}), 201)
    ok(ctl.api("post", "/api/v1/nodes", json={"id": NODE, "zone": ZONE, "name": "Cụm A"}), 201)
    with clip_file.open("rb") as f:
        files = {"file": ("clip.mp3", f, "audio/mpeg")}
        data = {"title": "Bản tin thử", "category": "announcement"}
        media = ok(ctl.api("post", "/api/v1/media", files=files, data=data), 201)
    first = program(ctl, "Bản tin sáng", media["id"], hour=9)
    seq_before = wait_until(
        lambda: ok(ctl.api("get", f"/api/v1/plans/{NODE}")).get("seq"), 20, "plan"
    )
    ctl.cli(
        "user", "create", "cum-loa", "--role", "node", "--password-stdin", stdin="x" * 12 + "\n"
    )
    monkeypatch.setenv("TT_CONTROLLER_TOKEN", ctl.cli("token", "create", "cum-loa").strip())
    public_key = ok(ctl.api("get", "/api/v1/signing-key"))["public_key"]
    agent = start_agent(tmp_path / NODE, NODE, zone=ZONE, site=SITE, broker=broker,
                        public_key=public_key, base_url=ctl.base_url)  # fmt: skip
    try:
        wait_until(lambda: node_view(ctl)["plan_seq"] == seq_before, 20, "node holds the plan")

        accepted: list[str] = []
        burst = threading.Thread(target=fire_broadcasts, args=(ctl, media["id"], accepted))
        burst.start()
        wait_until(lambda: len(accepted) >= 3, 30, "a few broadcasts accepted")
        ctl.kill9()  # mid-burst: requests in flight die with it
        burst.join(timeout=30)
        last = accepted[-1]
        # The node plays and reports while the controller is dead; the broker keeps the reports.
        wait_until(lambda: any(s["item"] == last for s in agent.sidecars()) or last in agent.log,
                   20, "the node handled the last broadcast")  # fmt: skip
        ctl.start()

        listed = {b["id"] for b in ok(ctl.api("get", "/api/v1/broadcasts"))["items"]}
        assert set(accepted) <= listed  # every broadcast that got a 201 is still there
        programs = {p["id"]: p for p in ok(ctl.api("get", "/api/v1/programs"))["items"]}
        assert programs[first["id"]]["status"] == "approved"
        assert [m["id"] for m in ok(ctl.api("get", "/api/v1/media"))["items"]] == [media["id"]]

        def reported(broadcast: str) -> bool:
            status = ok(ctl.api("get", f"/api/v1/broadcasts/{broadcast}"))
            return any(n["node"] == NODE and n["acknowledged"] for n in status["nodes"])

        wait_until(lambda: all(reported(b) for b in accepted), 40, "every ack stored")
        plays = ok(ctl.api("get", "/api/v1/plays", params={"node": NODE}))["items"]
        assert {p["item"] for p in plays} >= set(accepted)  # each one played or was skipped

        second = program(ctl, "Bản tin chiều", media["id"], hour=10)
        seq_after = wait_until(
            lambda: (s := ok(ctl.api("get", f"/api/v1/plans/{NODE}"))["seq"]) > seq_before and s,
            20, "a new plan",
        )  # fmt: skip
        wait_until(lambda: node_view(ctl)["plan_seq"] == seq_after, 20, "node accepts it")
        plan_items = ok(ctl.api("get", f"/api/v1/plans/{NODE}"))["items"]
        assert {first["title"], second["title"]} <= {i["title"] for i in plan_items}
        assert not [p for p in plays if p["type"] == "rejected"]
    finally:
        agent.kill()
