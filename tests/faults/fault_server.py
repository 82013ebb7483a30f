"""An HTTP media server that misbehaves on demand, for node fault tests.

server = start_fault_server()
server.files["clip"] = data                    # served at server.url("clip"), Range supported
server.mode["clip"] = "404" | "500" | "garbage" | "stall"
server.stall_after = 20_000                    # "stall": send that many bytes, then hang
server.stalled.wait(5)                         # a client is hanging mid-body right now
server.requests                                # [(name, Range header or None)], in order
server.stop()                                  # also releases hung clients
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FaultServer:
    httpd: ThreadingHTTPServer
    files: dict[str, bytes] = field(default_factory=dict)
    mode: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    stall_after: int = 16_384
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, name: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{name}"

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.lstrip("/")
            server.requests.append((name, self.headers.get("Range")))
            mode = server.mode.get(name, "ok")
            if name not in server.files or mode == "404":
                return self._plain(404, b"not found")
            if mode == "500":
                return self._plain(500, b"internal error")
            data = server.files[name]
            if mode == "garbage":  # right length, wrong bytes: only the sha256 can tell
                data = bytes(b ^ 0x5A for b in data)
            start = self._range_start()
            body = data[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "audio/mpeg")
            self.send_header("Content-Length", str(len(body)))
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            if mode == "stall":
                self.wfile.write(body[: server.stall_after])
                self.wfile.flush()
                server.stalled.set()
                server.release.wait(60)  # hang mid-body until the test lets go
                self.close_connection = True
                return
            self.wfile.write(body)

        def _range_start(self) -> int:
            header = self.headers.get("Range", "")
            if header.startswith("bytes=") and header.endswith("-"):
                return int(header[6:-1])
            return 0

        def _plain(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def start_fault_server() -> FaultServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    server = FaultServer(httpd)
    httpd.RequestHandlerClass = _handler(server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return server
