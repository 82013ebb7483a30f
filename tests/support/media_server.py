"""A local HTTP media server with Range support and switches to simulate faults.

server = start_media_server(directory)     # serves files by name at server.url(name)
server.cut_after[name] = 1000              # drop the connection after 1000 body bytes, once
server.corrupt.add(name)                   # serve garbage for it (until removed)
server.requests                            # [(path, range header or None)], in order
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class MediaServer:
    directory: Path
    httpd: ThreadingHTTPServer
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    cut_after: dict[str, int] = field(default_factory=dict)
    corrupt: set[str] = field(default_factory=set)
    token: str | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: MediaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.lstrip("/").split("?")[0]
            server.requests.append((name, self.headers.get("Range")))
            if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
                return self._empty(401)
            path = server.directory / name
            if "/" in name or not path.is_file():
                return self._empty(404)
            data = path.read_bytes()
            if name in server.corrupt:
                data = bytes(b ^ 0xFF for b in data)
            start, status = self._range_start(len(data))
            if start is None:
                return self._empty(416)
            body = data[start:]
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            cut = server.cut_after.pop(name, None)
            if cut is not None:
                self.wfile.write(body[:cut])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(body)

        def _range_start(self, size: int) -> tuple[int | None, int]:
            header = self.headers.get("Range")
            if not header:
                return 0, 200
            try:
                start = int(header.removeprefix("bytes=").split("-")[0])
            except ValueError:
                return 0, 200
            return (start, 206) if start < size else (None, 416)

        def _empty(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def start_media_server(directory: Path, token: str | None = None) -> MediaServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server = MediaServer(Path(directory), httpd, token=token)
    httpd.RequestHandlerClass = _handler(server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="media-http", daemon=True).start()
    return server
