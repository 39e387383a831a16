"""Which failures are worth another try, and how long to wait before it (built on tenacity).

Transient: timeouts, resets, 5xx, 429, bodies that are empty, cut short or not Atom, and the API's
known transient empty page. Not transient: arXiv's 400 error feed (the request itself is wrong).
Waits grow exponentially with full jitter; a Retry-After header wins when present. arXiv's 429
"Rate exceeded." usually comes without one, so a 429 waits at least RATE_LIMIT_FLOOR seconds.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

BASE_WAIT = 1.0
MAX_WAIT = 60.0
RATE_LIMIT_FLOOR = 15.0
MAX_RETRY_AFTER = 120.0


class TransientFailure(Exception):
    """One attempt failed in a way another attempt may not; `kind` names it for metrics."""

    def __init__(self, kind: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - (now or datetime.now(UTC))).total_seconds(), MAX_RETRY_AFTER))


@dataclass
class RetryPolicy:
    """How many retries and how long between them; `sleep` is replaceable so tests never wait."""

    max_retries: int = 5
    sleep: Callable[[float], Awaitable[None]] | None = None
    on_retry: Callable[[str, int], None] | None = None
    rng: random.Random = field(default_factory=random.Random)

    def wait_for(self, failure: TransientFailure, attempt: int) -> float:
        if failure.retry_after is not None:
            return failure.retry_after
        backoff = self.rng.uniform(0, min(MAX_WAIT, BASE_WAIT * 2 ** (attempt - 1)))
        if failure.kind == "http_429":
            return max(RATE_LIMIT_FLOOR, backoff)
        return backoff

    def _wait(self, state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        if not isinstance(failure, TransientFailure):
            return BASE_WAIT
        return self.wait_for(failure, state.attempt_number)

    def _before_sleep(self, state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        if self.on_retry is not None and isinstance(failure, TransientFailure):
            self.on_retry(failure.kind, state.attempt_number)

    def retrying(self) -> AsyncRetrying:
        kwargs = {"sleep": self.sleep} if self.sleep is not None else {}
        return AsyncRetrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(TransientFailure),
            before_sleep=self._before_sleep,
            reraise=True,
            **kwargs,  # type: ignore[arg-type]
        )
