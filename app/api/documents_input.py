"""Reading a document from a request: a JSON body, or the raw document with its media type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from pydantic import ValidationError

from app.api import safe_json
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


MAX_NAME = 512


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


def document_name(name: str | None) -> str | None:
    """A document's name as we store it; a 422 for one no file could have (PostgreSQL's text
    refuses NUL, and the column holds 512 characters)."""
    if name is None:
        return None
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise HTTPException(422, "name: control characters are not part of a file name")
    if len(name) > MAX_NAME:
        raise HTTPException(422, f"name: {len(name)} characters; the limit is {MAX_NAME}")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(422, "name: not valid Unicode (a lone surrogate escape)") from None
    return name or None


async def read_document(request: Request, max_bytes: int) -> DocumentInput:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # A JSON body carries the document with some overhead; allow for escaping.
    limit = max_bytes * 2 + 4096 if media == "application/json" else max_bytes
    body = await _read_limited(request, limit)
    name = request.query_params.get("name")
    if media == "application/json":
        try:
            payload = CheckRequest.model_validate(safe_json.loads(body))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise HTTPException(422, f"{where}: {first['msg']}") from None
        except safe_json.JsonLimitError as exc:
            raise HTTPException(400, f"the JSON body is beyond our limits: {exc}") from None
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError (after pydantic's, a ValueError too)
            raise HTTPException(400, f"the body is not valid JSON: {exc}") from None
        if "\x00" in payload.text:
            # No document has NUL characters; PostgreSQL cannot store them in text either.
            raise HTTPException(422, "text: the document contains NUL characters; is it binary?")
        try:
            size = len(payload.text.encode("utf-8"))
        except UnicodeEncodeError:
            raise HTTPException(422, "text: not valid Unicode (a lone surrogate escape)") from None
        if size > max_bytes:
            raise HTTPException(413, f"the document is over the limit of {max_bytes} bytes")
        return DocumentInput(payload.text, payload.format, document_name(payload.name or name))
    if media in RAW_TYPES:
        fmt = request.query_params.get("format") or RAW_TYPES[media]
        return DocumentInput(body, fmt, document_name(name))
    raise HTTPException(
        415, "send JSON ({\"text\": …}) or the document itself as text/markdown, text/html, "
        "text/plain or application/x-bibtex")
