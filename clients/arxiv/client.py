"""A polite, fault-tolerant arXiv client: batched id lookups, searches and OAI-PMH harvesting.

Politeness: every request passes a RequestGate (one request in flight, `min_interval` seconds
apart; the default gate covers one process, the service plugs in one shared by all its processes).
Faults: see retry.py. An id is "not found" only when two complete, well-formed answers lack it
(ARXIV-API.md §4.2: arXiv's transient empty pages look exactly like "no such paper").
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Literal, TypeVar

import httpx

from clients.arxiv.atom import AtomFeed, parse_feed
from clients.arxiv.errors import ArxivApiError, MalformedResponse, OaiError, PartialLookup, UpstreamUnavailable
from clients.arxiv.gate import IntervalGate, RequestGate
from clients.arxiv.ids import ArxivId, parse_id
from clients.arxiv.oai import OaiPage, parse_oai_page
from clients.arxiv.records import Paper
from clients.arxiv.retry import RetryPolicy, TransientFailure, parse_retry_after

T = TypeVar("T")
# The API's own caps (ARXIV-API.md §3.1): pages of at most 2000, no result past 10,000.
MAX_PAGE = 2000
MAX_WINDOW = 10_000
# Answers that must agree that an id is missing before it is NotFound (the first one included,
# plus this many): a transient empty page twice in a row is far rarer than once.
CONFIRMATIONS = 2


def _package_version() -> str:
    try:
        return version("arxiv-enrich")
    except PackageNotFoundError:
        return "0.0.0"


@dataclass(frozen=True, slots=True)
class ClientConfig:
    api_url: str = "https://export.arxiv.org/api/query"
    oai_url: str = "https://oaipmh.arxiv.org/oai"
    batch_size: int = 500
    timeout: float = 30.0
    max_retries: int = 5
    min_interval: float = 3.0
    contact: str = ""

    @property
    def user_agent(self) -> str:
        base = f"arxiv-enrich/{_package_version()}"
        return f"{base} (mailto:{self.contact})" if self.contact else base


class ClientHooks:
    """Callbacks for metrics; subclass and override what you need (both are no-ops here)."""

    def request_done(self, outcome: str, seconds: float) -> None:
        """One HTTP request finished: ok, http_429, http_5xx, http_4xx, timeout, connection,
        malformed or transient_empty."""

    def retrying(self, reason: str, attempt: int) -> None:
        """A failed attempt (`attempt`, counted from 1) is about to be retried."""


@dataclass(frozen=True, slots=True)
class Found:
    """The asked id exists. `paper` is the asked version (the latest for a bare id)."""

    paper: Paper
    latest: Paper


@dataclass(frozen=True, slots=True)
class NotFound:
    """Two complete answers from arXiv lacked this id."""


@dataclass(frozen=True, slots=True)
class VersionNotFound:
    """The paper exists but not in the asked version; `latest` is what exists."""

    latest: Paper


Lookup = Found | NotFound | VersionNotFound


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    start: int
    papers: tuple[Paper, ...]


def _as_id(value: ArxivId | str) -> ArxivId:
    return value if isinstance(value, ArxivId) else parse_id(value)


class ArxivClient:
    """The arXiv API and OAI-PMH. Use as `async with ArxivClient(config) as client:`."""

    def __init__(self, config: ClientConfig | None = None, *, http: httpx.AsyncClient | None = None,
                 gate: RequestGate | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 hooks: ClientHooks | None = None) -> None:
        self.config = config or ClientConfig()
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=self.config.timeout, follow_redirects=True)
        self._gate = gate or IntervalGate(self.config.min_interval, sleep=sleep)
        self._hooks = hooks or ClientHooks()
        self._policy = RetryPolicy(self.config.max_retries, sleep=sleep, on_retry=self._hooks.retrying)

    async def __aenter__(self) -> ArxivClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    # -- one request -------------------------------------------------------------------------

    async def _send(self, method: str, url: str, *, params: dict[str, str] | None = None,
                    data: dict[str, str] | None = None) -> httpx.Response:
        headers = {"User-Agent": self.config.user_agent}
        started = time.monotonic()
        outcome = "ok"
        try:
            async with self._gate.slot():
                started = time.monotonic()
                response = await self._http.request(method, url, params=params, data=data,
                                                    headers=headers, timeout=self.config.timeout)
        except httpx.TimeoutException as exc:
            outcome = "timeout"
            raise TransientFailure("timeout", str(exc) or "timed out") from None
        except httpx.TransportError as exc:
            outcome = "connection"
            raise TransientFailure("connection", f"{type(exc).__name__}: {exc}") from None
        finally:
            if outcome != "ok":
                self._hooks.request_done(outcome, time.monotonic() - started)
        status = response.status_code
        outcome = ("http_429" if status == 429 else "http_5xx" if status >= 500
                   else "http_4xx" if status >= 400 else "ok")
        self._hooks.request_done(outcome, time.monotonic() - started)
        if status == 429 or status >= 500 or status == 403:
            # 403 is arXiv's robot block page: retried, and unverified in the end, never "missing".
            raise TransientFailure(outcome if status != 403 else "http_4xx", f"HTTP {status}",
                                   parse_retry_after(response.headers.get("retry-after")))
        return response

    async def _call(self, attempt: Callable[[], Awaitable[T]]) -> T:
        last: TransientFailure | None = None
        tries = 0
        try:
            async for round_ in self._policy.retrying():
                with round_:
                    tries += 1
                    return await attempt()
        except TransientFailure as exc:
            last = exc
        reason = last.detail if last else "no answer"
        raise UpstreamUnavailable(f"{last.kind}: {reason}" if last else reason, attempts=tries)

    # -- the API -----------------------------------------------------------------------------

    def _feed(self, response: httpx.Response) -> AtomFeed:
        if response.status_code >= 400:
            with contextlib.suppress(MalformedResponse):
                parse_feed(response.content, status=response.status_code)
            raise ArxivApiError(f"HTTP {response.status_code}", status=response.status_code)
        try:
            return parse_feed(response.content)
        except MalformedResponse as exc:
            raise TransientFailure("malformed", str(exc)) from None

    async def _id_batch(self, asked: list[str]) -> AtomFeed:
        # POST, form-encoded: long id lists do not fit in a URL. max_results defaults to 10.
        form = {"id_list": ",".join(asked), "start": "0", "max_results": str(len(asked))}

        async def attempt() -> AtomFeed:
            feed = self._feed(await self._send("POST", self.config.api_url, data=form))
            if not feed.papers and feed.total > 0:
                raise TransientFailure("transient_empty", "totalResults > 0 but no entries")
            return feed

        return await self._call(attempt)

    async def _answer(self, asked: list[str]) -> tuple[dict[str, Paper], UpstreamUnavailable | None]:
        """Papers answering each asked id string (bare → latest, vN → that version), and the
        failure that stopped the batches early (the answers before it are kept)."""
        answered: dict[str, Paper] = {}
        for start in range(0, len(asked), self.config.batch_size):
            batch = asked[start:start + self.config.batch_size]
            try:
                feed = await self._id_batch(batch)
            except UpstreamUnavailable as exc:
                return answered, exc
            latest: dict[str, Paper] = {}
            for paper in feed.papers:
                answered[paper.versioned_id] = paper
                if paper.arxiv_id not in latest or paper.version > latest[paper.arxiv_id].version:
                    latest[paper.arxiv_id] = paper
            for base, paper in latest.items():
                if base in batch:
                    answered.setdefault(base, paper)
        return answered, None

    async def lookup(self, ids: Iterable[ArxivId | str]) -> dict[ArxivId, Lookup]:
        """An answer for every id: Found, NotFound or VersionNotFound. Entries are matched by id,
        never by order. Raises UpstreamUnavailable when arXiv cannot give a complete answer:
        PartialLookup, holding the ids already answered, when it failed part-way."""
        wanted = list(dict.fromkeys(_as_id(i) for i in ids))
        asked = list(dict.fromkeys(
            s for i in wanted for s in ((i.versioned, i.base) if i.version else (i.base,))))
        answered, failure = await self._answer(asked)
        for _ in range(CONFIRMATIONS):
            missing = [s for s in asked if s not in answered]
            if failure is not None or not missing:
                break
            # An empty answer can be one of arXiv's transient empty pages: ask again (only the
            # ids still missing) before believing that a paper does not exist.
            more, failure = await self._answer(missing)
            answered.update(more)
        if failure is not None:
            if not answered:
                raise failure
            # What arXiv returned stays true; only "missing" needed the rounds that failed.
            found: dict[object, object] = {}
            for arxiv_id in wanted:
                paper = answered.get(arxiv_id.versioned)
                if paper is not None:
                    found[arxiv_id] = Found(paper, answered.get(arxiv_id.base) or paper)
            raise PartialLookup(failure.reason, failure.attempts, found)
        results: dict[ArxivId, Lookup] = {}
        for arxiv_id in wanted:
            latest = answered.get(arxiv_id.base)
            if arxiv_id.version is None:
                results[arxiv_id] = Found(latest, latest) if latest else NotFound()
                continue
            exact = answered.get(arxiv_id.versioned)
            if exact is not None:
                results[arxiv_id] = Found(exact, latest or exact)
            elif latest is not None:
                results[arxiv_id] = VersionNotFound(latest)
            else:
                results[arxiv_id] = NotFound()
        return results

    async def search(self, query: str, *, start: int = 0, max_results: int = 100,
                     sort_by: Literal["relevance", "lastUpdatedDate", "submittedDate"] = "relevance",
                     sort_order: Literal["ascending", "descending"] = "descending") -> SearchPage:
        """One page of a search_query (arXiv's grammar; quote phrases, write AND explicitly)."""
        if not 1 <= max_results <= MAX_PAGE:
            raise ValueError(f"max_results must be between 1 and {MAX_PAGE}")
        if start < 0 or start + max_results > MAX_WINDOW:
            raise ValueError(f"arXiv serves no result past the first {MAX_WINDOW}")
        params = {"search_query": query, "start": str(start), "max_results": str(max_results),
                  "sortBy": sort_by, "sortOrder": sort_order}

        async def attempt() -> SearchPage:
            feed = self._feed(await self._send("GET", self.config.api_url, params=params))
            # An empty page inside the result window is arXiv's transient empty page.
            if not feed.papers and feed.total > start:
                raise TransientFailure("transient_empty", f"no entries at {start} of {feed.total}")
            return SearchPage(feed.total, start, feed.papers)

        return await self._call(attempt)

    async def search_all(self, query: str, *, limit: int = 1000, page_size: int = 100,
                         sort_by: Literal["relevance", "lastUpdatedDate", "submittedDate"] = "relevance",
                         ) -> AsyncIterator[Paper]:
        """Every result of a query, page by page, up to `limit` (and arXiv's 10,000 window)."""
        limit = min(limit, MAX_WINDOW)
        start = 0
        while start < limit:
            size = min(page_size, MAX_PAGE, limit - start)
            page = await self.search(query, start=start, max_results=size, sort_by=sort_by)
            for paper in page.papers:
                yield paper
            start += size
            if start >= page.total:
                return

    # -- OAI-PMH -----------------------------------------------------------------------------

    async def _oai_page(self, params: dict[str, str]) -> OaiPage:
        async def attempt() -> OaiPage:
            response = await self._send("GET", self.config.oai_url, params=params)
            if response.status_code >= 400:
                raise OaiError("http", f"HTTP {response.status_code}")
            try:
                return parse_oai_page(response.content)
            except MalformedResponse as exc:
                raise TransientFailure("malformed", str(exc)) from None

        return await self._call(attempt)

    async def list_records(self, *, metadata_prefix: Literal["arXiv", "arXivRaw"] = "arXivRaw",
                           from_: date | None = None, until: date | None = None, set_: str | None = None,
                           resumption_token: str | None = None) -> OaiPage:
        """One ListRecords page: the first of a window (from_, until, set_), or the one a stored
        `resumption_token` names (the other arguments are then ignored, as OAI-PMH wants).

        No matching records is an empty page without a token. Transient faults (503 with or
        without Retry-After, 429, bodies cut short) are retried; OaiError with code
        "badResumptionToken" means arXiv no longer knows the token (they expire at midnight UTC):
        start again from a date.
        """
        if resumption_token:
            params = {"verb": "ListRecords", "resumptionToken": resumption_token}
        else:
            params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
            if from_:
                params["from"] = from_.isoformat()
            if until:
                params["until"] = until.isoformat()
            if set_:
                params["set"] = set_
        return await self._oai_page(params)

    async def harvest(self, *, metadata_prefix: Literal["arXiv", "arXivRaw"] = "arXivRaw",
                      from_: date | None = None, until: date | None = None,
                      set_: str | None = None) -> AsyncIterator[OaiPage]:
        """ListRecords page by page, following resumption tokens; no matching records → no pages."""
        page = await self.list_records(metadata_prefix=metadata_prefix, from_=from_, until=until, set_=set_)
        while True:
            if not page.records and not page.deleted and not page.resumption_token:
                return
            yield page
            if not page.resumption_token:
                return
            page = await self.list_records(resumption_token=page.resumption_token)


class SyncArxivClient:
    """The same client for scripts without an event loop.

    One event loop, one client and so one gate serve every call, so successive calls keep
    `min_interval` apart like the async client's. Close it (or use `with`) when done.
    """

    def __init__(self, config: ClientConfig | None = None) -> None:
        self.config = config or ClientConfig()
        self._runner = asyncio.Runner()
        self._client: ArxivClient | None = None

    def __enter__(self) -> SyncArxivClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._runner.run(self._client.aclose())
            self._client = None
        self._runner.close()

    def _run(self, work: Callable[[ArxivClient], Awaitable[T]]) -> T:
        async def go() -> T:
            if self._client is None:
                # Made inside the loop: httpx's connections belong to the loop that opened them.
                self._client = ArxivClient(self.config)
            return await work(self._client)

        return self._runner.run(go())

    def lookup(self, ids: Iterable[ArxivId | str]) -> dict[ArxivId, Lookup]:
        wanted = list(ids)
        return self._run(lambda client: client.lookup(wanted))

    def search(self, query: str, *, start: int = 0, max_results: int = 100) -> SearchPage:
        return self._run(lambda client: client.search(query, start=start, max_results=max_results))
