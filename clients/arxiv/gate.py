"""Politeness: one request in flight and `min_interval` seconds between request starts.

arXiv's terms: "no more than one request every three seconds, and a single connection at a time",
counted over every machine an operator controls. IntervalGate covers one process; a service with
several processes supplies its own RequestGate (arxiv-enrich shares one through its database).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class RequestGate(Protocol):
    """Holding `slot()` means: this request is the only one in flight, and it may start now."""

    def slot(self) -> AbstractAsyncContextManager[None]: ...


class IntervalGate:
    """The in-process gate: an asyncio lock and the start time of the previous request."""

    def __init__(self, min_interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._last_start: float | None = None
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        async with self._loop_lock():
            if self._last_start is not None:
                wait = self._last_start + self.min_interval - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last_start = self._clock()
            yield

    def slot(self) -> AbstractAsyncContextManager[None]:
        return self._slot()
