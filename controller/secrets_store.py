"""Secrets kept outside the repo: read from the environment or generated once under var/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def read_or_create_secret(path: Path, env_var: str | None = None, nbytes: int = 32) -> str:
    """The secret from ``env_var`` if set, else from ``path`` (created with mode 0600)."""
    if env_var and os.environ.get(env_var):
        return os.environ[env_var]
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
