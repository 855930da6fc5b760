"""A small real HTTP server on 127.0.0.1 for the tests of fetching and of remote sources.

Routes by request path (query included): each a `Route` saying what to answer (a body with
validators, a status, a redirect, a slow or failing server). Every request is kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PDF_V1 = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
WAIT = 5.0  # the longest a test waits for the server to stop


@dataclass
class Route:
    body: bytes = PDF_V1
    status: int = 200
    content_type: str | None = "application/pdf"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fail_first: int = 0  # answer 500 to this many requests before the real answer
    delay: float = 0.0  # seconds before answering at all
    trickle: float = 0.0  # seconds between 8-byte pieces of the body
    header_trickle: float = 0.0  # seconds between single bytes of the status line and headers
    send_length: bool = True  # False: no Content-Length, the body ends when the connection does
    location: str | None = None  # answer 302 to here


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        site: Site = self.server.site
        with site.lock:
            site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = site.routes.get(self.path)
            failing = route is not None and route.fail_first > 0
            if failing:
                route.fail_first -= 1
        if route is None:
            return self._answer(404)
        if route.delay:
            time.sleep(route.delay)
        if failing:
            return self._answer(500)
        if route.location:
            return self._answer(302, {"Location": route.location})
        if route.status != 200:
            return self._answer(route.status)
        if route.header_trickle:
            return self._trickle_head(route)
        validators = {"ETag": route.etag, "Last-Modified": route.last_modified}
        validators = {k: v for k, v in validators.items() if v}
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            return self._answer(304, validators)
        headers = {**validators, **route.headers}
        if route.content_type:
            headers["Content-Type"] = route.content_type
        if route.send_length:
            headers["Content-Length"] = str(len(route.body))
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not route.trickle:
            self.wfile.write(route.body)
            return
        for start in range(0, len(route.body), 8):
            self.wfile.write(route.body[start:start + 8])
            self.wfile.flush()
            time.sleep(route.trickle)

    def _trickle_head(self, route: Route) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {route.content_type}\r\nX-Pad: {'x' * 200}\r\n\r\n"
        for byte in head.encode():
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(route.header_trickle)

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 (the stdlib's name)
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout, too large) is expected here


class Site:
    """Routes by request path (query included), and every request the server saw."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.port = 0
        self.start()

    def start(self) -> None:
        """Serve on the port this site had (a new one the first time): back after an outage."""
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.running = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def seen(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for p, headers in self.requests if p == path]

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(WAIT)
