"""The mirror at 3 million records (issue 18): import speed and memory, size, id and title lookups.

    .venv/bin/python bench/mirror_corpus.py /tmp/arxiv-mirror-corpus      # the corpus, once
    .venv/bin/python bench/mirror_scale.py /tmp/arxiv-mirror-corpus [--databases sqlite,postgresql]
        [--steps import,lookups] [--workdir /tmp/mirror-scale] [--keep]

import: `arxiv-enrich import` (the command users run) of the Kaggle JSON lines and of the OAI pages,
each into a fresh database: records/s from the command's own summary, wall time, CPU seconds of the
command and its parser processes (and, on PostgreSQL, of the server processes serving it), peak RSS
(the largest process, and the sum over the command's processes, sampled every 0.25 s), the
database's size per million records.
lookups: on the Kaggle import (3M) and on a database of the 89k real records alone: id lookups
(store.get_papers, one id a call: real, generated and absent ids) and title lookups as a check makes
them (title_index.title_candidates, then title_match.decide): real titles, the same with a typo,
and titles that are not in the corpus; the decisions at 89k and at 3M compared.

PostgreSQL: database `wt_scale` (or $BENCH_PG_DATABASE) on 127.0.0.1 (created if missing), one
schema a run; the database is dropped at the end unless --keep. Prints Markdown; docs/BENCHMARKS.md's
section is written from it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import migrate  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.resolve.store import get_papers  # noqa: E402
from app.resolve.title_index import title_candidates  # noqa: E402
from app.resolve.title_match import decide  # noqa: E402
from bench.mirror_corpus import SHARED_CORPUS, generated_id  # noqa: E402
from bench.resolution import perturb  # noqa: E402

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname={db} connect_timeout=5"
# Another run (a second checkout) may be using its own: BENCH_PG_DATABASE keeps them apart.
PG_DB = os.environ.get("BENCH_PG_DATABASE", "wt_scale")
_SUMMARY = re.compile(r"imported (\d+) records in ([\d.]+) s")
# Titles a bibliography cites that are not arXiv papers at all.
NOT_ON_ARXIV = ["Gradient-Based Learning Applied to Document Recognition", "A Theory of the Learnable",
                "Learning representations by back-propagating errors", "The Elements of Statistical Learning",
                "Pattern Recognition and Machine Learning", "Reinforcement Learning: An Introduction",
                "Mastering the game of Go with deep neural networks and tree search",
                "Human-level control through deep reinforcement learning",
                "Long Short-Term Memory", "A Mathematical Theory of Communication"]


def pg_url(schema: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}?options=-csearch_path%3D{schema}"


def pg_admin(sql: str, db: str = PG_DB) -> None:
    with psycopg.connect(PG_DSN.format(db=db), autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def fresh_database(kind: str, name: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        with psycopg.connect(PG_DSN.format(db="postgres"), autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone():
                connection.execute(f'CREATE DATABASE "{PG_DB}"')
        pg_admin(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        pg_admin(f'CREATE SCHEMA "{name}"')
        url = pg_url(name)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def database_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    engine = make_engine(url)
    with engine.connect() as connection:
        size = connection.execute(text(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')")).scalar_one()
    engine.dispose()
    return int(size)


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(ppid, CPU seconds) of a process, None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Sampler:
    """The command's processes' memory, and the CPU of the PostgreSQL backends serving it."""

    root: int
    schema: str | None
    peak_sum: int = 0
    backend_cpu: dict[int, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        connection = psycopg.connect(PG_DSN.format(db=PG_DB), autocommit=True) if self.schema else None
        try:
            while not self.stop.wait(0.25):
                pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
                parents = {pid: stat[0] for pid in pids if (stat := _proc_stat(pid))}
                tree = {self.root}
                for pid, parent in parents.items():
                    if parent in tree or parents.get(parent) in tree:
                        tree.add(pid)
                self.peak_sum = max(self.peak_sum, sum(_rss(pid) for pid in tree))
                if connection is not None:
                    rows = connection.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                        (PG_DB,)).fetchall()
                    for (pid,) in rows:
                        if stat := _proc_stat(pid):
                            self.backend_cpu[pid] = stat[1]
        finally:
            if connection is not None:
                connection.close()


@dataclass
class ImportRun:
    database: str
    fmt: str
    records: int
    seconds: float
    wall: float
    cpu: float
    server_cpu: float
    peak_one: int
    peak_sum: int
    size: int


def run_import(kind: str, fmt: str, path: Path, workdir: Path) -> ImportRun:
    name = f"import_{fmt}"
    url = fresh_database(kind, name, workdir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen([EXE, "import", "--format", fmt, str(path)],
                               env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(process.pid, name if kind == "postgresql" else None)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    output, _ = process.communicate()
    wall = time.monotonic() - started
    sampler.stop.set()
    thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"import failed: {output}")
    match = _SUMMARY.search(output)
    assert match, output
    return ImportRun(kind, fmt, int(match.group(1)), float(match.group(2)), wall,
                     after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                     sum(sampler.backend_cpu.values()), after.ru_maxrss * 1024, sampler.peak_sum,
                     database_bytes(url))


def import_table(runs: list[ImportRun]) -> list[str]:
    lines = ["| database | input | records | s | records/s | vs 20,000/s | vs 6,000/s (PostgreSQL before) | "
             "CPU s: import (+ server) | peak RSS: largest process / all | size | GB per million |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        rate = r.records / r.seconds
        server = f" + {r.server_cpu:.0f}" if r.database == "postgresql" else ""
        lines.append(f"| {r.database} | {r.fmt} | {r.records:,} | {r.seconds:.0f} | {rate:,.0f} | "
                     f"{rate / 20000:.2f}× | {rate / 6000:.2f}× | {r.cpu:.0f}{server} | "
                     f"{r.peak_one / 2**20:.0f} / {r.peak_sum / 2**20:.0f} MB | "
                     f"{r.size / 1e9:.2f} GB | {r.size / r.records * 1e6 / 1e9:.2f} |")
    return lines


# --- lookups -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    kind: str
    title: str
    authors: tuple[str, ...] = ()


def title_queries(seed: int = 18) -> list[Query]:
    import gzip
    import json

    from tests.arxiv_standin.corpus import fixture_papers

    rng = random.Random(seed)
    with gzip.open(SHARED_CORPUS, "rb") as handle:
        records = [json.loads(line) for line in handle]
    real_ids = {r["id"] for r in records}
    titles = [" ".join(r["title"].split()) for r in rng.sample(records, 400)]
    absent = sorted({p.title for p in fixture_papers() if p.arxiv_id not in real_ids} | set(NOT_ON_ARXIV))
    return ([Query("real title", t) for t in titles] + [Query("typo'd title", perturb(t, rng)) for t in titles]
            + [Query("not in the corpus", t) for t in absent])


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def decisions(engine: Engine, queries: list[Query]) -> tuple[list[tuple[str, str | None]], dict[str, list[float]],
                                                           dict[str, list[float]]]:
    """Each query's decision, with its wall and CPU milliseconds by kind.

    The machine is shared: CPU time (this thread's) is what a lookup costs on a core of its own,
    for SQLite all of it (the database runs in this thread); wall time includes waiting for a core."""
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    made: list[tuple[str, str | None]] = []
    with Session(engine) as session:
        for query in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            result = decide(query.title, title_candidates(session, query.title))
            wall.setdefault(query.kind, []).append((time.perf_counter() - started) * 1000)
            cpu.setdefault(query.kind, []).append((time.thread_time() - started_cpu) * 1000)
            made.append((result.status, result.paper.arxiv_id if result.paper else None))
    return made, wall, cpu


def id_latency(engine: Engine, real_ids: list[str], total: int, seed: int = 18) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    generated = [generated_id(rng.randrange(max(1, total - len(real_ids)))) for _ in range(700)]
    absent = [f"{m}.{rng.randrange(90000, 99999)}" for m in rng.choices(["1901", "2104", "2311"], k=300)]
    wanted = rng.sample(real_ids, 1000) + generated + absent
    wall, cpu = [], []
    with Session(engine) as session:
        for arxiv_id in wanted:
            started, started_cpu = time.perf_counter(), time.thread_time()
            get_papers(session, [arxiv_id])
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def _cells(wall: list[float], cpu: list[float]) -> str:
    return (f"{_p(wall, 50):.2f} | {_p(wall, 95):.2f} | {_p(wall, 99):.2f} | {_p(cpu, 50):.2f} | "
            f"{_p(cpu, 99):.2f} |")


def lookups(kind: str, workdir: Path, mirror_url: str, every: int = 1) -> list[str]:
    import gzip
    import json

    queries = title_queries()[::every]
    real_url = fresh_database(kind, "real89k", workdir)
    subprocess.run([EXE, "import", str(SHARED_CORPUS)], env={**os.environ, "DATABASE_URL": real_url},
                   check=True, capture_output=True)
    with gzip.open(SHARED_CORPUS, "rb") as handle:
        real_ids = [json.loads(line)["id"] for line in handle]
    lines = [f"**{kind}**", "", "| database | lookups | kind | wall p50 ms | p95 | p99 | CPU p50 ms | CPU p99 |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    made: dict[str, list[tuple[str, str | None]]] = {}
    for label, url in (("89k real records", real_url), ("3M mirror", mirror_url)):
        engine = make_engine(url)
        with Session(engine) as session:
            count = int(session.execute(text("SELECT count(*) FROM papers")).scalar_one())
        # A first pass warms the caches (the page cache, the vocabulary counts); the second is measured.
        decisions(engine, queries[::7])
        ids, ids_cpu = id_latency(engine, real_ids, count)
        lines.append(f"| {label} ({count:,}) | {len(ids)} | id | {_cells(ids, ids_cpu)}")
        made[label], wall, cpu = decisions(engine, queries)
        wall["all titles"] = [t for values in wall.values() for t in values]
        cpu["all titles"] = [t for values in cpu.values() for t in values]
        for what, values in wall.items():
            lines.append(f"| {label} | {len(values)} | {what} | {_cells(values, cpu[what])}")
        engine.dispose()
    small, large = made["89k real records"], made["3M mirror"]
    differ = [(q, a, b) for q, a, b in zip(queries, small, large, strict=True) if a != b]
    found = Counter(q.kind for q, (status, _) in zip(queries, small, strict=True) if status == "found")
    lines += ["", f"Decisions that differ between 89k and 3M: {len(differ)} of {len(queries)} "
              f"({Counter(q.kind for q, _, _ in differ)}); found at 89k: {dict(found)}.", ""]
    engine = make_engine(mirror_url)
    with Session(engine) as session:
        for query, before, after in differ[:12]:
            candidates = title_candidates(session, query.title)
            lines.append(f"- {query.kind}: {query.title!r}: 89k {before}, 3M {after}; 3M candidates "
                         f"{[(p.arxiv_id, p.title[:60]) for p in candidates[:3]]}")
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--steps", default="import,lookups")
    parser.add_argument("--formats", default="kaggle,oai")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "mirror-scale")
    parser.add_argument("--every", type=int, default=1, help="take every N-th title query only")
    parser.add_argument("--keep", action="store_true", help="keep the databases (PostgreSQL: the schemas)")
    args = parser.parse_args()
    if not SHARED_CORPUS.is_file():
        print(f"skipped: {SHARED_CORPUS} is absent", file=sys.stderr)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    files = {"kaggle": args.corpus / "arxiv-mirror.jsonl", "oai": args.corpus / "oai-pages.tar"}
    steps = args.steps.split(",")
    print(f"load before: {os.getloadavg()}", flush=True)
    for kind in args.databases.split(","):
        runs: list[ImportRun] = []
        if "import" in steps:
            for fmt in args.formats.split(","):
                runs.append(run_import(kind, fmt, files[fmt], args.workdir))
                print("\n".join(import_table(runs[-1:])), flush=True)
                print(f"load: {os.getloadavg()}", flush=True)
            print("\n".join(import_table(runs)), flush=True)
        if "lookups" in steps:
            mirror = (f"sqlite:///{args.workdir / 'import_kaggle.db'}" if kind == "sqlite"
                      else pg_url("import_kaggle"))
            print("\n".join(lookups(kind, args.workdir, mirror, args.every)), flush=True)
            print(f"load: {os.getloadavg()}", flush=True)
        if not args.keep:
            if kind == "sqlite":
                for path in args.workdir.glob("*.db*"):
                    path.unlink()
            else:
                pg_admin(f'DROP DATABASE IF EXISTS "{PG_DB}"', db="postgres")


if __name__ == "__main__":
    main()
