"""Reports in the forms workflows want: text, json, markdown, html, sarif; and the CLI's exit code.

One paper as a BibTeX entry (GET /v1/papers/{id}?format=bibtex) is written by bibtex.py here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from app.check.render.html import render_html
from app.check.render.markdown import render_markdown
from app.check.render.sarif import render_sarif
from app.check.render.text import render_text
from app.check.report import Report

Format = Literal["text", "json", "markdown", "html", "sarif"]
FailOn = Literal["broken", "warning", "never"]


def render(reports: Sequence[Report], fmt: Format | str, *, paths: Sequence[str] | None = None,
           color: bool = False) -> str:
    names = list(paths) if paths is not None else [r.document.name or "-" for r in reports]
    if fmt == "json":
        if len(reports) == 1:
            return reports[0].model_dump_json(indent=2) + "\n"
        return json.dumps([r.model_dump(mode="json") for r in reports], indent=2) + "\n"
    if fmt == "text":
        return render_text(reports, names, color=color)
    if fmt == "markdown":
        return render_markdown(reports, names)
    if fmt == "html":
        return render_html(reports, names)
    if fmt == "sarif":
        return render_sarif(reports, names)
    raise ValueError(f"unknown report format {fmt!r}")


def exit_code(reports: Sequence[Report], fail_on: FailOn | str) -> int:
    """1 when a reference reaches `fail_on` (broken, or warning and worse), else 0."""
    if fail_on == "never":
        return 0
    statuses = {ref.status for report in reports for ref in report.references}
    failing = {"broken"} if fail_on == "broken" else {"broken", "warning"}
    return 1 if statuses & failing else 0
