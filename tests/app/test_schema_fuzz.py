"""schemathesis against the app's own OpenAPI schema: no 5xx, and every response matches the schema."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.timeout(600)
def test_no_server_errors_and_responses_match_the_schema(live_server: Callable[..., str]) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed (it is in the dev extra)")
    # The per-client rate limit off: one fuzzer is one client, and 429s would hide the endpoints.
    base = live_server(arxiv_max_retries=0, rate_limit_per_minute=0)
    done = subprocess.run(
        [str(SCHEMATHESIS), "run", f"{base}/openapi.json", "--checks",
         "not_a_server_error,response_schema_conformance", "--max-examples", "25",
         "--exclude-path", "/v1/refresh", "--seed", "1"],
        capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stdout[-4000:]
