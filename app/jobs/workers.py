"""Who a worker is ("host:pid"), and whether a worker of this machine is still alive.

Refresh passes and mirror windows are held by a named worker that renews a heartbeat; a holder
whose process is gone (same machine) or whose heartbeat stopped was killed, and its work may be
taken over.
"""

from __future__ import annotations

import os
import socket


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_gone(worker: str) -> bool:
    """Whether `worker` ("host:pid") names a process of this machine that no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
