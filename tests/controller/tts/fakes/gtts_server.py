"""A local stand-in for Google Translate's TTS endpoint (the batchexecute RPC gTTS 2.5.4 calls).

Runs on 127.0.0.1 on an ephemeral port. Modes:
  ok            200 with a well-formed batchexecute answer carrying ``mp3`` (base64)
  error500      500 Internal Server Error
  slow          holds the request until released (server-side delay past the client timeout)
  garbage       200 with junk text (no audio in it)
  garbage_audio 200 with a well-formed answer whose "audio" is junk bytes
  garbage_frame 200 with a well-formed answer whose "audio" starts like MP3 but is junk
For "connection refused" use :func:`refused_url`.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BATCHEXECUTE_PATH = "/_/TranslateWebserverUi/data/batchexecute"
HOLD_LIMIT_S = 30.0  # a slow request is released at stop() or after this, whichever first


@dataclass(frozen=True)
class ReceivedRequest:
    text: str
    lang: str
    slow: bool


def make_tone_mp3(duration_s: float = 0.6) -> bytes:
    """A small real MP3 (a sine tone) encoded by ffmpeg, as Google would send speech."""
    argv = [
        "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi",
        "-i", f"sine=frequency=440:duration={duration_s}:sample_rate=24000",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    return subprocess.run(argv, capture_output=True, check=True, timeout=30).stdout


def batchexecute_answer(payload_b64: str) -> bytes:
    """The response shape gTTS parses: a line with ``jQ1olc","[\\"<base64>\\"]``."""
    compact = {"separators": (",", ":")}
    inner = json.dumps([payload_b64], **compact)
    envelope = json.dumps([["wrb.fr", "jQ1olc", inner, None, None, None, "generic"]], **compact)
    tail = json.dumps([["e", 4, None, None, len(envelope)]], **compact)
    return f")]}}'\n\n{len(envelope)}\n{envelope}\n{len(tail)}\n{tail}\n".encode()


def refused_url() -> str:
    """A base URL on which nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeGoogleTts:
    def __init__(self, mp3: bytes, mode: str = "ok") -> None:
        self.mp3 = mp3
        self.mode = mode
        self.received: list[ReceivedRequest] = []
        self.release = threading.Event()
        self.held = threading.Event()  # set when a slow request is being held
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGoogleTts:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != BATCHEXECUTE_PATH:
                    self._reply(404, b"not found")
                    return
                fake.received.append(_parse_rpc(body))
                self._answer(fake.mode)

            def _answer(self, mode: str) -> None:
                if mode == "ok":
                    self._reply(200, batchexecute_answer(base64.b64encode(fake.mp3).decode()))
                elif mode == "error500":
                    self._reply(500, b"upstream error")
                elif mode == "slow":
                    fake.held.set()
                    fake.release.wait(HOLD_LIMIT_S)
                    self._reply(200, batchexecute_answer(base64.b64encode(fake.mp3).decode()))
                elif mode == "garbage":
                    self._reply(200, b"<html>captcha? \x00\x01 not what you wanted</html>")
                elif mode == "garbage_audio":
                    junk = base64.b64encode(b"this is not an mp3 at all" * 20).decode()
                    self._reply(200, batchexecute_answer(junk))
                elif mode == "garbage_frame":
                    junk = base64.b64encode(b"\xff\xfb\x90\x00" + b"junk" * 300).decode()
                    self._reply(200, batchexecute_answer(junk))
                else:
                    raise ValueError(f"unknown fake mode {mode!r}")

            def _reply(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test): nothing to do

        return Handler


def _parse_rpc(body: bytes) -> ReceivedRequest:
    """Decode gTTS's ``f.req`` form field: [[["jQ1olc", "[text, lang, slow, \\"null\\"]", ...]]]."""
    rpc = json.loads(parse_qs(body.decode())["f.req"][0])
    text, lang, slow, _ = json.loads(rpc[0][0][1])
    return ReceivedRequest(text=text, lang=lang, slow=bool(slow))
