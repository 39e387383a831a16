"""Load: 200 concurrent clients for 60 s against uvicorn, on SQLite and on PostgreSQL (issue 8).

Mixes: POST /v1/check with the three seed posts, and GET /v1/papers/{id} over the ids they cite,
with the cache warmed first. SQLite: one `arxiv-enrich serve` process; PostgreSQL: uvicorn with two
workers (app.api.asgi:create). The load generator (asyncio + httpx) runs on the same two cores.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 200] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from bench.arxiv_lookup import machine, write_section  # noqa: E402

BIN = Path(sys.executable).parent
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def tree_peak_rss_mb(pid: int) -> float:
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total / 1024


async def load(base: str, requests: list[tuple[str, str, dict[str, str] | None]], seconds: float,
               clients: int) -> tuple[int, list[float], int, int]:
    latencies: list[float] = []
    failures = transport = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def worker(index: int) -> None:
            nonlocal failures, transport
            i = index
            while time.perf_counter() < deadline:
                method, path, body = requests[i % len(requests)]
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, json=body)
                    failures += response.status_code >= 300
                except httpx.TransportError:
                    transport += 1
                latencies.append(time.perf_counter() - started)
                i += clients

        await asyncio.gather(*(worker(i) for i in range(clients)))
    return len(latencies), latencies, failures, transport


def run_database(name: str, env: dict[str, str], command: list[str], seconds: float, clients: int) -> list[str]:
    port = free_port()
    server = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
        ids: list[str] = []
        for text in texts:  # warm the cache; the ids the seeds cite feed the papers mix
            report = httpx.post(base + "/v1/check", json={"text": text}, timeout=600).json()
            ids += [r["arxiv_id"] for r in report["references"] if r.get("arxiv_id") and r["status"] != "unresolved"]
        mixes = {
            "POST /v1/check (the 3 seeds)": [("POST", "/v1/check", {"text": t}) for t in texts],
            "GET /v1/papers/{id}": [("GET", f"/v1/papers/{i}", None) for i in sorted(set(ids))],
        }
        for mix, requests in mixes.items():
            count, latencies, failures, transport = asyncio.run(load(base, requests, seconds, clients))
            q = statistics.quantiles(latencies, n=100)
            rows.append(f"| {name} | {mix} | {count / seconds:,.0f} | {q[49] * 1000:.0f} | {q[98] * 1000:.0f} | "
                        f"{failures} | {transport} | {tree_peak_rss_mb(server.pid):,.0f} |")
            print(rows[-1], flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    standin_port = free_port()
    standin = subprocess.Popen([sys.executable, "-m", "tests.arxiv_standin", "--port", str(standin_port), "--shared"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = ["| database | mix | requests/s | p50 ms | p99 ms | non-2xx | transport errors | server peak RSS MB |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    schema = f"load_{uuid.uuid4().hex[:8]}"
    try:
        wait_for(f"http://127.0.0.1:{standin_port}/api/query?id_list=1706.03762")
        with tempfile.TemporaryDirectory() as tmp:
            common = {**os.environ, "ARXIV_API_URL": f"http://127.0.0.1:{standin_port}/api/query",
                      "ARXIV_MIN_INTERVAL": "0", "MAX_DOCUMENT_BYTES": "5000000"}
            sqlite_env = {**common, "DATABASE_URL": f"sqlite:///{tmp}/load.db"}
            rows += run_database("SQLite, 1 process", sqlite_env, [str(BIN / "arxiv-enrich"), "serve"],
                                 args.seconds, args.clients)
            with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            pg_env = {**common, "DATABASE_URL":
                      f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{schema}"}
            subprocess.run([str(BIN / "arxiv-enrich"), "db", "upgrade"], env=pg_env, check=True,
                           capture_output=True)
            rows += run_database("PostgreSQL, 2 workers", pg_env,
                                 [str(BIN / "uvicorn"), "app.api.asgi:create", "--factory", "--workers", "2",
                                  "--log-level", "warning"], args.seconds, args.clients)
    finally:
        standin.terminate()
        standin.wait(timeout=30)
        with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    section = "\n".join([
        "## Load (issue 8)",
        "",
        f"`bench/load.py`, run {time.strftime('%Y-%m-%d')} on {machine()}. {args.clients} concurrent clients "
        f"(asyncio + httpx, keep-alive) for {args.seconds:.0f} s per row, against uvicorn; the cache warmed",
        "first (one check of each seed), the stand-in serving the shared corpus. The load generator runs",
        "on the same two cores as the server, so these figures are a floor for the server alone.",
        "",
        *rows,
        "",
    ])
    print(section)
    if args.write:
        write_section(section, "## Load (issue 8)")


if __name__ == "__main__":
    main()
