"""Errors as application/problem+json (RFC 9457): type, title, status, detail."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


def problem(status: int, detail: str, *, extra: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _plain_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """The first errors, as JSON can carry them: the offending input may be an upload or bytes."""
    plain = []
    for error in exc.errors()[:20]:
        item = {k: v for k, v in error.items() if k in ("type", "loc", "msg")}
        given = error.get("input")
        if isinstance(given, str | int | float | bool) or given is None:
            item["input"] = given if not isinstance(given, str) else given[:200]
        plain.append(item)
    return plain


def install(app: FastAPI) -> None:
    """Every error the app can produce leaves as problem+json, never as an HTML page or a traceback."""

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem(422, _describe_validation(exc), extra={"errors": _plain_errors(exc)})

    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "internal error; the server log has the details")

    async def disconnected(request: Request, _exc: Exception) -> JSONResponse:
        # A client that went away mid-body: one line, not a traceback (nobody reads the answer).
        log.warning("client disconnected before sending the whole body (%s %s)", request.method, request.url.path)
        return problem(400, "the client disconnected before sending the whole body")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(ClientDisconnect, disconnected)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)
