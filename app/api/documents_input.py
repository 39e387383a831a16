"""Reading a document from a request: a JSON body, or the raw document with its media type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from pydantic import ValidationError

from app.schemas import CheckRequest

RAW_TYPES = {
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "text/plain": "text",
    "application/x-bibtex": "bibtex",
    "text/x-bibtex": "bibtex",
    "application/x-tex": "latex",
    "text/x-tex": "latex",
    "text/x-rst": "rst",
}

# OpenAPI for the endpoints that take a document, since they read the body themselves.
DOCUMENT_BODY_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CheckRequest.model_json_schema()},
            **{media: {"schema": {"type": "string"}} for media in RAW_TYPES},
        },
    }
}


@dataclass(frozen=True)
class DocumentInput:
    text: str | bytes
    format: str
    name: str | None


async def _read_limited(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise HTTPException(413, f"the document is {int(declared)} bytes; the limit is {max_bytes}")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise HTTPException(413, f"the document is over the limit of {max_bytes} bytes")
    return bytes(body)


async def read_document(request: Request, max_bytes: int) -> DocumentInput:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # A JSON body carries the document with some overhead; allow for escaping.
    limit = max_bytes * 2 + 4096 if media == "application/json" else max_bytes
    body = await _read_limited(request, limit)
    name = request.query_params.get("name")
    if media == "application/json":
        try:
            payload = CheckRequest.model_validate(json.loads(body))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPException(400, f"the body is not valid JSON: {exc}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise HTTPException(422, f"{where}: {first['msg']}") from None
        if "\x00" in payload.text:
            # No document has NUL characters; PostgreSQL cannot store them in text either.
            raise HTTPException(422, "text: the document contains NUL characters; is it binary?")
        try:
            size = len(payload.text.encode("utf-8"))
        except UnicodeEncodeError:
            raise HTTPException(422, "text: not valid Unicode (a lone surrogate escape)") from None
        if size > max_bytes:
            raise HTTPException(413, f"the document is over the limit of {max_bytes} bytes")
        return DocumentInput(payload.text, payload.format, payload.name or name)
    if media in RAW_TYPES:
        fmt = request.query_params.get("format") or RAW_TYPES[media]
        return DocumentInput(body, fmt, name)
    raise HTTPException(
        415, "send JSON ({\"text\": …}) or the document itself as text/markdown, text/html, "
        "text/plain or application/x-bibtex")
