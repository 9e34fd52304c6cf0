"""TCP peers that are not (well-behaved) PostgreSQL servers, for connection error tests."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def tcp_server(behaviour: str) -> Iterator[int]:
    """A listener on 127.0.0.1 that behaves as asked; yields its port.

    silent: accepts nothing, so the client waits until its connect_timeout;
    http: answers like a web server; hangup: accepts and closes at once.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                if behaviour == "http":
                    with contextlib.suppress(OSError):
                        conn.recv(1024)
                        conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    thread = None
    if behaviour != "silent":
        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
    try:
        yield port
    finally:
        stop.set()
        listener.close()
        if thread is not None:
            thread.join(2)
