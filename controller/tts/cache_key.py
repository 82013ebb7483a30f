"""Cache key for a synthesized notice: sha256 of a canonical description of everything that
shapes the audio, so a repeated request is answered from the library without synthesis.

Recommended use (engines fall back, so the engine that spoke may not be the preferred one):
look up with the key of the *preferred* engine (``chain[0]``), and store the result under the
key of the engine that *actually spoke*. A notice spoken by espeak while gTTS was down is then
not served in place of a gTTS one once gTTS is back.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

KEY_VERSION = 1  # bump when composition changes in a way that changes the audio


def tts_cache_key(
    engine_chain_or_engine: str | Sequence[str],
    voice: str | None,
    speed: float,
    normalized_text: str,
    repeat: int,
    chime: bool | str | None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Hex sha256 of the canonical JSON of the inputs (pure).

    ``chime`` may be a bool or an id of the chime audio (e.g. its sha256), so a new chime file
    gives new keys. Text is NFC-normalized and whitespace-collapsed first: the same notice
    typed with composed or decomposed Vietnamese diacritics gets the same key. ``extra`` carries
    other settings that change the audio (pauses, gaps).
    """
    engines = (
        [engine_chain_or_engine]
        if isinstance(engine_chain_or_engine, str)
        else list(engine_chain_or_engine)
    )
    canonical = {
        "v": KEY_VERSION,
        "engines": engines,
        "voice": voice or "",
        "speed": f"{float(speed):.3f}",
        "text": " ".join(unicodedata.normalize("NFC", normalized_text).split()),
        "repeat": int(repeat),
        "chime": chime if isinstance(chime, str) else bool(chime),
        "extra": dict(sorted((extra or {}).items())),
    }
    blob = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
