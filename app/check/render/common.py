"""What every renderer shows the same way."""

from __future__ import annotations

from app.check.report import ReferenceReport, Report, Status

ORDER: tuple[Status, ...] = ("broken", "warning", "unresolved", "unverified", "ok")
HEADINGS = {
    "broken": "Broken", "warning": "Warnings", "unresolved": "Not on arXiv",
    "unverified": "Not verified (arXiv unreachable)", "ok": "OK",
}


def by_status(report: Report) -> list[tuple[Status, list[ReferenceReport]]]:
    groups = [(s, [r for r in report.references if r.status == s]) for s in ORDER]
    return [(s, refs) for s, refs in groups if refs]


def summary_line(report: Report) -> str:
    s = report.summary
    return (f"{s.references} references: {s.broken} broken, {s.warning} warning, {s.ok} ok, "
            f"{s.unresolved} not on arXiv, {s.unverified} unverified")


def cited_line(ref: ReferenceReport) -> str:
    parts = []
    if ref.cited.title:
        parts.append(f"\"{ref.cited.title}\"")
    elif ref.cited.label:
        parts.append(f"as {ref.cited.label}")
    if ref.cited.authors:
        authors = ref.cited.authors
        parts.append(", ".join(authors[:4]) + (" et al." if len(authors) > 4 else ""))
    if ref.cited.year:
        parts.append(str(ref.cited.year))
    return " — ".join(parts)


def actual_line(ref: ReferenceReport) -> str:
    if ref.paper is None:
        return ""
    p = ref.paper
    authors = ", ".join(p.authors[:4]) + (" et al." if len(p.authors) > 4 else "")
    return f"arXiv:{p.arxiv_id}v{p.latest_version} \"{p.title}\" — {authors} — {p.published:%Y-%m}"
