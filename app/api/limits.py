"""Limits on what one client can make the server do: request bodies, and requests that may reach arXiv.

- BodyLimits (ASGI middleware): a request body must arrive whole within BODY_TIMEOUT seconds
  (408 after that, so a client sending fewer bytes than its Content-Length does not hold a
  connection for ever) and be no larger than the largest document we accept (413).
- RateLimiter: a token bucket per client over the endpoints that can reach arXiv, refilled at
  RATE_LIMIT_PER_MINUTE; anonymous clients are known by address, a key holder by the key. A request
  takes a token before it starts and gives it back if it asked arXiv nothing (docs/SECURITY.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from threading import Lock

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.resolve.upstream_use import UpstreamUse

log = logging.getLogger(__name__)


def body_limit(max_document_bytes: int) -> int:
    """The largest body any endpoint reads: a document escaped inside JSON, or a form around it."""
    return max_document_bytes * 2 + 64 * 1024


class BodyLimits:
    """The limits come from the runtime's settings, read per request (the app is built before them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.runtime.settings
        max_bytes = body_limit(settings.max_document_bytes)
        timeout = settings.body_timeout
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await _refuse(scope, receive, send, 413,
                              f"the request body is {int(value)} bytes; the limit is {max_bytes}")
                return
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        received = 0
        finished = False

        async def limited_receive() -> Message:
            nonlocal deadline, received, finished
            if finished:
                # The body is complete: what follows is waiting for a disconnect, unbounded.
                return await receive()
            if deadline is None:
                deadline = loop.time() + timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                log.warning("request body not complete after %.0f s; answering 408 (%s %s)",
                         timeout, scope.get("method"), scope.get("path"))
                raise HTTPException(408, f"the request body did not arrive within {timeout:g} s",
                                    headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise HTTPException(413, f"the request body is over the limit of {max_bytes} bytes")
                finished = not message.get("more_body", False)
            else:
                finished = True
            return message

        await self.app(scope, limited_receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    from app.api.problems import problem

    await problem(status, detail, headers={"Connection": "close"})(scope, receive, send)


class RateLimiter:
    """Token buckets, one per client, holding `per_minute` tokens and refilled continuously."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 100_000) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = Lock()

    def take(self, client: str) -> float:
        """0 when the client may go on (a token is spent); otherwise the seconds until it may."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / rate
            self._buckets[client] = (tokens, now)
            # A forgotten client is a client with a full bucket: dropping the oldest loses nothing
            # but memory.
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        return wait

    def give_back(self, client: str) -> None:
        """Return the token `take` spent, for a request that asked arXiv nothing."""
        if self.per_minute <= 0:
            return
        with self._lock:
            entry = self._buckets.get(client)
            # A client forgotten meanwhile has a full bucket already.
            if entry is not None:
                tokens, then = entry
                self._buckets[client] = (min(float(self.per_minute), tokens + 1.0), then)


def client_identity(request: Request, api_key: str) -> str:
    """Who to count a request against: the key holder, or the client's address."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    given = given.strip()
    if api_key and scheme.lower() == "bearer" and given and hmac.compare_digest(given.encode(), api_key.encode()):
        return "key:" + hashlib.sha256(given.encode()).hexdigest()[:16]
    return "address:" + (request.client.host if request.client else "unknown")


def charge_upstream(request: Request) -> AbstractContextManager[None]:
    """Take one of the client's tokens for a request that may reach arXiv (429 when none is left);
    run the request's work inside the returned context, which gives the token back when the work
    asked arXiv nothing.

    Taken before, given back after: which requests reach arXiv is known only once they have run
    (the cache may have expired, the mirror gone stale, a cited title may need an earlier version's
    from arXiv), so a decision made beforehand could let a stranger's requests through unpaid.
    """
    limiter: RateLimiter = request.app.state.rate_limiter
    runtime = request.app.state.runtime
    client = client_identity(request, runtime.settings.api_key)
    wait = limiter.take(client)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise HTTPException(429, f"too many requests that reached arXiv: at most {limiter.per_minute} a "
                                 "minute per client (RATE_LIMIT_PER_MINUTE; answers from the cache or the "
                                 f"mirror do not count); try again in {seconds} s",
                            headers={"Retry-After": str(seconds)})
    return _given_back_unless_asked(limiter, client)


@contextmanager
def _given_back_unless_asked(limiter: RateLimiter, client: str) -> Iterator[None]:
    with UpstreamUse() as use:
        try:
            yield
        finally:
            # An error or a client gone away after arXiv was asked keeps the token spent.
            if not use.asked:
                limiter.give_back(client)
