"""The synthesis cache key (pure)."""

import unicodedata

from controller.tts.cache_key import tts_cache_key

TEXT = "Ủy ban nhân dân xã thông báo."
BASE = {"voice": "vi", "speed": 1.0, "normalized_text": TEXT, "repeat": 1, "chime": True}


def key(engines="gtts", **changes):
    return tts_cache_key(engines, **{**BASE, **changes})


def test_is_a_stable_sha256_hex():
    assert key() == key()
    assert len(key()) == 64 and int(key(), 16) >= 0


def test_every_input_changes_the_key():
    variants = [
        key(),
        key("espeak"),
        key(["gtts", "espeak"]),
        key(voice="vi-vn-x-south"),
        key(speed=1.1),
        key(normalized_text="Ủy ban nhân dân xã thông báo lần hai."),
        key(repeat=2),
        key(chime=False),
        key(chime="sha256-of-another-chime"),
        key(extra={"pause_ms": 500}),
    ]
    assert len(set(variants)) == len(variants)


def test_equivalent_inputs_give_the_same_key():
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert key(normalized_text=f"  {decomposed}\n") == key()
    assert key(speed=1) == key(speed=1.0000001)
    assert key(voice=None) == key(voice="")
    assert key(["gtts"]) == key("gtts")
