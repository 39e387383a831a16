"""A small in-process cache of rendered paper responses, in front of the SQL cache.

GET /v1/papers/{id} is the hottest read; rendering a row costs more than serving it. Entries live
HOT_SECONDS, so a paper the refresh job changed in another process shows within that; a pass in
this process makes the cache forget what it changed at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock

HOT_SECONDS = 60.0
MAX_ENTRIES = 10_000


class HotPapers:
    def __init__(self, ttl: float = HOT_SECONDS, size: int = MAX_ENTRIES) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._lock = Lock()

    def get(self, base: str, version: int | None) -> bytes | None:
        with self._lock:
            entry = self._entries.get(base)
            if entry is None:
                return None
            expires, latest, body = entry
            if expires < time.monotonic() or (version is not None and not 1 <= version <= latest):
                return None
            self._entries.move_to_end(base)
            return body

    def forget(self, bases: list[str]) -> None:
        with self._lock:
            for base in bases:
                self._entries.pop(base, None)

    def put(self, base: str, latest: int, body: bytes) -> None:
        with self._lock:
            self._entries[base] = (time.monotonic() + self._ttl, latest, body)
            self._entries.move_to_end(base)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
