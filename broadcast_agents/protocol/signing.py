"""Ed25519 keys and signatures over canonical JSON of an envelope's fields (all but `sig`)."""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .canonical import CanonicalError, canonical_json

SIG_FIELD = "sig"


class KeyFormatError(ValueError):
    """A key could not be decoded."""


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_b64(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode("ascii")


def private_key_from_b64(text: str) -> Ed25519PrivateKey:
    raw = _b64(text, "private key")
    if len(raw) != 32:
        raise KeyFormatError("an Ed25519 private key is 32 raw bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Base64 of the 32 raw public-key bytes: the signer's identity on the wire."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    raw = _b64(text, "public key")
    if len(raw) != 32:
        raise KeyFormatError("an Ed25519 public key is 32 raw bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def save_private_key(key: Ed25519PrivateKey, path: Path | str, *, pem: bool = False) -> None:
    """Write the key readable only by its owner (0600): raw base64 text, or PKCS#8 PEM."""
    if pem:
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    else:
        data = (private_key_to_b64(key) + "\n").encode("ascii")
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)  # O_CREAT's mode does not apply to an existing file


def load_private_key(path: Path | str) -> Ed25519PrivateKey:
    """Read a key file written by save_private_key (either format)."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFormatError("the PEM file does not hold an Ed25519 private key")
        return key
    return private_key_from_b64(data.decode("ascii").strip())


def signed_bytes(fields: Mapping[str, Any]) -> bytes:
    """The canonical bytes covered by the signature: every field except `sig`."""
    return canonical_json({k: v for k, v in fields.items() if k != SIG_FIELD})


def sign(fields: Mapping[str, Any], key: Ed25519PrivateKey) -> str:
    """Base64 Ed25519 signature over signed_bytes(fields)."""
    return base64.b64encode(key.sign(signed_bytes(fields))).decode("ascii")


def verify(envelope: Mapping[str, Any], public_key: Ed25519PublicKey | str) -> bool:
    """True when envelope[`sig`] is a valid signature of its other fields; never raises."""
    try:
        pub = load_public_key(public_key) if isinstance(public_key, str) else public_key
        sig = envelope.get(SIG_FIELD)
        if not isinstance(sig, str):
            return False
        pub.verify(_b64(sig, "signature"), signed_bytes(envelope))
    except (InvalidSignature, KeyFormatError, CanonicalError, ValueError, TypeError):
        return False
    return True


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise KeyFormatError(f"{what} is not valid base64") from exc
