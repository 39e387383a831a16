"""The faults arXiv really serves (ARXIV-API.md §4.1), injectable one by one or at random rates."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal[
    "http_503",         # busy; with or without Retry-After
    "http_429",         # "Rate exceeded." as text/plain, usually without Retry-After
    "http_500",         # the Atom error feed with werkzeug's generic text
    "slow",             # the answer comes, late (a timeout for a client that will not wait)
    "reset",            # the connection is reset before any answer
    "truncated",        # a 200 whose body is cut short
    "empty_body",       # a 200 with 0 bytes
    "html_block",       # a 200 carrying the HTML "Access Denied" robot page
    "transient_empty",  # a valid feed with no entries and totalResults 0
    "billion_laughs",   # a feed with nested entity definitions
    "external_entity",  # a feed that asks the parser to read a local file
    "bad_resumption_token",  # OAI-PMH: the token is refused (arXiv's expire at midnight UTC)
]

ACCESS_DENIED = b"""<!DOCTYPE html>
<html><head><title>Access Denied</title></head>
<body><h1>Access Denied</h1><p>Sadly, your client does not comply with arXiv's automated access
policy and has been blocked by our automatic robot detection system.</p></body></html>
"""

BILLION_LAUGHS = b"""<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE feed [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>
"""

EXTERNAL_ENTITY = b"""<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title></feed>
"""


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    retry_after: str | None = None
    delay: float = 0.0


class FaultPlan:
    """Scripted faults (each taken by one request, in order) and random ones at set rates."""

    def __init__(self, seed: int = 0) -> None:
        self._queue: deque[Fault] = deque()
        self._rates: list[tuple[Fault, float]] = []
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def push(self, *faults: Fault | FaultKind) -> None:
        """The next requests meet these faults, one each, in order."""
        with self._lock:
            self._queue.extend(f if isinstance(f, Fault) else Fault(f) for f in faults)

    def set_rates(self, rates: dict[FaultKind, float] | list[tuple[Fault, float]], seed: int = 0) -> None:
        """Every request meets fault X with probability rates[X] (the rates must sum to ≤ 1)."""
        items = [(Fault(k), p) for k, p in rates.items()] if isinstance(rates, dict) else list(rates)
        if sum(p for _, p in items) > 1.0:
            raise ValueError("fault rates add up to more than 1")
        with self._lock:
            self._rates = items
            self._rng = random.Random(seed)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._rates = []

    def next(self) -> Fault | None:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            if not self._rates:
                return None
            roll = self._rng.random()
            for fault, rate in self._rates:
                if roll < rate:
                    return fault
                roll -= rate
            return None
