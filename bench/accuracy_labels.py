"""Hand judgements of verdicts, keyed so they survive unrelated changes to the documents' reports.

A label names one finding of one reference: (document, line, code, what the reference cites). What it
cites is the arXiv id the report gives (or the cited id), else the cited title, else the reference's
text: never the reference's index, which shifts whenever extraction finds one reference more.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from app.check.report import Finding, ReferenceReport

LABELS = Path(__file__).resolve().parent / "accuracy_labels.tsv"
COLUMNS = ("document", "line", "code", "cites", "severity", "judgement", "reason")
JUDGEMENTS = ("true", "false")

Key = tuple[str, int, str, str]


@dataclass(frozen=True)
class Label:
    document: str
    line: int
    code: str
    cites: str
    severity: str
    judgement: str
    reason: str

    @property
    def key(self) -> Key:
        return (self.document, self.line, self.code, self.cites)


def cites(reference: ReferenceReport) -> str:
    """What a reference cites, as the labels name it."""
    ident = reference.arxiv_id or reference.cited.arxiv_id or reference.cited.title or reference.text
    return " ".join(ident.split())


def key_of(document: str, reference: ReferenceReport, finding: Finding) -> Key:
    return (document, reference.line, finding.code, cites(reference))


def alarms(reference: ReferenceReport) -> list[Finding]:
    """The findings a user is told to act on: broken or warning."""
    return [f for f in reference.findings if f.severity in ("broken", "warning")]


def read_labels(path: Path = LABELS) -> dict[Key, Label]:
    if not path.exists():
        return {}
    labels: dict[Key, Label] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["judgement"] not in JUDGEMENTS:
                raise ValueError(f"{path}: judgement must be true or false, not {row['judgement']!r}")
            label = Label(row["document"], int(row["line"]), row["code"], row["cites"], row["severity"],
                          row["judgement"], row["reason"])
            labels[label.key] = label
    return labels


def write_labels(labels: list[Label], path: Path = LABELS) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for label in sorted(labels, key=lambda x: (x.document, x.line, x.code, x.cites)):
            writer.writerow([label.document, label.line, label.code, label.cites, label.severity,
                             label.judgement, label.reason])


def judge(document: str, reference: ReferenceReport, labels: dict[Key, Label]) -> str | None:
    """"true" when one of the alarms that set the reference's status is labelled a true alarm, "false"
    when all of them are labelled false, None when any of them is unlabelled."""
    deciding = [f for f in alarms(reference) if f.severity == reference.status] or alarms(reference)
    found = [labels.get(key_of(document, reference, f)) for f in deciding]
    if any(label is not None and label.judgement == "true" for label in found):
        return "true"
    if found and all(label is not None for label in found):
        return "false"
    return None
