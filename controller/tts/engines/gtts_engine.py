"""Online engine: Google Translate's speech via gTTS (lang ``vi``), in memory, with a hard timeout.

Redirecting the endpoint: gTTS 2.5.4 builds its URL in ``gTTS._prepare_requests`` from
``gtts.utils._translate_url(tld, path="_/TranslateWebserverUi/data/batchexecute")``, i.e.
``https://translate.google.{tld}/_/TranslateWebserverUi/data/batchexecute``; ``tld`` can only
change the host's suffix. :class:`_EndpointGTTS` overrides ``_prepare_requests`` and re-points the
already prepared requests at ``{base_url}/_/TranslateWebserverUi/data/batchexecute``, leaving the
request body (the ``f.req`` batchexecute RPC ``jQ1olc``) and gTTS's response parsing untouched.
Tests point ``base_url`` at a local fake; a deployment could point it at a caching proxy.

We never call ``gTTS.save()``: it opens the file before the request, so a failure leaves a
0-byte MP3 behind. ``write_to_fp`` into a BytesIO keeps everything in memory.
"""

from __future__ import annotations

import io
import threading

from gtts import gTTS
from pydub import AudioSegment

from .base import EngineError
from .decode import decode_audio

BATCHEXECUTE_PATH = "_/TranslateWebserverUi/data/batchexecute"
SLOW_BELOW = 0.85  # gTTS has two speeds only: normal, and "slow" for factors under this


class _EndpointGTTS(gTTS):
    """gTTS whose requests go to ``endpoint`` instead of translate.google.<tld>."""

    def __init__(self, text: str, endpoint: str, **kwargs: object) -> None:
        super().__init__(text, **kwargs)
        self._endpoint = endpoint

    def _prepare_requests(self):  # type: ignore[no-untyped-def]
        prepared = super()._prepare_requests()
        for request in prepared:
            request.prepare_url(self._endpoint, None)
        return prepared


class GttsEngine:
    """Google Translate TTS; needs the internet (or ``base_url`` pointing at a stand-in)."""

    def __init__(
        self,
        name: str = "gtts",
        lang: str = "vi",
        tld: str = "com",
        base_url: str | None = None,
    ) -> None:
        self.name = name
        self.lang = lang
        self.tld = tld
        self.base_url = base_url

    def synthesize(
        self, text: str, voice: str | None, speed: float, timeout_s: float
    ) -> AudioSegment:
        if not text.strip():
            raise EngineError(self.name, "no text to speak")
        mp3 = self._fetch_mp3(text, speed, timeout_s)
        if not mp3:
            raise EngineError(self.name, "no audio in the answer")
        if not looks_like_mp3(mp3):
            raise EngineError(self.name, f"answer is not MP3 ({mp3[:8]!r})")
        return decode_audio(self.name, mp3, timeout_s, fmt="mp3")

    def _make_tts(self, text: str, speed: float, timeout_s: float) -> gTTS:
        # lang_check=False: the language list check may do a web request of its own.
        options = {
            "lang": self.lang,
            "tld": self.tld,
            "slow": speed < SLOW_BELOW,
            "lang_check": False,
            "timeout": timeout_s,
        }
        if self.base_url:
            endpoint = f"{self.base_url.rstrip('/')}/{BATCHEXECUTE_PATH}"
            return _EndpointGTTS(text, endpoint, **options)
        return gTTS(text, **options)

    def _fetch_mp3(self, text: str, speed: float, timeout_s: float) -> bytes:
        """Run the request(s) in a worker so the whole fetch, not each socket read, is bounded.

        requests' timeout applies per connect/read, so a server trickling bytes could exceed
        it; the worker itself also carries that timeout, so an abandoned one ends soon after.
        """
        buffer = io.BytesIO()
        failure: list[BaseException] = []
        tts = self._make_tts(text, speed, timeout_s)

        def work() -> None:
            try:
                tts.write_to_fp(buffer)
            except BaseException as exc:  # noqa: BLE001 - reported to the caller below
                failure.append(exc)

        worker = threading.Thread(target=work, name=f"tts-{self.name}", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():
            raise EngineError(self.name, f"timed out after {timeout_s:g} s")
        if failure:
            raise EngineError(self.name, _describe(failure[0])) from failure[0]
        return buffer.getvalue()


def looks_like_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame sync at the start (cheap check before decoding)."""
    if data.startswith(b"ID3"):
        return True
    return len(data) >= 2 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0


def _describe(exc: BaseException) -> str:
    """A short reason; gTTS wraps requests' errors, so look down the chain for a timeout."""
    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    cause: BaseException | None = exc
    while cause is not None:
        if "timeout" in type(cause).__name__.lower():
            return f"timed out ({type(cause).__name__}); {text}"
        cause = cause.__cause__ or cause.__context__
    return text
