"""Accuracy on real third-party documents (issue 15): ids found, verdicts against hand labels,
planted errors caught, and the seeds.

    .venv/bin/python bench/accuracy.py [--write]     # the figures (docs/ACCURACY.md with --write)
    .venv/bin/python bench/accuracy.py --unlabelled  # each broken/warning verdict with no label yet

Method, label rules and what "outside the stand-in" means: docs/ACCURACY.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.check.report import ReferenceReport, Report  # noqa: E402
from bench.accuracy_ids import base_id, expected_ids, recall_precision  # noqa: E402
from bench.accuracy_labels import Label, alarms, cites, judge, key_of, read_labels  # noqa: E402
from bench.accuracy_run import check_all, checker  # noqa: E402
from bench.arxiv_lookup import machine  # noqa: E402
from bench.mutations import DETECTED_BY, KINDS, Mutation, Pools, apply, copies, plan  # noqa: E402
from clients.arxiv.withdrawal import is_withdrawal_comment  # noqa: E402
from tests.arxiv_standin.corpus import Corpus  # noqa: E402

SHARED = ROOT.parent / "shared"
DOCUMENTS = SHARED / "data" / "documents"
SEEDS = SHARED / "seeds"
DOC = ROOT / "docs" / "ACCURACY.md"
PER_KIND = 20
TARGETS = {"broken": 0.95, "warning": 0.80, "planted": 0.90, "ids": 0.99}


def documents() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DOCUMENTS.iterdir())
            if p.is_file() and p.name not in ("PROVENANCE.md", "ids.json")]


def outside(reference: ReferenceReport, corpus: Corpus) -> bool:
    """A verdict the stand-in cannot give as arXiv would: the cited id is not among its records, or
    the only alarm is about versions of a record whose version history the stand-in lacks."""
    cited = reference.cited.arxiv_id
    if cited and corpus.get(base_id(cited)) is None and reference.paper is None:
        return True
    codes = {f.code for f in alarms(reference)}
    paper = corpus.get(reference.arxiv_id) if reference.arxiv_id else None
    return codes == {"version_not_found"} and paper is not None and not paper.versions_listed


def ratio(hit: int, total: int) -> str:
    return f"{hit / total:.3f} ({hit}/{total})" if total else "n/a (0)"


def meets(hit: int, total: int, target: float) -> str:
    return "—" if not total else ("yes" if hit / total >= target else "**no**")


def verdict_context(document: str, text: str, reference: ReferenceReport) -> str:
    lines = text.splitlines()
    line = lines[reference.line - 1].strip() if 0 < reference.line <= len(lines) else ""
    paper = reference.paper
    parts = [f"{document}:{reference.line}  {reference.status}  cites {cites(reference)}",
             f"  line:    {line[:400]}",
             f"  cited:   {reference.cited.model_dump(exclude_none=True, exclude_defaults=True)}"]
    if paper is not None:
        authors = ", ".join(paper.authors[:8]) + (" et al." if len(paper.authors) > 8 else "")
        parts.append(f"  paper:   {paper.arxiv_id} \"{paper.title}\" | {authors} | v1 {paper.published}, "
                     f"v{paper.latest_version} {paper.updated}{' | withdrawn' if paper.withdrawn else ''}")
    for finding in alarms(reference):
        parts.append(f"  finding: {finding.code} ({finding.severity}) {finding.message}")
    return "\n".join(parts)


def id_rows(texts: dict[str, str], reports: dict[str, Report]) -> tuple[list[str], tuple[int, int, int]]:
    listed = json.loads((DOCUMENTS / "ids.json").read_text())
    rows = ["| document | references | ok | warning | broken | unresolved | ids expected | ids found | "
            "id recall | id precision | missed | extra |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    totals = [0, 0, 0]
    for name, report in reports.items():
        expected = expected_ids(name, texts[name], listed.get(name, []))
        found = {base_id(r.cited.arxiv_id) for r in report.references if r.cited.arxiv_id}
        hit, n_expected, n_found = recall_precision(expected, found)
        totals = [totals[0] + hit, totals[1] + n_expected, totals[2] + n_found]
        s = report.summary
        missed = ", ".join(sorted(expected - found)[:6]) + (" …" if len(expected - found) > 6 else "")
        extra = ", ".join(sorted(found - expected)[:6]) + (" …" if len(found - expected) > 6 else "")
        rows.append(f"| {name} | {s.references} | {s.ok} | {s.warning} | {s.broken} | {s.unresolved} | "
                    f"{n_expected} | {n_found} | {hit / n_expected if n_expected else 1:.2f} | "
                    f"{hit / n_found if n_found else 1:.2f} | {missed} | {extra} |")
    return rows, (totals[0], totals[1], totals[2])


def verdicts(texts: dict[str, str], reports: dict[str, Report], corpus: Corpus,
             labels: dict[tuple[str, int, str, str], Label]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Precision rows, the diff against the labels, the unlabelled verdicts' contexts, and the false
    alarms still reported (with their labels' reasons): what is left to fix."""
    tally: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, int, str, str]] = set()
    diff: list[str] = []
    unlabelled: list[str] = []
    false_alarms: list[str] = []
    for name, report in reports.items():
        for reference in report.references:
            if reference.status not in ("broken", "warning"):
                continue
            if outside(reference, corpus):
                tally[(reference.status, "outside")] += 1
                continue
            for finding in alarms(reference):
                key = key_of(name, reference, finding)
                seen.add(key)
                label = labels.get(key)
                if label is None:
                    diff.append(f"new: {name}:{reference.line} {finding.code} ({finding.severity}) "
                                f"{cites(reference)}")
                elif label.severity != finding.severity:
                    diff.append(f"changed: {name}:{reference.line} {finding.code} {label.severity} → "
                                f"{finding.severity} {cites(reference)} (labelled {label.judgement})")
            judgement = judge(name, reference, labels)
            tally[(reference.status, judgement or "unlabelled")] += 1
            if judgement is None:
                unlabelled.append(verdict_context(name, texts[name], reference))
            elif judgement == "false":
                reasons = {labels[key_of(name, reference, f)].reason for f in alarms(reference)
                           if key_of(name, reference, f) in labels}
                codes = ", ".join(sorted({f.code for f in alarms(reference)}))
                false_alarms.append(f"{name}:{reference.line} {reference.status} {codes}: {'; '.join(sorted(reasons))}")
    for key, label in sorted(labels.items()):
        if key not in seen and label.document in reports:
            diff.append(f"gone: {label.document}:{label.line} {label.code} ({label.severity}) {label.cites} "
                        f"(labelled {label.judgement})")
    rows = ["| status | true alarms | false alarms | unlabelled | outside the stand-in | precision | target | met |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    for status in ("broken", "warning"):
        true, false = tally[(status, "true")], tally[(status, "false")]
        rows.append(f"| {status} | {true} | {false} | {tally[(status, 'unlabelled')]} | "
                    f"{tally[(status, 'outside')]} | {ratio(true, true + false)} | ≥ {TARGETS[status]:.2f} | "
                    f"{meets(true, true + false, TARGETS[status])} |")
    return rows, diff, unlabelled, false_alarms


def _signature(reference: ReferenceReport) -> tuple[str, frozenset[str]]:
    return reference.status, frozenset(f.code for f in alarms(reference))


def mutated(texts: dict[str, str], reports: dict[str, Report],
            corpus: Corpus) -> tuple[list[Mutation], list[tuple[str, list[Mutation]]], list[tuple[str, bytes]]]:
    """The planted errors, the copies holding them (keyed `document#n`), and each copy's text."""
    pools = Pools(
        real=sorted({(r.arxiv_id, r.paper.title) for rep in reports.values() for r in rep.references
                     if r.status == "ok" and r.arxiv_id and r.paper is not None}),
        withdrawn=sorted(p.arxiv_id for p in corpus if is_withdrawal_comment(p.comment) or p.withdrawn),
        known=frozenset(corpus.by_id))
    clean = {name: (texts[name], reports[name].references) for name in reports}
    mutations = plan(clean, pools, per_kind=PER_KIND)
    mutated_docs = [(f"{g[0].document}#{i}", g) for i, g in enumerate(copies(mutations))]
    data = [(g[0].document, apply(texts[g[0].document], [e for m in g for e in m.edits]).encode("utf-8"))
            for _, g in mutated_docs]
    return mutations, mutated_docs, data


def planted(runtime: object, texts: dict[str, str], reports: dict[str, Report], corpus: Corpus) -> list[str]:
    mutations, mutated_docs, data = mutated(texts, reports, corpus)
    groups = [g for _, g in mutated_docs]
    checked = check_all(runtime, data)  # type: ignore[arg-type]
    mutated_reports = {key: report for (key, _), report in zip(mutated_docs, checked, strict=True)}
    caught: Counter[str] = Counter()
    planted_count: Counter[str] = Counter()
    misses: list[str] = []
    side_effects: list[str] = []
    for key, group in mutated_docs:
        name = group[0].document
        before = reports[name].references
        after = mutated_reports[key].references
        name = key.split("#")[0]
        targets = {m.line: m for m in group}
        for m in group:
            planted_count[m.kind] += 1
            hits = [r for r in after if r.line == m.line]
            codes = {f.code for r in hits for f in alarms(r)}
            if any(r.status in ("broken", "warning") for r in hits) and codes & DETECTED_BY[m.kind]:
                caught[m.kind] += 1
            else:
                got = "; ".join(f"{r.status} {sorted(codes)}" for r in hits) or "no reference"
                misses.append(f"{m.kind} at {name}:{m.line} ({m.note}): {got}")
        # Every reference on a line no mutation touched keeps its verdict (lines do not move: edits
        # never add or remove a newline).
        lines_before = Counter((r.line, _signature(r)) for r in before if r.line not in targets)
        lines_after = Counter((r.line, _signature(r)) for r in after if r.line not in targets)
        for (line, (status, codes)), count in sorted((lines_before - lines_after).items()):
            side_effects.append(f"{key}: {name}:{line} lost {count}× {status} {sorted(codes)}")
        for (line, (status, codes)), count in sorted((lines_after - lines_before).items()):
            side_effects.append(f"{key}: {name}:{line} gained {count}× {status} {sorted(codes)}")
    rows = [f"{len(mutations)} mutations in {len(groups)} mutated copies (seed 15, up to {PER_KIND} per kind).", "",
            "| kind | planted | caught | recall | codes that count | target | met |",
            "|---|---:|---:|---:|---|---:|---|"]
    for kind in KINDS:
        rows.append(f"| {kind} | {planted_count[kind]} | {caught[kind]} | {ratio(caught[kind], planted_count[kind])} | "
                    f"{', '.join(sorted(DETECTED_BY[kind]))} | ≥ {TARGETS['planted']:.2f} | "
                    f"{meets(caught[kind], planted_count[kind], TARGETS['planted'])} |")
    rows += ["", f"Other references whose verdict changed in the mutated copies (target 0): **{len(side_effects)}**"]
    rows += [f"- {s}" for s in side_effects[:30]]
    if misses:
        rows += ["", "Planted errors missed:"] + [f"- {m}" for m in misses]
    return rows


def seeds(runtime: object) -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    checked = check_all(runtime, [(p.name, p.read_bytes()) for p in paths])  # type: ignore[arg-type]
    reports = {p.name: report for p, report in zip(paths, checked, strict=True)}
    # The planted problems of the seeds (tests/check/test_seeds_end_to_end.py).
    problems = {("000_8d43cf46a157c8d8.txt", 115): {"author_mismatch"},
                ("002_af388bb998aa40c7.txt", 71): {"title_mismatch"}}
    missed_titles = {("002_af388bb998aa40c7.txt", 87): "How to represent part-whole hierarchies in a neural network",
                     ("004_982281470ab976d1.txt", 97): "NIPS 2016 Tutorial: Generative Adversarial Networks"}
    rows = ["| seed | references | planted problems caught | wrongly broken | titles still missed found |",
            "|---|---:|---:|---:|---|"]
    for name, report in reports.items():
        mine = {line: codes for (doc, line), codes in problems.items() if doc == name}
        caught = sum(1 for line, codes in mine.items()
                     if any(r.line == line and r.status != "ok" and codes & {f.code for f in r.findings}
                            for r in report.references))
        wrongly = sum(1 for r in report.references if r.status == "broken" and r.line not in mine)
        titles = [f"line {line}: {'yes' if any(r.line == line for r in report.references) else 'no'}"
                  for (doc, line) in missed_titles if doc == name]
        rows.append(f"| {name} | {report.summary.references} | {caught}/{len(mine)} | {wrongly} | "
                    f"{', '.join(titles) or '—'} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/ACCURACY.md")
    parser.add_argument("--unlabelled", action="store_true",
                        help="print every broken/warning verdict that has no label, with its context")
    parser.add_argument("--no-mutations", action="store_true", help="skip the planted errors (faster)")
    parser.add_argument("--mirror", action="store_true",
                        help="check from a complete, current local mirror of the stand-in (docs/MIRROR-RESOLUTION.md): "
                             "the figures must be the same as without")
    args = parser.parse_args()
    if not DOCUMENTS.is_dir():
        print(f"accuracy: skipped, {DOCUMENTS} is absent (the shared documents are not in this checkout)")
        return
    started = time.perf_counter()
    random.seed(15)
    labels = read_labels()
    with tempfile.TemporaryDirectory() as tmp, checker(Path(tmp), mirror=args.mirror) as (runtime, corpus):
        docs = documents()
        texts = {name: data.decode("utf-8", errors="replace") for name, data in docs}
        reports = {name: report for (name, _), report in zip(docs, check_all(runtime, docs), strict=True)}
        precision, diff, unlabelled, false_alarms = verdicts(texts, reports, corpus, labels)
        if args.unlabelled:
            print("\n\n".join(unlabelled) if unlabelled else "Every broken/warning verdict has a label.")
            return
        ids, (hit, n_expected, n_found) = id_rows(texts, reports)
        planted_rows = ["not run (--no-mutations)"] if args.no_mutations else planted(runtime, texts, reports, corpus)
        seed_rows = seeds(runtime)
    elapsed = time.perf_counter() - started
    section = "\n".join([
        "## Figures",
        "",
        f"`bench/accuracy.py`, run {time.strftime('%Y-%m-%d')} on {machine()} in {elapsed:.0f} s, "
        f"{len(reports)} documents, {len(labels)} labels.",
        "",
        "### Verdicts against the labels",
        "",
        *precision,
        "",
        f"Verdicts new or changed since the labels were written: **{len(diff)}**",
        *[f"- {d}" for d in diff[:60]],
        *([f"- … and {len(diff) - 60} more"] if len(diff) > 60 else []),
        "",
        f"False alarms still reported: **{len(false_alarms)}**",
        *[f"- {f}" for f in false_alarms],
        "",
        "### arXiv ids found",
        "",
        f"Over all documents: recall {ratio(hit, n_expected)}, precision {ratio(hit, n_found)} "
        f"(target ≥ {TARGETS['ids']:.2f} each: {meets(hit, n_expected, TARGETS['ids'])}, "
        f"{meets(hit, n_found, TARGETS['ids'])}).",
        "",
        *ids,
        "",
        "### Planted errors",
        "",
        *planted_rows,
        "",
        "### Seeds",
        "",
        *seed_rows,
        "",
    ])
    print(section)
    if args.write:
        current = DOC.read_text(encoding="utf-8")
        head = current.split("## Figures", 1)[0].rstrip() + "\n\n"
        DOC.write_text(head + section, encoding="utf-8")


if __name__ == "__main__":
    main()
