"""A Markdown report: a summary and a table per status, for pull-request comments and wikis."""

from __future__ import annotations

from collections.abc import Sequence

from app.check.render.common import HEADINGS, by_status, cited_line, summary_line
from app.check.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def render_markdown(reports: Sequence[Report], names: Sequence[str]) -> str:
    out: list[str] = []
    for report, name in zip(reports, names, strict=True):
        out += [f"# arXiv references in `{name}`", "", summary_line(report), ""]
        for status, refs in by_status(report):
            out += [f"## {HEADINGS[status]} ({len(refs)})", "",
                    "| Line | Reference | Cited | arXiv | Findings |", "|---:|---|---|---|---|"]
            for ref in refs:
                arxiv = (f"[{ref.paper.arxiv_id}]({ref.paper.abs_url}) {ref.paper.title}"
                         if ref.paper else "")
                findings = "<br>".join(f"**{f.code}** ({f.severity}): {f.message}" for f in ref.findings)
                out.append(f"| {ref.line}:{ref.column} | {_cell(ref.text)} | {_cell(cited_line(ref))} | "
                           f"{_cell(arxiv)} | {_cell(findings)} |")
            out.append("")
    return "\n".join(out) + "\n"
