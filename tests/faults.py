"""A fault-injecting HTTP proxy in front of a real sandbox, for faults it cannot produce.

The sandbox makes real 429s itself; a 503 from a load balancer and a connection
reset (before or after the server handled the request) come from this proxy. One
request per connection (``Connection: close``), which requests handles.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable

Plan = Callable[[int, str, str], str]  # (request number, method, path) -> action


class FaultProxy:
    """Actions: ``pass``, ``503``, ``reset_before``, ``reset_after``, ``429``, ``404``
    (the real server's answer to a value read while InfluxDB times out, on cue), and
    ``delay:S`` (pass after S seconds: a slow provider, to make two callers overlap).
    ``keep_bodies`` records each request's ``(method, path, body)``."""

    def __init__(self, upstream_port: int, plan: Plan, keep_bodies: bool = False):
        self.upstream_port = upstream_port
        self.plan = plan
        self.count = 0
        self.actions: list[str] = []
        self.keep_bodies = keep_bodies
        self.bodies: list[tuple[str, str, bytes]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                proxy._handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, conn: socket.socket) -> None:
        request = _read_request(conn)
        if request is None:
            return
        head = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        with self._lock:
            self.count += 1
            action = self.plan(self.count, head[0], head[1])
            self.actions.append(action)
            if self.keep_bodies:
                self.bodies.append((head[0], head[1], request.partition(b"\r\n\r\n")[2]))
        if action.startswith("delay:"):
            time.sleep(float(action.split(":", 1)[1]))
        if action == "reset_before":
            return _reset(conn)
        if action == "404":
            text = (
                b'{"status":404,"message":"Resource not found","name":"DCD Hub Error",'
                b'"hint":"Property not found in the thing.","requirements":""}'
            )
            conn.sendall(
                b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(text)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + text
            )
            conn.close()
            return
        if action in ("503", "429"):
            text = (
                b"Service Unavailable"
                if action == "503"
                else b"Too many requests, please try again later."
            )
            status = b"503 Service Unavailable" if action == "503" else b"429 Too Many Requests"
            extra = b"Retry-After: 1\r\n" if action == "429" else b""
            conn.sendall(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: text/plain\r\n"
                + extra
                + b"Content-Length: "
                + str(len(text)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + text
            )
            conn.close()
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        upstream.sendall(_force_close(request))
        response = _read_all(upstream)
        upstream.close()
        if action == "reset_after":
            return _reset(conn)
        conn.sendall(response)
        conn.close()


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def _force_close(request: bytes) -> bytes:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n" + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
