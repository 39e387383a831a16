"""The offline arXiv: a real HTTP server on loopback speaking the current API and OAI-PMH.

It answers as the current server does (ARXIV-API.md §2–§3, §6): id_list by GET and POST (form or
raw body), the search_query grammar, paging, the 400 error feeds, 500 past the 10,000 window, an
empty 200 feed for unknown ids and versions; and OAI-PMH ListRecords/GetRecord/Identify in the
arXiv and arXivRaw formats with resumption tokens. Faults come from a FaultPlan. Every request is
logged, so tests can count upstream requests and check what was sent.
"""

from __future__ import annotations

import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.arxiv_standin import atom_writer, oai_writer
from tests.arxiv_standin.corpus import Corpus, StandinPaper
from tests.arxiv_standin.faults import ACCESS_DENIED, BILLION_LAUGHS, EXTERNAL_ENTITY, Fault, FaultPlan
from tests.arxiv_standin.query import QueryError, adapt, evaluate, parse, relevance

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# The current server's loose id check (arxiv-base parse_arxiv_id uses re.search).
_LOOSE_ID = re.compile(r"\d{4}\.\d{4,5}(v\d*)?|[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?")
WERKZEUG_500 = ("The server encountered an internal error and was unable to complete your request. "
                "Either the server is overloaded or there is an error in the application.")
MAX_WINDOW = 10_000


@dataclass
class RequestRecord:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    started: float
    finished: float = 0.0
    status: int = 0
    fault: str | None = None

    @property
    def ids(self) -> list[str]:
        return [i for i in self.params.get("id_list", "").split(",") if i]


@dataclass
class StandinState:
    corpus: Corpus
    faults: FaultPlan = field(default_factory=FaultPlan)
    log: list[RequestRecord] = field(default_factory=list)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    oai_page_size: int = 100
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Requests being answered now, and the most there ever were at once: "one request at a time"
    # is checked by counting, not by comparing clocks.
    in_flight: int = 0
    most_in_flight: int = 0


class ApiError(Exception):
    def __init__(self, status: int, message: str, fragment: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fragment = fragment


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer", f"{name}_must_be_an_integer") from None
    if value < 0:
        raise ApiError(400, f"{name} must be non-negative", f"{name}_must_be_non-negative")
    return value


def _match_ids(corpus: Corpus, ids: list[str]) -> list[tuple[StandinPaper, int]]:
    """Exact matches only, like the real index: "arXiv:…", " 1810.04805" or "…V2" match nothing."""
    found: dict[tuple[str, int], tuple[StandinPaper, int]] = {}
    for raw in ids:
        versioned = re.fullmatch(r"(.+)v(\d+)", raw)
        base, version = (versioned[1], int(versioned[2])) if versioned else (raw, None)
        paper = corpus.get(base)
        if paper is None:
            continue
        wanted = version if version is not None else paper.latest_version
        if 1 <= wanted <= paper.latest_version:
            found[(paper.arxiv_id, wanted)] = (paper, wanted)
    return list(found.values())


def api_answer(state: StandinState, params: dict[str, str]) -> tuple[int, bytes]:
    """The API's answer to one request's parameters: (status, body)."""
    now = state.now()
    try:
        start = _int_param(params, "start", 0)
        max_results = _int_param(params, "max_results", 10)
        sort_by = params.get("sortBy", "relevance")
        if sort_by not in ("relevance", "lastUpdatedDate", "submittedDate"):
            raise ApiError(400, "sortBy must be in: relevance, lastUpdatedDate, submittedDate", None)
        if params.get("sortOrder", "descending") not in ("ascending", "descending"):
            raise ApiError(400, "sortOrder must be in: ascending, descending", None)
        raw_query = params.get("search_query", "")
        id_text = params.get("id_list", "")
        if not raw_query and not id_text:
            raise ApiError(400, "Either a search_query or id_list must be specified for the classic API.",
                           None)
        ids = id_text.split(",") if id_text else []
        for item in ids:
            if not _LOOSE_ID.search(item):
                raise ApiError(400, f"incorrect id format for {item}", f"incorrect_id_format_for_{item}")
        if max_results == 0 or max_results > MAX_WINDOW or start + max_results > MAX_WINDOW:
            raise ApiError(500, WERKZEUG_500, None)
        adapted = " ".join(adapt(raw_query)) if raw_query else ""
        node = None
        if adapted:
            try:
                node = parse(adapt(raw_query))
            except QueryError:
                raise ApiError(400, f"Invalid query string: '{raw_query}'", None) from None
        if ids:
            candidates = _match_ids(state.corpus, ids)
            if node is not None:
                candidates = [(p, v) for p, v in candidates if evaluate(node, p)]
        elif node is not None:
            candidates = [(p, p.latest_version) for p in state.corpus.search_index().matching(node)]
        else:
            candidates = [(p, p.latest_version) for p in state.corpus]
        if node is not None and sort_by == "relevance":
            candidates.sort(key=lambda pv: (-relevance(node, pv[0]), pv[0].arxiv_id))
        elif sort_by == "lastUpdatedDate":
            candidates.sort(key=lambda pv: pv[0].version_dates[pv[1] - 1])
        else:
            # id_list answers come ordered by publication date, not in request order (§2.2).
            candidates.sort(key=lambda pv: pv[0].version_dates[0])
        if params.get("sortOrder", "descending") == "descending" and (sort_by != "relevance" or node is None):
            candidates.reverse()
        page = candidates[start:start + max_results]
        body = atom_writer.feed_xml(query=adapted, ids=ids, start=start, max_results=max_results,
                                    total=len(candidates), entries=page, now=now)
        return 200, body
    except ApiError as error:
        return error.status, atom_writer.error_feed(error.message, fragment=error.fragment, now=now)


def _empty_feed(state: StandinState, params: dict[str, str]) -> bytes:
    ids = [i for i in params.get("id_list", "").split(",") if i]
    return atom_writer.feed_xml(query=" ".join(adapt(params.get("search_query", ""))), ids=ids,
                                start=int(params.get("start") or 0),
                                max_results=int(params.get("max_results") or 10), total=0, entries=[],
                                now=state.now())


class Handler(BaseHTTPRequestHandler):
    server: StandinServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is in state.log."""

    def _params(self) -> dict[str, str]:
        query = urlsplit(self.path).query
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
        return params

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              *, cut: bool = False) -> None:
        self._answered()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if cut:
            # No Content-Length: the client reads to the close and gets a body cut short.
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        self._answered()
        # SO_LINGER 0: close() sends RST, as arXiv's proxies do under load (errno 104).
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _handle(self) -> None:
        state = self.server.state
        record = RequestRecord(self.command, urlsplit(self.path).path, {}, dict(self.headers.items()),
                               time.time())
        record.params = self._params()
        with state.lock:
            state.log.append(record)
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        self._answering = True
        fault = state.faults.next()
        record.fault = fault.kind if fault else None
        try:
            status = self._respond(record, fault)
        finally:
            self._answered()
            record.finished = time.time()
        record.status = status

    def _answered(self) -> None:
        """Count this request as answered, before the client can have the whole answer (the last
        bytes are written after this), so that a client waiting for it is never counted twice."""
        if getattr(self, "_answering", False):
            self._answering = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    def _respond(self, record: RequestRecord, fault: Fault | None) -> int:
        state = self.server.state
        is_oai = record.path.rstrip("/").endswith("/oai")
        if record.path.rstrip("/") not in ("/api/query", "/oai"):
            self._send(404, b"not found", "text/plain")
            return 404
        if fault is not None:
            if fault.kind == "slow":
                time.sleep(fault.delay or 5.0)
            elif fault.kind == "reset":
                self._reset()
                return 0
            elif fault.kind in ("http_503", "http_429"):
                status = 503 if fault.kind == "http_503" else 429
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                body = b"Rate exceeded." if status == 429 else b"Service Unavailable"
                self._send(status, body, "text/plain", headers)
                return status
            elif fault.kind == "http_500":
                self._send(500, atom_writer.error_feed(WERKZEUG_500, fragment=None, now=state.now()),
                           ATOM_TYPE)
                return 500
            elif fault.kind == "empty_body":
                self._send(200, b"", ATOM_TYPE)
                return 200
            elif fault.kind == "html_block":
                self._send(200, ACCESS_DENIED, "text/html; charset=utf-8")
                return 200
            elif fault.kind == "transient_empty" and not is_oai:
                self._send(200, _empty_feed(state, record.params), ATOM_TYPE)
                return 200
            elif fault.kind == "bad_resumption_token" and is_oai:
                status, body = oai_writer.error_answer(state.now(), "badResumptionToken",
                                                       "Token decoding failed or format is invalid.")
                self._send(status, body, "text/xml; charset=utf-8")
                return status
            elif fault.kind == "billion_laughs":
                self._send(200, BILLION_LAUGHS, ATOM_TYPE)
                return 200
            elif fault.kind == "external_entity":
                self._send(200, EXTERNAL_ENTITY, ATOM_TYPE)
                return 200
        if is_oai:
            status, body = oai_writer.oai_answer(state.corpus, record.params, now=state.now(),
                                                 page_size=state.oai_page_size)
            content_type = "text/xml; charset=utf-8"
        else:
            status, body = api_answer(state, record.params)
            content_type = ATOM_TYPE
        self._send(status, body, content_type, cut=fault is not None and fault.kind == "truncated")
        return status

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: StandinState, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), Handler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client killed or gone mid-answer (the harvest tests SIGKILL theirs) is not news.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StandIn:
    """A started stand-in: `url` is the API endpoint, `oai_url` the OAI-PMH one."""

    def __init__(self, corpus: Corpus, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = StandinState(corpus)
        self._server = StandinServer(self.state, host, port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="arxiv-standin",
                                        daemon=True)

    @property
    def faults(self) -> FaultPlan:
        return self.state.faults

    @property
    def log(self) -> list[RequestRecord]:
        return self.state.log

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return self.base + "/api/query"

    @property
    def oai_url(self) -> str:
        return self.base + "/oai"

    def api_requests(self) -> list[RequestRecord]:
        return [r for r in self.log if r.path.startswith("/api/")]

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
