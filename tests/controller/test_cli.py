"""The command line as scripts use it: fresh config, any command first, token on stdout only."""

import subprocess
import sys
from pathlib import Path

from controller.config import REPO_ROOT


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/x.db"\n'
        f'[server]\nsecret_key_file = "{tmp_path}/secret"\n',
        encoding="utf-8",
    )
    return cfg


def _run(cfg: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "controller", "--config", str(cfg), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_token_create_first_on_a_fresh_config_explains_the_missing_user(tmp_path: Path) -> None:
    r = _run(_config(tmp_path), "token", "create", "nobody")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "Không có người dùng 'nobody'" in r.stderr


def test_user_then_token_prints_only_the_token(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    r = _run(
        cfg,
        "user",
        "create",
        "canbo",
        "--role",
        "officer",
        "--password-stdin",
        stdin="mat-khau-dai-du\n",
    )
    assert r.returncode == 0, r.stderr
    r = _run(cfg, "token", "create", "canbo")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tt_") and len(lines[0]) > 30


def test_bad_role_short_password_and_duplicates_are_refused(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    bad = _run(cfg, "user", "create", "a", "--role", "king", "--password-stdin", stdin="x" * 10)
    assert bad.returncode == 1 and "Vai trò không hợp lệ" in bad.stderr
    short = _run(cfg, "user", "create", "a", "--role", "viewer", "--password-stdin", stdin="123")
    assert short.returncode == 1 and "ít nhất 8" in short.stderr
    ok = _run(cfg, "user", "create", "a", "--role", "viewer", "--password-stdin", stdin="x" * 10)
    assert ok.returncode == 0
    dup = _run(cfg, "user", "create", "a", "--role", "viewer", "--password-stdin", stdin="x" * 10)
    assert dup.returncode == 1 and "đã tồn tại" in dup.stderr


def test_bad_config_file_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[nope]\nx=1\n", encoding="utf-8")
    r = _run(cfg, "migrate")
    assert r.returncode == 2 and "Lỗi cấu hình" in r.stderr
