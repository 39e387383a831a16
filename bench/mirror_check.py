"""A 500-reference bibliography checked from a complete mirror (issue 18): upstream requests and time.

    .venv/bin/python bench/mirror_check.py CORPUS_DIR [--database-url URL] [--entries 500]

Builds a BibTeX file of 500 entries from the corpus (bench/mirror_corpus.py): real and generated
papers cited by eprint id with their title, authors and year; real papers cited by title alone;
entries with an error (a typo in the title, a wrong year, an author who is not the paper's); and
titles that are not in the corpus. Imports the corpus's JSON lines into the database (unless
--database-url names one that holds it already), records the mirror as complete (a finished full
harvest window, app/resolve/mirror_coverage.record_finished_window), then runs
`arxiv-enrich check` on the file end to end with ARXIV_API_URL and ARXIV_OAI_URL on a stand-in
that counts the requests it gets (tests/arxiv_standin, serving the 89k real records; no interval
between requests, so the time is ours: at arXiv's pace each request would add 3 s).
Target: 0 upstream requests, under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import migrate  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.models import LookupCacheRow, MirrorHarvestRow  # noqa: E402
from app.resolve.mirror_coverage import record_finished_window  # noqa: E402
from bench.mirror_corpus import SHARED_CORPUS, Shards, generated_paper, load_source  # noqa: E402
from bench.mirror_scale import NOT_ON_ARXIV  # noqa: E402
from bench.resolution import perturb  # noqa: E402
from clients.arxiv.records import Paper  # noqa: E402

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))


def _bib_text(value: str) -> str:
    return value.replace("{", "").replace("}", "").replace("\\", "")


def entry(key: str, title: str, authors: list[str], year: int, eprint: str | None = None) -> str:
    fields = [f"  title = {{{_bib_text(title)}}}", f"  author = {{{' and '.join(_bib_text(a) for a in authors)}}}",
              f"  year = {{{year}}}"]
    if eprint:
        fields += [f"  eprint = {{{eprint}}}", "  archivePrefix = {arXiv}"]
    return f"@article{{{key},\n" + ",\n".join(fields) + "\n}\n"


def bibliography(corpus_records: int, entries: int = 500, seed: int = 18) -> tuple[str, dict[str, int]]:
    """The BibTeX text and how many entries of each kind it holds."""
    rng = random.Random(seed)
    source = load_source()
    shards = Shards(source, 18)  # the seed bench/mirror_corpus.py writes by default
    usable = [p for p in source.papers if p.authors and len(p.title.split()) >= 4]
    generated_count = max(0, corpus_records - len(source.papers))
    plan = {"real, by id": entries * 30 // 100, "generated, by id": entries * 20 // 100,
            "real, by title only": entries * 25 // 100, "with an error": entries * 15 // 100}
    plan["not in the corpus"] = entries - sum(plan.values())
    parts: list[str] = []

    def add(kind: str, paper: Paper | None, title: str, authors: list[str], year: int, eprint: str | None) -> None:
        parts.append(entry(f"ref{len(parts) + 1}", title, authors, year, eprint))

    def names(paper: Paper) -> list[str]:
        return [a.name for a in paper.authors[:6]]

    for paper in rng.sample(usable, plan["real, by id"]):
        add("id", paper, paper.title, names(paper), paper.published.year, paper.arxiv_id)
    for index in rng.sample(range(generated_count), min(generated_count, plan["generated, by id"])):
        paper = generated_paper(source, shards, index)
        add("gen", paper, paper.title, names(paper), paper.published.year, paper.arxiv_id)
    for paper in rng.sample(usable, plan["real, by title only"]):
        add("title", paper, paper.title, names(paper), paper.published.year, None)
    for n, paper in enumerate(rng.sample(usable, plan["with an error"])):
        if n % 3 == 0:
            add("typo", paper, perturb(paper.title, rng), names(paper), paper.published.year, paper.arxiv_id)
        elif n % 3 == 1:
            add("year", paper, paper.title, names(paper), paper.published.year - 4, paper.arxiv_id)
        else:
            add("author", paper, paper.title, ["Q. Nobody", *names(paper)[1:]], paper.published.year, None)
    for n in range(plan["not in the corpus"]):
        title = NOT_ON_ARXIV[n % len(NOT_ON_ARXIV)]
        add("absent", None, title if n < len(NOT_ON_ARXIV) else f"{title}: part {n // len(NOT_ON_ARXIV) + 1}",
            ["A. Writer"], 1990 + n % 30, None)
    return "\n".join(parts), plan


def mark_complete(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        harvest = MirrorHarvestRow(status="finished", response_date=now, started_at=now, finished_at=now)
        session.add(harvest)
        session.flush()
        record_finished_window(session, harvest, now=now)
        # Measured cold: a run before this one left its answers (earlier versions' titles) cached.
        session.execute(delete(LookupCacheRow))
        session.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--entries", type=int, default=500)
    args = parser.parse_args()
    if not SHARED_CORPUS.is_file():
        print(f"skipped: {SHARED_CORPUS} is absent", file=sys.stderr)
        return
    from tests.arxiv_standin.corpus import Corpus, fixture_papers, shared_papers
    from tests.arxiv_standin.server import StandIn

    corpus_file = args.corpus / "arxiv-mirror.jsonl"
    with corpus_file.open("rb") as handle:
        records = sum(1 for _ in handle)
    work = Path(tempfile.mkdtemp(prefix="mirror-check-"))
    url = args.database_url or f"sqlite:///{work / 'mirror.db'}"
    env = {**os.environ, "DATABASE_URL": url, "ARXIV_MIN_INTERVAL": "0"}
    if not args.database_url:
        subprocess.run([EXE, "import", str(corpus_file)], env=env, check=True)
    mark_complete(url)
    text, plan = bibliography(records, args.entries)
    bib = work / "bibliography.bib"
    bib.write_text(text, encoding="utf-8")
    with StandIn(Corpus(shared_papers() + fixture_papers())) as standin:
        env |= {"ARXIV_API_URL": standin.url, "ARXIV_OAI_URL": standin.oai_url}
        started = time.monotonic()
        done = subprocess.run([EXE, "check", str(bib), "--format", "json", "--fail-on", "never"], env=env,
                              capture_output=True, text=True)
        wall = time.monotonic() - started
        api = standin.api_requests()
        everything = standin.log
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    report = json.loads(done.stdout)
    searches = sum(1 for r in api if "search_query" in r.params)
    print(f"bibliography: {sum(plan.values())} entries {plan}; corpus {records:,} records; database {url}")
    print(f"upstream requests: {len(everything)} ({len(api)} API: {len(api) - searches} id lookups, "
          f"{searches} title searches); wall {wall:.1f} s (target: 0 requests, < 5 s)")
    for request in api:  # what still went upstream, and why it could: the ids or the query asked
        print(f"  asked: {request.params.get('id_list') or request.params.get('search_query')}")
    print(f"summary: {report['summary']}")
    for path in work.iterdir():  # the bibliography, and the database unless --database-url named one
        path.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
