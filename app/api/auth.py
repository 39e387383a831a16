"""API_KEY guards every write endpoint, and every route that reads stored documents or reports:
401 without a key, 403 with a wrong one."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from app.api.deps import RuntimeDep


def require_writer(request: Request, runtime: RuntimeDep) -> None:
    _require_key(request, runtime, "this endpoint writes")


def require_reader(request: Request, runtime: RuntimeDep) -> None:
    """Stored documents are private to whoever holds the key (when one is set)."""
    _require_key(request, runtime, "stored documents and reports are private")


def _require_key(request: Request, runtime: RuntimeDep, why: str) -> None:
    expected = runtime.settings.api_key
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, f"{why}: send Authorization: Bearer <API_KEY>",
                            headers={"WWW-Authenticate": "Bearer"})
    # Constant-time, so response timing does not reveal how much of the key was right.
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(403, "the API key is not valid")
