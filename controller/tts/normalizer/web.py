"""Web addresses and e-mail addresses, spelled out before their dots look like numbers.

Examples: "ubnd@gmail.com" -> "ubnd a còng gmail chấm com"; "https://dichvucong.gov.vn" ->
"dichvucong chấm gov chấm vn"; "www.xa.vn/tin" -> "vê kép vê kép vê kép chấm xa chấm vn gạch
chéo tin".
"""

from __future__ import annotations

import re

from controller.tts.normalizer.phrasing import spaced

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(
    r"(?<![\w.@])(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|edu|info)"
    r"(?:/[\w/.-]*[\w/])?(?![\w])"
)


def _read_address(s: str) -> str:
    s = re.sub(r"^https?://", "", s)
    s = s.replace("@", " a còng ").replace(".", " chấm ").replace("/", " gạch chéo ")
    return spaced(s.replace("www", "vê kép vê kép vê kép"))


def read_web_addresses(text: str) -> str:
    """Spell out every e-mail address, then every web address (a known top-level domain)."""
    text = _EMAIL.sub(lambda m: _read_address(m.group(0)), text)
    return _DOMAIN.sub(lambda m: _read_address(m.group(0)), text)
