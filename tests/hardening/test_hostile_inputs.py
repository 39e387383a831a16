"""Each attack of docs/SECURITY.md sent at a real server (uvicorn on loopback, configured as `serve`
configures it) on SQLite and on PostgreSQL: the answer is a 4xx with a reason or a bounded answer,
never a 500, and /healthz still answers afterwards."""

from __future__ import annotations

import logging
import socket
import time
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest

from tests.arxiv_standin.server import StandIn

Start = Callable[..., str]


def _still_alive(api: httpx.Client) -> None:
    health = api.get("/healthz")
    assert health.status_code == 200, health.text


def _problem(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"], response.json()["detail"]


def _raw(base: str, request: bytes) -> socket.socket:
    parts = urlsplit(base)
    connection = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=30)
    connection.sendall(request)
    return connection


def _read_all(connection: socket.socket) -> bytes:
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize("path", ["/v1/check", "/v1/documents"])
def test_json_with_a_5000_digit_number_or_nested_100000_deep_is_a_400(
        live_server: Start, http: Callable[[str], httpx.Client], path: str) -> None:
    api = http(live_server())
    headers = {"Content-Type": "application/json"}
    big = api.post(path, content=b'{"text": "arXiv:1706.03762", "n": ' + b"9" * 5000 + b"}", headers=headers)
    _problem(big, 400, "a number of 5000 characters")
    deep = api.post(path, content=b'{"text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", headers=headers)
    _problem(deep, 400, "nested more than")
    # Brackets inside the text are text, not nesting.
    fine = api.post(path, json={"text": "[" * 1000 + " arXiv:1706.03762 " + "]" * 1000})
    assert fine.status_code in (200, 201), fine.text
    _still_alive(api)


def test_bad_document_names_are_a_422(live_server: Start, http: Callable[[str], httpx.Client]) -> None:
    # PostgreSQL refuses NUL in text, and the column holds 512 characters: both were 500s there.
    api = http(live_server())
    plain = {"Content-Type": "text/plain"}
    for name, words in (("a\x00b", "control characters"), ("n" * 600, "600 characters; the limit is 512")):
        _problem(api.post("/v1/documents", params={"name": name}, content=b"arXiv:1706.03762", headers=plain),
                 422, words)
        _problem(api.post("/v1/check", params={"name": name}, content=b"arXiv:1706.03762", headers=plain),
                 422, words)
    _problem(api.post("/v1/documents", json={"text": "arXiv:1706.03762", "name": "a\x00b"}), 422,
             "control characters")
    assert api.get("/v1/documents").json()["total"] == 0
    _still_alive(api)


def test_the_web_form_takes_text_as_a_file_part_and_as_much_as_the_api(
        live_server: Start, http: Callable[[str], httpx.Client]) -> None:
    api = http(live_server(max_document_bytes=3_000_000))
    as_file = api.post("/ui/check", files={"text": ("notes.txt", b"See arXiv:1706.03762.", "text/plain")})
    assert as_file.status_code == 200, as_file.text
    assert "Attention Is All You Need" in as_file.text
    # Over Starlette's 1 MiB default for a form field, under the document limit.
    pasted = "See arXiv:1706.03762.\n" + "Plain prose without references. " * 60_000
    assert len(pasted) > 1_100_000
    large = api.post("/ui/check", data={"text": pasted, "format": "text"})
    assert large.status_code == 200, large.text[:300]
    too_large = api.post("/ui/check", data={"text": "x" * 3_100_000})
    assert too_large.status_code == 413
    assert "over the limit of 3000000 bytes" in too_large.text and "<form" in too_large.text
    _still_alive(api)


def test_html_nested_200000_deep_is_read_in_bounded_time(
        live_server: Start, http: Callable[[str], httpx.Client]) -> None:
    api = http(live_server())
    page = "<html><body>" + "<div>" * 200_000 + "See arXiv:1706.03762" + "</div>" * 200_000 + "</body></html>"
    report = api.post("/v1/check", content=page.encode(), headers={"Content-Type": "text/html"})
    assert report.status_code == 200, report.text
    (reference,) = report.json()["references"]
    assert reference["arxiv_id"] == "1706.03762"
    assert reference["column"] == page.index("arXiv:1706.03762") + 1
    _still_alive(api)


def test_many_made_up_ids_cost_at_most_the_upstream_budget(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn) -> None:
    api = http(live_server(max_upstream_ids=200, arxiv_batch_size=100))
    made_up = [f"24{month:02d}.{number:05d}" for month in range(1, 13) for number in range(90000, 91000)]
    assert len(made_up) == 12_000
    report = api.post("/v1/check", content="\n".join(f"arXiv:{i}" for i in made_up).encode(),
                      headers={"Content-Type": "text/plain"})
    assert report.status_code == 200, report.text[:300]
    codes = Counter(f["code"] for r in report.json()["references"] for f in r["findings"])
    assert codes["upstream_budget"] == 12_000 - 200
    assert codes["id_not_found"] == 200
    # 200 ids in batches of 100, each missing one asked three times: at most 6 requests.
    assert len(standin.api_requests()) <= 6
    # Storing such a document would keep it unverified for ever: refused whole.
    stored = api.post("/v1/documents", content="\n".join(f"arXiv:{i}" for i in made_up[:300]).encode(),
                      headers={"Content-Type": "text/plain"})
    _problem(stored, 413, "MAX_UPSTREAM_IDS")
    _still_alive(api)


def test_each_client_is_rate_limited_on_the_requests_that_reach_arxiv(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn) -> None:
    api = http(live_server(rate_limit_per_minute=2))
    assert api.post("/v1/check", json={"text": "arXiv:1706.03762"}).status_code == 200
    asked = len(standin.api_requests())
    assert asked > 0
    # Answered from the cache: arXiv is not asked and the token comes back, however often.
    for _ in range(4):
        assert api.post("/v1/check", json={"text": "arXiv:1706.03762"}).status_code == 200
        assert api.get("/v1/papers", params={"ids": "1706.03762"}).status_code == 200
    assert len(standin.api_requests()) == asked
    assert api.post("/v1/check", json={"text": "arXiv:2002.05709"}).status_code == 200
    limited = api.get("/v1/resolve", params={"q": "Attention Is All You Need"})
    _problem(limited, 429, "RATE_LIMIT_PER_MINUTE")
    assert int(limited.headers["retry-after"]) >= 1
    # What never reaches arXiv stays open: a cached paper, the stored documents, health.
    assert api.get("/v1/papers/1706.03762").status_code == 200
    assert api.get("/v1/documents").status_code == 200
    _still_alive(api)


def test_a_body_that_never_arrives_gets_a_408_and_the_connection_closed(live_server: Start) -> None:
    base = live_server(body_timeout=1.0)
    connection = _raw(base, b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                            b"Content-Length: 1000\r\n\r\narXiv:1706")
    answer = _read_all(connection)  # returns only because the server closes the connection
    connection.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"did not arrive within 1 s" in answer
    assert httpx.get(base + "/healthz").status_code == 200


def test_an_idle_kept_alive_connection_is_closed(live_server: Start) -> None:
    base = live_server(keep_alive_timeout=1)
    connection = _raw(base, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    # _read_all returns only when the server closes the idle connection (the socket's own
    # timeout, 30 s, would fail the test first).
    answer = _read_all(connection)
    connection.close()
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.count(b"HTTP/1.1") == 1


def test_a_client_gone_mid_body_is_one_log_line_not_a_traceback(
        live_server: Start, caplog: pytest.LogCaptureFixture) -> None:
    base = live_server()
    caplog.set_level(logging.INFO)
    for _ in range(3):
        connection = _raw(base, b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 1000\r\n\r\narXiv:1706")
        time.sleep(0.2)
        connection.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum("disconnected" in r.getMessage() for r in caplog.records) < 3:
        time.sleep(0.05)
    gone = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert len(gone) == 3
    assert all(r.exc_info is None for r in gone)
    assert not [r for r in caplog.records if r.exc_info is not None]
    assert httpx.get(base + "/healthz").status_code == 200


def test_a_full_width_id_is_the_paper_not_a_broken_reference(
        live_server: Start, http: Callable[[str], httpx.Client]) -> None:
    api = http(live_server())
    report = api.post("/v1/check", json={"text": "本文は arXiv:１７０６.０３７６２ を参照。"}).json()
    (reference,) = report["references"]
    assert reference["arxiv_id"] == "1706.03762"
    assert reference["status"] != "broken"
    assert reference["paper"]["title"] == "Attention Is All You Need"
    _still_alive(api)


def test_stored_documents_are_private_and_their_ids_unguessable(
        live_server: Start, http: Callable[[str], httpx.Client]) -> None:
    api = http(live_server(api_key="s3cret"))
    key = {"Authorization": "Bearer s3cret"}
    created = api.post("/v1/documents", json={"text": "arXiv:1706.03762"}, headers=key)
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]
    assert len(doc_id) >= 20
    for path in ("/v1/documents", f"/v1/documents/{doc_id}", f"/v1/documents/{doc_id}/report",
                 "/v1/reports/broken", "/v1/documents/1"):
        _problem(api.get(path), 401, "private")
    assert api.get("/v1/documents/1", headers=key).status_code == 404
    assert api.get(f"/v1/documents/{doc_id}", headers=key).json()["text"] == "arXiv:1706.03762"
    _still_alive(api)


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(live_server: Start) -> None:
    base = live_server(max_document_bytes=1000)
    connection = _raw(base, b"POST /ui/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                            b"boundary=b\r\nContent-Length: 999999999\r\n\r\n")
    answer = _read_all(connection)
    connection.close()
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert httpx.get(base + "/healthz").status_code == 200
