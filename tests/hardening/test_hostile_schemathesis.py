"""schemathesis with the hostile payloads of docs/SECURITY.md, at a real server on SQLite and on PostgreSQL.

The schema is the live server's own /openapi.json, plus a description of the web form's POST /ui/check
(hidden from the public schema). Each attack is sent first as an explicit case, with the status it
must get; then hypothesis mixes the same payloads into cases schemathesis generates for every
operation that takes a body or a query string. Every answer goes through schemathesis's checks (no
5xx, a documented status, a body that matches its schema), and /healthz must still answer afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, CheckFunction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

Start = Callable[..., str]
LIMIT = 100_000  # MAX_DOCUMENT_BYTES of the server under test: small, so "just over" stays cheap
# Not content_type_conformance: errors leave as application/problem+json, which FastAPI's schema of
# its 422 (application/json) does not say.
CHECKS: list[CheckFunction] = [not_a_server_error, status_code_conformance, response_schema_conformance]
FORMATS = ["auto", "markdown", "html", "text", "bibtex", "latex", "rst"]
UI_CHECK: dict[str, Any] = {
    "post": {
        "operationId": "ui_check",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"text": {"type": "string"}, "format": {"type": "string", "enum": FORMATS},
                           "file": {"type": "string", "format": "binary"}}}}}},
        "responses": {str(status): {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}
                      for status in (200, 400, 413, 422, 429)},
    }
}
PAPER = "See arXiv:1706.03762 for the Transformer."
# Strings an attacker puts wherever a string goes: a name, a text, a query.
HOSTILE = [
    "9" * 5000,
    "[" * 100_000 + "]" * 100_000,
    "a\x00b",
    "n" * 600,
    "arXiv:１７０６.０３７６２",
    "x" * (LIMIT + 1),
    "<div>" * 20_000 + PAPER + "</div>" * 20_000,
]


@schemathesis.serializer("text/markdown", "text/x-markdown", "text/html", "application/x-bibtex", "text/x-bibtex",
                        "application/x-tex", "text/x-tex", "text/x-rst")
def _document(ctx: schemathesis.SerializationContext, value: Any) -> bytes | None:
    """The document media types carry the document itself (schemathesis knows only text/plain)."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def _multipart(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, str]:
    """A multipart body written by hand, so a field can be sent as a file part."""
    boundary = "hostile-boundary"
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def target(live_server: Start) -> tuple[str, schemathesis.BaseSchema]:
    # One fuzzer is one client: the rate limit would answer 429 to most of it. No retries upstream.
    base = live_server(arxiv_max_retries=0, rate_limit_per_minute=0, max_document_bytes=LIMIT)
    document = httpx.get(f"{base}/openapi.json").json()
    document["paths"]["/ui/check"] = UI_CHECK
    return base, schemathesis.openapi.from_dict(document)


def _still_alive(base: str) -> None:
    health = httpx.get(f"{base}/healthz")
    assert health.status_code == 200, health.text


def _explicit(schema: schemathesis.BaseSchema) -> list[tuple[Case, int]]:
    """Each attack as a case of the operation it targets, and the status it must get."""
    cases: list[tuple[Case, int]] = []
    for path in ("/v1/check", "/v1/documents"):
        op = schema[path]["POST"]
        ok = 200 if path == "/v1/check" else 201
        json = {"media_type": "application/json"}
        cases += [
            (op.Case(body=b'{"text": "x", "n": ' + b"9" * 5000 + b"}", **json), 400),
            (op.Case(body=b'{"text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", **json), 400),
            (op.Case(body={"text": PAPER, "name": "a\x00b"}, **json), 422),
            (op.Case(body={"text": PAPER, "name": "n" * 600}, **json), 422),
            (op.Case(body={"text": "x" * (LIMIT + 1)}, **json), 413),
            (op.Case(body={"text": "é" * (LIMIT // 2 + 1)}, **json), 413),  # over in bytes, not characters
            (op.Case(body={"text": "a\x00b"}, **json), 422),
            (op.Case(body={"text": "\ud800"}, **json), 422),
            (op.Case(body={"text": "本文は arXiv:１７０６.０３７６２ を参照。"}, **json), ok),
            (op.Case(body=PAPER, media_type="text/plain", query={"name": "a\x00b"}), 422),
            (op.Case(body=PAPER, media_type="text/plain", query={"name": "n" * 600}), 422),
            (op.Case(body="x" * (LIMIT + 1), media_type="text/plain"), 413),
            (op.Case(body=PAPER, media_type="text/plain", query={"format": "a\x00b"}), 422),
            (op.Case(body=PAPER.encode(), media_type="text/plain",
                     headers={"Content-Type": "application/xml"}), 415),
            (op.Case(body=b"text=" + PAPER.encode(), media_type="text/plain",
                     headers={"Content-Type": "application/x-www-form-urlencoded"}), 415),
        ]
        body, content_type = _multipart(("text", "notes.txt", PAPER.encode()))
        cases.append((op.Case(body=body, media_type="text/plain", headers={"Content-Type": content_type}), 415))
    resolve = schema["/v1/resolve"]["GET"]
    cases += [
        (resolve.Case(query={"q": "9" * 5000}), 422),
        (resolve.Case(query={"q": "a\x00b"}), 422),
        (resolve.Case(query={"q": "arXiv:１７０６.０３７６２"}), 200),
    ]
    papers = schema["/v1/papers"]["GET"]
    cases += [
        (papers.Case(query={"ids": "9" * 5000}), 200),  # answered per id: "malformed"
        (papers.Case(query={"ids": "9" * 30_000}), 422),
        (papers.Case(query={"ids": "1706.03762,a\x00b"}), 200),
        (papers.Case(query={"ids": "１７０６.０３７６２"}), 200),
        (papers.Case(query={"ids": ",".join(["1706.03762"] * 2000)}), 422),
    ]
    ui = schema["/ui/check"]["POST"]
    form = "multipart/form-data"
    as_file, as_file_type = _multipart(("text", "notes.txt", PAPER.encode()))
    format_as_file, format_as_file_type = _multipart(("text", None, PAPER.encode()),
                                                     ("format", "f.txt", b"text"))
    cases += [
        (ui.Case(body=as_file, media_type=form, headers={"Content-Type": as_file_type}), 200),
        (ui.Case(body=format_as_file, media_type=form, headers={"Content-Type": format_as_file_type}), 422),
        (ui.Case(body={"text": "x" * (LIMIT + 1)}, media_type=form), 413),
        (ui.Case(body={"text": "本文は arXiv:１７０６.０３７６２ を参照。"}, media_type=form), 200),
        (ui.Case(body={"text": PAPER, "format": "nonsense"}, media_type=form), 422),
    ]
    return cases


@pytest.mark.timeout(300)
def test_each_attack_gets_its_status_and_passes_the_schema_checks(
        target: tuple[str, schemathesis.BaseSchema]) -> None:
    base, schema = target
    for case, status in _explicit(schema):
        response = case.call_and_validate(base_url=base, checks=CHECKS, timeout=60)
        assert response.status_code == status, (case.operation.label, case.query, response.text[:300])
    _still_alive(base)


def _with_hostile(schema: schemathesis.BaseSchema) -> st.SearchStrategy[Case]:
    """Cases schemathesis generates for each operation, with a hostile value put in one place.

    New cases are made rather than generated ones changed in place (hypothesis may hand the same
    object out again)."""
    hostile = st.sampled_from(HOSTILE)
    raw_media = st.sampled_from(["text/plain", "text/markdown", "text/x-markdown", "text/html",
                                 "application/x-bibtex", "application/x-tex", "text/x-rst"])

    def into_json(case: Case, field: str, value: str) -> Case:
        return case.operation.Case(body={**case.body, field: value}, media_type="application/json",
                                   query=case.query, headers=dict(case.headers or {}))

    strategies = []
    for path in ("/v1/check", "/v1/documents"):
        op = schema[path]["POST"]
        # as_strategy's media_type is a preference, not a filter: keep the JSON objects.
        generated = op.as_strategy(media_type="application/json").filter(lambda c: isinstance(c.body, dict))
        strategies.append(st.builds(into_json, generated, st.sampled_from(["text", "name"]), hostile))
        strategies.append(st.builds(
            lambda media, text, name, op=op: op.Case(body=text, media_type=media,
                                                     query={} if name is None else {"name": name}),
            raw_media, hostile, st.none() | hostile.map(lambda v: v[:20_000])))
    # Query strings are cut to 20,000 characters: a request line of several hundred KB is refused by
    # uvicorn itself (400, connection closed) before the app sees it.
    strategies.append(hostile.flatmap(
        lambda value: schema["/v1/resolve"]["GET"].as_strategy(query={"q": value[:20_000]})))
    strategies.append(st.lists(hostile, min_size=1, max_size=3).flatmap(
        lambda values: schema["/v1/papers"]["GET"].as_strategy(query={"ids": ",".join(v[:6000] for v in values)})))
    strategies.append(st.tuples(hostile, st.sampled_from(FORMATS)).flatmap(
        lambda pair: schema["/ui/check"]["POST"].as_strategy(media_type="multipart/form-data",
                                                            body={"text": pair[0], "format": pair[1]})))
    return st.one_of(strategies)


@pytest.mark.timeout(300)
def test_generated_cases_carrying_the_attacks_pass_the_schema_checks(
        target: tuple[str, schemathesis.BaseSchema]) -> None:
    base, schema = target

    @settings(max_examples=500, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=_with_hostile(schema))
    def run(case: Case) -> None:
        case.call_and_validate(base_url=base, checks=CHECKS, timeout=60)

    run()
    _still_alive(base)
