"""Tests for course.internet: the offline probe."""

from __future__ import annotations

from course import internet


def test_online_says_no_fast_where_nothing_listens():
    """Does the offline probe say False, at once, for a closed port on this machine?"""
    import socket
    import time

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    assert internet.online(host="127.0.0.1", port=port, timeout=0.5) is False
    assert time.perf_counter() - start < 1.5
