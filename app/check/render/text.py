"""A readable terminal report, grouped by status, in colour through rich."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from app.check.render.common import HEADINGS, actual_line, by_status, cited_line, summary_line
from app.check.report import Report

STYLE = {"broken": "bold red", "warning": "yellow", "unresolved": "cyan", "unverified": "magenta",
         "ok": "green", "info": "dim"}
MARK = {"broken": "✗", "warning": "!", "info": "·"}


def render_text(reports: Sequence[Report], names: Sequence[str], *, color: bool) -> str:
    console = Console(record=True, force_terminal=color, color_system="standard" if color else None,
                      width=110, file=open("/dev/null", "w"), highlight=False)  # noqa: SIM115
    for report, name in zip(reports, names, strict=True):
        console.print(Text(f"{name}: {summary_line(report)}", style="bold"))
        for status, refs in by_status(report):
            console.print(Text(f"  {HEADINGS[status]} ({len(refs)})", style=STYLE[status]))
            for ref in refs:
                console.print(Text(f"    {name}:{ref.line}:{ref.column}  {ref.text}", style=STYLE[status]),
                              soft_wrap=True)
                cited = cited_line(ref)
                if cited and status != "ok":
                    console.print(Text(f"      cited:  {cited}"), soft_wrap=True)
                actual = actual_line(ref)
                if actual:
                    console.print(Text(f"      arXiv:  {actual}"), soft_wrap=True)
                for finding in ref.findings:
                    console.print(Text(f"      {MARK[finding.severity]} {finding.code}: {finding.message}",
                                       style=STYLE[finding.severity]), soft_wrap=True)
        console.print()
    return console.export_text(styles=color)
