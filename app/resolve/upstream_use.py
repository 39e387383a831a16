"""Whether the work done for one caller asked arXiv anything.

The API's rate limit (app/api/limits.py) takes a client's token before a request that may reach
arXiv and gives it back when the request asked nothing: answered wholly from the cache or the
mirror, or from answers another request was already fetching. The two places that put a request to
arXiv on a caller's behalf (the id fetcher's queue, the title search) call `note_upstream`.

The record lives in a context variable, so concurrent requests, each its own asyncio task, are told
apart; outside a `with UpstreamUse()` (the CLI, the refresh job) noting does nothing.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from types import TracebackType

_current: ContextVar[UpstreamUse | None] = ContextVar("upstream_use", default=None)


class UpstreamUse:
    """`asked` becomes True when the work inside `with` put anything to arXiv."""

    def __init__(self) -> None:
        self.asked = False
        self._token: Token[UpstreamUse | None] | None = None

    def __enter__(self) -> UpstreamUse:
        self._token = _current.set(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None


def note_upstream() -> None:
    """Record that the current caller is about to ask arXiv (called before the request is queued)."""
    use = _current.get()
    if use is not None:
        use.asked = True
