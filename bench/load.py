"""Load: 200 concurrent clients for 60 s against uvicorn, on SQLite and on PostgreSQL (issue 8).

Mixes: POST /v1/check with the three seed posts, and GET /v1/papers/{id} over the ids they cite,
with the cache warmed first. SQLite: one `arxiv-enrich serve` process; PostgreSQL: uvicorn with two
workers (app.api.asgi:create). The load generator is wrk (Debian's package: apt-get install wrk),
one thread, on the same two cores.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 200] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
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


# wrk cycles through the mix's requests, one a call, and prints its figures as JSON at the end.
_WRK_SCRIPT = """
local requests = {}
for line in io.lines(os.getenv("LOAD_REQUESTS")) do
  local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
  requests[#requests + 1] = {method, path, body}
end
local i = 0
request = function()
  i = i + 1
  local r = requests[(i % #requests) + 1]
  if r[3] ~= "" then
    return wrk.format(r[1], r[2], {["Content-Type"] = "application/json"}, r[3])
  end
  return wrk.format(r[1], r[2])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %d, "p99": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def load(base: str, requests: list[tuple[str, str, dict[str, str] | None]], seconds: float,
         clients: int, workdir: Path) -> dict[str, float]:
    """wrk's figures for `clients` keep-alive connections sending the mix for `seconds`."""
    listing = workdir / "requests.txt"
    listing.write_text("".join(f"{m} {p} {json.dumps(b) if b else ''}\n" for m, p, b in requests),
                       encoding="utf-8")
    script = workdir / "mix.lua"
    script.write_text(_WRK_SCRIPT, encoding="utf-8")
    # One wrk thread: it needs far less than a core, leaving the rest to the server.
    done = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "120s",
                           "-s", str(script), base], env={**os.environ, "LOAD_REQUESTS": str(listing)},
                          capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _errors(figures: dict[str, float]) -> str:
    kinds = {k: int(figures[k]) for k in ("connect", "read", "write", "timeout") if figures[k]}
    return f"{sum(kinds.values())} ({', '.join(f'{n} {k}' for k, n in kinds.items())})" if kinds else "0"


def run_database(name: str, env: dict[str, str], command: list[str], seconds: float,
                 clients: int) -> tuple[list[str], dict[str, float]]:
    """The table rows of one database, and each mix's requests per second."""
    port = free_port()
    server = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    rows = []
    throughput: dict[str, float] = {}
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
            with tempfile.TemporaryDirectory() as workdir:
                f = load(base, requests, seconds, clients, Path(workdir))
            throughput[mix] = f["requests"] / f["seconds"]
            rows.append(f"| {name} | {mix} | {f['requests'] / f['seconds']:,.0f} | {f['p50'] / 1000:.0f} | "
                        f"{f['p99'] / 1000:.0f} | {int(f['status'])} | {_errors(f)} | "
                        f"{tree_peak_rss_mb(server.pid):,.0f} |")
            print(rows[-1], flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return rows, throughput


def ratios(sqlite: dict[str, float], postgres: dict[str, float]) -> str:
    return "Throughput, PostgreSQL with 2 workers against SQLite with 1 process: " + "; ".join(
        f"{mix} {postgres[mix] / sqlite[mix]:.2f}×" for mix in sqlite) + "."


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
                      "ARXIV_MIN_INTERVAL": "0", "MAX_DOCUMENT_BYTES": "5000000",
                      # wrk is one client at one address: the per-client limit is not what is measured.
                      "RATE_LIMIT_PER_MINUTE": "0"}
            sqlite_env = {**common, "DATABASE_URL": f"sqlite:///{tmp}/load.db"}
            sqlite_rows, sqlite = run_database("SQLite, 1 process", sqlite_env,
                                               [str(BIN / "arxiv-enrich"), "serve"], args.seconds, args.clients)
            with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            pg_env = {**common, "DATABASE_URL":
                      f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{schema}"}
            subprocess.run([str(BIN / "arxiv-enrich"), "db", "upgrade"], env=pg_env, check=True,
                           capture_output=True)
            pg_rows, postgres = run_database(
                "PostgreSQL, 2 workers", pg_env,
                [str(BIN / "uvicorn"), "app.api.asgi:create", "--factory", "--workers", "2", "--log-level",
                 "warning"], args.seconds, args.clients)
            rows += sqlite_rows + pg_rows
    finally:
        standin.terminate()
        standin.wait(timeout=30)
        with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    section = "\n".join([
        "## Load (issue 8)",
        "",
        f"`bench/load.py`, run {time.strftime('%Y-%m-%d')} on {machine()}. {args.clients} concurrent "
        f"keep-alive connections from wrk (one thread) for {args.seconds:.0f} s per row, against uvicorn; the",
        "cache warmed first (one check of each seed), the stand-in serving the shared corpus. wrk shares the",
        "two cores with the server. Errors: non-2xx answers, and connections that failed (connect, read,",
        "write, timeout after 120 s).",
        "",
        *rows,
        "",
        ratios(sqlite, postgres) + " Target: 0 errors.",
        "",
        "POST /v1/check is CPU-bound (extraction, the report and its JSON): a second worker process on",
        "the second core is what PostgreSQL adds, shared with wrk. GET /v1/papers/{id} is answered from",
        "each process's 60 s cache of rendered answers, so both databases serve it alike.",
        "",
    ])
    print(section)
    if args.write:
        write_section(section, "## Load (issue 8)")


if __name__ == "__main__":
    main()
