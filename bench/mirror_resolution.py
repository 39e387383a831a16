"""Mirror-aware resolution on the accuracy documents and the seeds: requests to arXiv and verdicts,
with and without a complete local mirror (docs/MIRROR-RESOLUTION.md).

    .venv/bin/python bench/mirror_resolution.py

Three databases check the same documents against the same stand-in (the shared corpus and our
fixture records):
- `empty`: nothing held, every answer comes from the stand-in (the accuracy harness's setting);
- `loaded`: the stand-in's records imported (`arxiv-enrich import`), no mirror coverage recorded:
  resolution as it is without a mirror, with the same data at hand;
- `mirror`: the same records and a finished full harvest recorded: a complete, current mirror.
`loaded` against `mirror` shows what the mirror rules change given the same data (target: nothing
but the requests); `empty` against `mirror` what a check gains from the mirror as a whole.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.check.report import ReferenceReport, Report  # noqa: E402
from bench.accuracy_run import check_all, standin_checker  # noqa: E402
from tests.arxiv_standin.corpus import Corpus, fixture_papers, shared_papers  # noqa: E402

SHARED = ROOT.parent / "shared"
DOCUMENTS = SHARED / "data" / "documents"
SEEDS = SHARED / "seeds"
MODES = ("empty", "loaded", "mirror")

Signature = tuple[int, str, str | None, tuple[tuple[str, str, str], ...]]


def documents() -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in sorted(DOCUMENTS.iterdir())
            if p.is_file() and p.name not in ("PROVENANCE.md", "ids.json")]
    return docs + [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]


def signature(reference: ReferenceReport) -> Signature:
    findings = tuple(sorted((f.code, f.severity, f.message) for f in reference.findings))
    return reference.line, reference.status, reference.arxiv_id, findings


def differences(name: str, before: Report, after: Report) -> list[str]:
    lost = sorted(set(map(signature, before.references)) - set(map(signature, after.references)))
    gained = sorted(set(map(signature, after.references)) - set(map(signature, before.references)))
    return ([f"{name}:{s[0]} before: {s[1]} {s[2] or ''} {[f[0] for f in s[3]]}" for s in lost]
            + [f"{name}:{s[0]} after:  {s[1]} {s[2] or ''} {[f[0] for f in s[3]]}" for s in gained])


def main() -> None:
    if not DOCUMENTS.is_dir():
        print(f"mirror_resolution: skipped, {DOCUMENTS} is absent")
        return
    docs = documents()
    corpus = Corpus(shared_papers() + fixture_papers())
    corpus.search_index().warm("ti")
    reports: dict[str, list[Report]] = {}
    requests: dict[str, list[dict[str, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in MODES:
            with standin_checker(Path(tmp), mirror=mode == "mirror", load=mode != "empty",
                                 corpus=corpus) as (runtime, _corpus, standin):
                reports[mode], requests[mode] = [], []
                for name, data in docs:
                    standin.log.clear()
                    (report,) = check_all(runtime, [(name, data)])
                    reports[mode].append(report)
                    asked = standin.api_requests()
                    searches = sum(1 for r in asked if "search_query" in r.params)
                    requests[mode].append({"ids": len(asked) - searches, "searches": searches})
    rows = ["| document | references | empty: id requests + searches | loaded | mirror |",
            "|---|---:|---:|---:|---:|"]
    totals = {mode: [0, 0] for mode in MODES}
    for i, (name, _) in enumerate(docs):
        cells = []
        for mode in MODES:
            counts = requests[mode][i]
            totals[mode][0] += counts["ids"]
            totals[mode][1] += counts["searches"]
            cells.append(f"{counts['ids']} + {counts['searches']}")
        rows.append(f"| {name} | {reports['mirror'][i].summary.references} | " + " | ".join(cells) + " |")
    rows.append("| **all** | " + str(sum(r.summary.references for r in reports["mirror"])) + " | "
                + " | ".join(f"**{t[0]} + {t[1]}**" for t in totals.values()) + " |")
    print("\n".join(rows))
    for before, after in (("loaded", "mirror"), ("empty", "mirror")):
        diff = [d for i, (name, _) in enumerate(docs)
                for d in differences(name, reports[before][i], reports[after][i])]
        lines = {d.split(" ")[0] for d in diff}
        print(f"\nReferences whose verdict differs, {before} → {after}: {len(lines)}")
        print("\n".join(f"- {d}" for d in diff))


if __name__ == "__main__":
    main()
