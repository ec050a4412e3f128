"""Ports for the servers the tests start (PostgreSQL, the SMTP sink, gunicorn).

Asking the kernel for port 0 and closing the socket again hands out a port from Linux's ephemeral
range (32768–60999): until the server binds it, any outgoing connection on the machine, or another
test's port-0 request, may be given the same number, and two calls in a row may even return the same
port. Under load that made a server test fail about one run in ten. So ports come from below that
range, each pytest-xdist worker draws from its own block, and no port is handed out twice in a run.
"""

from __future__ import annotations

import os
import random
import socket

BLOCK = 2000  # ports per xdist worker
FIRST = 20000  # below the ephemeral range, above the well-known and most registered services

_handed_out: set[int] = set()


def _worker_number() -> int:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw0", "gw1", … or unset without xdist
    digits = name.removeprefix("gw")
    return int(digits) % 6 if digits.isdigit() else 0  # six blocks stay below 32768


def free_port() -> int:
    """A port on 127.0.0.1 that nothing holds now and this run has not handed out before."""
    start = FIRST + _worker_number() * BLOCK
    for _ in range(500):
        port = start + random.randrange(BLOCK)
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:  # in use, or still in TIME_WAIT from an earlier server
                continue
        _handed_out.add(port)
        return port
    raise AssertionError(f"no free port among {start}–{start + BLOCK - 1} after 500 tries")
