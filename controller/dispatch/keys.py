"""The controller's Ed25519 signing key: created once, kept under var/ readable only by its owner.

Nodes hold only the public half (``GET /api/v1/signing-key``). The key file is created atomically
(written to a private temporary file, then hard-linked into place), so two controller processes
starting together end up with the same key instead of one overwriting the other.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from broadcast_agents.protocol import generate_key, load_private_key, private_key_to_b64
from broadcast_agents.protocol import public_key_b64 as public_key_b64  # how nodes get the key

ALGORITHM = "ed25519"


def load_or_create_signing_key(path: Path | str) -> Ed25519PrivateKey:
    """Load the key at ``path``, creating it (mode 0600) if no process has yet."""
    path = Path(path)
    if not path.exists():
        _create_atomically(path, generate_key())
    return load_private_key(path)


def _create_atomically(path: Path, key: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write((private_key_to_b64(key) + "\n").encode("ascii"))
            fh.flush()
            os.fsync(fh.fileno())
        # link() fails if the name exists: the first process to get here wins.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
