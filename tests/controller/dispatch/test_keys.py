"""The signing key: created once with mode 0600, stable across loads and racing processes."""

from __future__ import annotations

import base64
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from broadcast_agents.protocol import sign, verify
from controller.dispatch.keys import load_or_create_signing_key, public_key_b64


def _public_of(path: str) -> str:
    return public_key_b64(load_or_create_signing_key(path))


def test_key_created_private_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "var" / "signing_key"
    key = load_or_create_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_signing_key(path)
    assert public_key_b64(again) == public_key_b64(key)
    assert len(base64.b64decode(public_key_b64(key))) == 32
    assert verify({"a": 1, "sig": sign({"a": 1}, key)}, public_key_b64(again))
    assert [p.name for p in path.parent.iterdir()] == ["signing_key"]  # no temp files left


def test_processes_racing_on_first_start_share_one_key(tmp_path: Path) -> None:
    path = str(tmp_path / "signing_key")
    with ProcessPoolExecutor(max_workers=6) as pool:
        publics = list(pool.map(_public_of, [path] * 12))
    assert len(set(publics)) == 1
    assert publics[0] == _public_of(path)
