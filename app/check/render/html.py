"""One self-contained HTML page: summary, a table per status, cited against actual, links.

Everything from the document is escaped: a citation must never inject markup or script.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from app.check.render.common import HEADINGS, by_status, summary_line
from app.check.report import ReferenceReport, Report

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;
  color:#1f2328;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
.summary{display:flex;gap:.75rem;flex-wrap:wrap;margin:1rem 0}
.pill{padding:.3rem .7rem;border-radius:1rem;background:#f2f4f7;font-weight:600}
.broken{color:#b42318}.warning{color:#b54708}.ok{color:#067647}.unresolved{color:#175cd3}.unverified{color:#6941c6}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #e4e7ec;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f9fafb;font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
td.line{white-space:nowrap;color:#667085}.ref{word-break:break-all;font-family:ui-monospace,monospace;font-size:.85rem}
.finding{margin:.15rem 0}.code{font-family:ui-monospace,monospace;font-weight:600}.muted{color:#667085}
"""


def _cited(ref: ReferenceReport) -> str:
    parts = []
    if ref.cited.title:
        parts.append(f"<div>“{escape(ref.cited.title)}”</div>")
    if ref.cited.authors:
        parts.append(f"<div class=muted>{escape(', '.join(ref.cited.authors))}</div>")
    if ref.cited.year:
        month = f"-{ref.cited.month:02d}" if ref.cited.month else ""
        parts.append(f"<div class=muted>{ref.cited.year}{month}</div>")
    return "".join(parts) or "<span class=muted>—</span>"


def _actual(ref: ReferenceReport) -> str:
    if ref.paper is None:
        if ref.candidates:
            items = "".join(f"<li><a href=\"https://arxiv.org/abs/{escape(c.arxiv_id)}\">{escape(c.arxiv_id)}</a> "
                            f"{escape(c.title)}</li>" for c in ref.candidates)
            return f"<ul>{items}</ul>"
        return "<span class=muted>—</span>"
    p = ref.paper
    return (f"<div>“{escape(p.title)}”</div><div class=muted>{escape(', '.join(p.authors))}</div>"
            f"<div class=muted>{p.published:%Y-%m} · v{p.latest_version} · "
            f"<a href=\"{escape(p.abs_url)}\">abs</a> · <a href=\"{escape(p.pdf_url)}\">pdf</a></div>")


def _findings(ref: ReferenceReport) -> str:
    return "".join(f"<div class=\"finding {escape(f.severity)}\"><span class=code>{escape(f.code)}</span> "
                   f"{escape(f.message)}</div>" for f in ref.findings) or "<span class=muted>—</span>"


def _report(report: Report, name: str) -> str:
    s = report.summary
    pills = "".join(f"<span class=\"pill {cls}\">{count} {label}</span>" for cls, count, label in (
        ("broken", s.broken, "broken"), ("warning", s.warning, "warning"), ("ok", s.ok, "ok"),
        ("unresolved", s.unresolved, "not on arXiv"), ("unverified", s.unverified, "unverified")))
    sections = []
    for status, refs in by_status(report):
        rows = "".join(
            f"<tr><td class=line>{ref.line}:{ref.column}</td><td class=ref>{escape(ref.text)}</td>"
            f"<td>{_cited(ref)}</td><td>{_actual(ref)}</td><td>{_findings(ref)}</td></tr>" for ref in refs)
        sections.append(f"<h2 class={status}>{escape(HEADINGS[status])} ({len(refs)})</h2>"
                        "<table><thead><tr><th>Line</th><th>Reference</th><th>Cited</th>"
                        f"<th>arXiv</th><th>Findings</th></tr></thead><tbody>{rows}</tbody></table>")
    return (f"<section><h1>arXiv references in {escape(name)}</h1>"
            f"<p class=muted>{escape(summary_line(report))}</p><div class=summary>{pills}</div>"
            + "".join(sections) + "</section>")


def render_html(reports: Sequence[Report], names: Sequence[str]) -> str:
    title = escape(names[0]) if len(names) == 1 else f"{len(names)} documents"
    body = "".join(_report(r, n) for r, n in zip(reports, names, strict=True))
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            f"<meta name=viewport content=\"width=device-width,initial-scale=1\">"
            f"<title>arxiv-enrich report: {title}</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>\n")
