"""API_KEY guards every write endpoint: 401 without a key, 403 with a wrong one."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from app.api.deps import RuntimeDep


def require_writer(request: Request, runtime: RuntimeDep) -> None:
    expected = runtime.settings.api_key
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "this endpoint writes: send Authorization: Bearer <API_KEY>",
                            headers={"WWW-Authenticate": "Bearer"})
    # Constant-time, so response timing does not reveal how much of the key was right.
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(403, "the API key is not valid")
