"""Several processes sharing one database keep ARXIV_MIN_INTERVAL between upstream requests together."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

INTERVAL = 0.3

WORKER = r"""
import asyncio, sys, time
from app.db import make_engine
from app.resolve.gate import gate_for

url, log, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

async def main() -> None:
    gate = gate_for(make_engine(url), float(sys.argv[4]))
    for _ in range(n):
        async with gate.slot():
            start = time.time()
            await asyncio.sleep(0.05)  # the "request" in flight
            end = time.time()
        with open(log, "a") as handle:
            handle.write(f"{start} {end}\n")

asyncio.run(main())
"""


def test_processes_sharing_a_database_take_turns_at_the_interval(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    log = tmp_path / "requests.log"
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(log), "3", str(INTERVAL)])
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.wait(timeout=60) == 0
    spans = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
    assert len(spans) == 9
    for (start, end), (next_start, _) in itertools.pairwise(spans):
        assert next_start >= end, "two requests were in flight at once"
        # 10 ms of slack for clock reads in different processes.
        assert next_start - start >= INTERVAL - 0.01, f"requests only {next_start - start:.3f}s apart"


async def _use_cancelled_while_waiting(engine: Engine) -> None:
    """Another process holds the gate; a task waiting for it is cancelled (a server shutting down
    mid-pass); the holder lets go; then a third taker must get the gate, not wait forever."""
    from app.resolve.gate import gate_for

    holder, waiter, third = (gate_for(engine, 0.0) for _ in range(3))  # one process each
    holding, letting_go = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with holder.slot():
            holding.set()
            await letting_go.wait()

    async def wait_for_gate() -> None:
        async with waiter.slot():
            raise AssertionError("the waiter got the gate while it was held")

    held = asyncio.create_task(hold())
    await holding.wait()
    waiting = asyncio.create_task(wait_for_gate())
    await asyncio.sleep(0.3)  # its thread is now blocked on the lock
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    letting_go.set()
    await held

    async def take() -> None:
        async with third.slot():
            pass

    # A hang guard, not a speed assertion: a leaked lock would block this forever.
    await asyncio.wait_for(take(), timeout=60)


def test_a_task_cancelled_while_waiting_for_the_gate_leaves_it_free(engine: Engine) -> None:
    asyncio.run(_use_cancelled_while_waiting(engine))
