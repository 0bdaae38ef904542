"""Whether the internet is reachable, within a second: the optional cells that download
(ImageNet weights, remote datasets) ask first and say so when offline (notebook 04).
"""

from __future__ import annotations

import socket
import threading


def online(host: str = "storage.googleapis.com", port: int = 443, timeout: float = 1.0) -> bool:
    """Whether a TCP connection to host:port opens within about ``timeout`` seconds.

    Name resolution runs in a thread, so this returns in at most timeout + 0.5 s even where
    DNS hangs. Used by the optional ImageNet cells before keras tries to download anything.
    """
    opened: list[bool] = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            opened.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return bool(opened)
