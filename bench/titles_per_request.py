"""How title recall changes with the number of titles OR'ed into one arXiv search (issue 18).

    .venv/bin/python bench/titles_per_request.py [--values 1,2,5,10,20,50]

The accuracy harness's inputs (the shared documents, their mutated copies, the seeds: docs/ACCURACY.md)
checked once per value of ARXIV_TITLES_PER_REQUEST, each on a fresh database, against one stand-in.
The first value is the baseline: every other value's references are compared with its references.
Prints a Markdown table for docs/BENCHMARKS.md ("Titles per search request").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.check.report import ReferenceReport, Report  # noqa: E402
from bench.accuracy import DOCUMENTS, SEEDS, documents, mutated  # noqa: E402
from bench.accuracy_run import check_all, runtime_for, standin  # noqa: E402
from tests.arxiv_standin.server import StandIn  # noqa: E402

Signature = tuple[str, str | None, frozenset[str]]


def signature(reference: ReferenceReport) -> Signature:
    """What a user sees of a reference: its verdict, the paper it resolved to, the finding codes."""
    return reference.status, reference.arxiv_id, frozenset(f.code for f in reference.findings)


def show(signature: Signature) -> str:
    status, arxiv_id, codes = signature
    return f"{status} {arxiv_id or '-'} [{', '.join(sorted(codes))}]"


def by_title(reference: ReferenceReport) -> bool:
    """A reference resolved by searching its title: it names a title and no arXiv id."""
    return reference.cited.arxiv_id is None and bool(reference.cited.title)


def run(server: StandIn, value: int, inputs: list[tuple[str, bytes]]) -> tuple[list[Report], int, int, float]:
    """The reports at `value` titles a request, the search requests sent, the longest search URL."""
    logged = len(server.log)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, \
            runtime_for(server, Path(tmp), arxiv_titles_per_request=value) as runtime:
        reports = check_all(runtime, inputs)
    elapsed = time.perf_counter() - started
    searches = [r for r in server.log[logged:] if r.path.startswith("/api/") and r.params.get("search_query")]
    longest = max((len(server.url) + 1 + len(urlencode(r.params)) for r in searches), default=0)
    return reports, len(searches), longest, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", default="1,2,5,10,20,50",
                        help="titles per request to try, comma-separated; the first is the baseline")
    args = parser.parse_args()
    values = [int(v) for v in args.values.split(",")]
    if not DOCUMENTS.is_dir():
        print(f"titles_per_request: skipped, {DOCUMENTS} is absent (the shared documents are not in this checkout)")
        return
    with standin() as (server, corpus):
        docs = documents()
        seeds = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
        baseline_docs, *_ = run(server, values[0], docs)
        texts = {name: data.decode("utf-8", errors="replace") for name, data in docs}
        clean = {name: report for (name, _), report in zip(docs, baseline_docs, strict=True)}
        _, _, copies = mutated(texts, clean, corpus)
        inputs = docs + copies + seeds
        rows = ["| titles per request | search requests | title references | found | same paper as 1 | "
                "verdicts changed | longest search URL (chars) | time (s) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        baseline: list[Signature] = []
        changes: list[str] = []
        for value in values:
            reports, searches, longest, elapsed = run(server, value, inputs)
            references = [(f"{name}:{r.line}", r) for (name, _), report in zip(inputs, reports, strict=True)
                          for r in report.references]
            signatures = [signature(r) for _, r in references]
            if not baseline:
                baseline = signatures
            titled = [i for i, (_, r) in enumerate(references) if by_title(r)]
            found = sum(1 for i in titled if references[i][1].arxiv_id)
            same = sum(1 for i in titled if references[i][1].arxiv_id == baseline[i][1])
            changed = [i for i, s in enumerate(signatures) if s != baseline[i]]
            changes += [f"- {value}: {references[i][0]} {show(baseline[i])} → {show(signatures[i])} "
                        f"({references[i][1].cited.title!r})" for i in changed]
            rows.append(f"| {value} | {searches} | {len(titled)} | {found} | {same} | {len(changed)} | "
                        f"{longest} | {elapsed:.0f} |")
            print(rows[-1], flush=True)
    print(f"\n{len(docs)} documents, {len(copies)} mutated copies, {len(seeds)} seeds; baseline {values[0]}.\n")
    print("\n".join(rows))
    if changes:
        print("\nChanged references:\n" + "\n".join(changes))


if __name__ == "__main__":
    main()
