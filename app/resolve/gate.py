"""Politeness across processes: one upstream request at a time, ARXIV_MIN_INTERVAL apart.

arXiv's terms count every machine of one operator together, so every process that shares our
database shares one gate: on SQLite a lock file beside the database, on PostgreSQL a row locked
FOR UPDATE for the length of the request (its timestamp read from the server's clock, so
machines with skewed clocks still agree). Both implement clients.arxiv's RequestGate protocol.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from clients.arxiv import RequestGate

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class _LoopLocks:
    """An asyncio.Lock per event loop: the CLI runs several loops in one process over time."""

    def __init__(self) -> None:
        self._locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()

    def get(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


class _Handoff(Generic[T]):
    """A lock taken by a thread for a task: handed to the task, or released by whichever of the two
    learns that the task has gone."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held: T | None = None
        self._abandoned = False

    def take(self, held: T) -> bool:
        """The thread has the lock: False when the task has gone (the thread must release it)."""
        with self._guard:
            if self._abandoned:
                return False
            self._held = held
            return True

    def abandon(self) -> T | None:
        """The task has gone: what the thread already handed over, to release, if anything."""
        with self._guard:
            self._abandoned = True
            held, self._held = self._held, None
            return held


async def held_in_thread(acquire: Callable[[], T], release: Callable[[T], None]) -> T:
    """acquire() run in a thread (it blocks until the lock is free), safe to cancel: a task cancelled
    while the thread waits (a server shutting down mid-pass) must not leave the lock held by nobody,
    or every other process's requests wait for it forever."""
    handoff: _Handoff[T] = _Handoff()

    def take() -> T:
        held = acquire()
        if not handoff.take(held):
            release(held)
        return held

    try:
        return await asyncio.to_thread(take)
    except asyncio.CancelledError:
        orphan = handoff.abandon()
        if orphan is not None:
            release(orphan)
        raise


class FileGate:
    """The gate for SQLite deployments: an flock'd file that also holds the last start time."""

    def __init__(self, path: Path, min_interval: float, *, sleep: Sleep = asyncio.sleep) -> None:
        self.path = path
        self.min_interval = min_interval
        self._sleep = sleep
        self._local = _LoopLocks()

    def _acquire(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    @staticmethod
    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        # Coroutines of this process queue on the asyncio lock, so only one thread waits on flock.
        async with self._local.get():
            fd = await held_in_thread(self._acquire, self._release)
            try:
                raw = os.pread(fd, 64, 0).decode("ascii", "ignore").strip()
                last = float(raw) if raw else 0.0
                wait = last + self.min_interval - time.time()
                if wait > 0:
                    await self._sleep(min(wait, self.min_interval))
                stamp = f"{time.time():.6f}".encode().ljust(32)
                os.pwrite(fd, stamp, 0)
                yield
            finally:
                self._release(fd)

    def slot(self) -> AbstractAsyncContextManager[None]:
        return self._slot()


class PostgresGate:
    """The gate for PostgreSQL deployments: the upstream_gate row, locked while a request runs."""

    def __init__(self, engine: Engine, min_interval: float, *, name: str = "arxiv-api",
                 sleep: Sleep = asyncio.sleep) -> None:
        self.engine = engine
        self.min_interval = min_interval
        self.name = name
        self._sleep = sleep
        self._local = _LoopLocks()

    def _lock_row(self) -> tuple[Connection, float]:
        connection = self.engine.connect()
        try:
            connection.execute(
                text("INSERT INTO upstream_gate (name, last_request_at) VALUES (:n, 'epoch') "
                     "ON CONFLICT (name) DO NOTHING"), {"n": self.name})
            connection.commit()
            wait = connection.execute(
                text("SELECT EXTRACT(EPOCH FROM (last_request_at + make_interval(secs => :i) "
                     "- clock_timestamp())) FROM upstream_gate WHERE name = :n FOR UPDATE"),
                {"n": self.name, "i": self.min_interval},
            ).scalar_one()
        except BaseException:
            connection.rollback()
            connection.close()
            raise
        return connection, float(wait)

    def _stamp_and_keep(self, connection: Connection) -> None:
        connection.execute(text("UPDATE upstream_gate SET last_request_at = clock_timestamp() "
                                "WHERE name = :n"), {"n": self.name})

    @staticmethod
    def _finish(connection: Connection) -> None:
        try:
            connection.commit()
        finally:
            connection.close()

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        async with self._local.get():
            connection, wait = await held_in_thread(self._lock_row, lambda held: self._finish(held[0]))
            try:
                if wait > 0:
                    await self._sleep(min(wait, self.min_interval))
                await asyncio.to_thread(self._stamp_and_keep, connection)
                yield
            finally:
                # Committing releases the row: the next process may start its request now.
                await asyncio.to_thread(self._finish, connection)

    def slot(self) -> AbstractAsyncContextManager[None]:
        return self._slot()


def gate_for(engine: Engine, min_interval: float) -> RequestGate:
    """The gate that every process sharing `engine`'s database agrees on."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        if database and database != ":memory:":
            return FileGate(Path(database + ".arxiv-gate"), min_interval)
        return FileGate(Path(tempfile.gettempdir()) / f"arxiv-enrich-{os.getuid()}.gate", min_interval)
    return PostgresGate(engine, min_interval)
