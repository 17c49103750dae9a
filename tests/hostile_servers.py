"""Local HTTP hosts that behave badly on purpose, on 127.0.0.1 and a free port, each in a thread."""
from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from pathlib import Path


def free_port() -> int:
    """A port nothing listens on (yet): a host that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class FileHost:
    """A static file server for `folder`, started on `port` (0: any free one)."""

    def __init__(self, folder: Path, port: int = 0):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SilentHost:
    """Accepts every connection and never answers (or, with `drip`, answers one byte every `drip` seconds)."""

    def __init__(self, drip: float | None = None):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.drip = drip
        self.connections = 0
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)
            if self.drip:
                threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
            while not self.stopped.is_set():
                conn.sendall(b"x")
                time.sleep(self.drip)
        except OSError:
            pass

    def stop(self) -> None:
        self.stopped.set()
        for conn in self.held:
            conn.close()
        self.listener.close()


class ErrorHost(FileHost):
    """Answers every request with HTTP `status`."""

    def __init__(self, status: int):
        class Handler(_QuietHandler):
            def do_GET(self):
                self.send_error(status)

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
