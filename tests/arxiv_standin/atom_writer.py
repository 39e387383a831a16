"""The current arXiv API's Atom, byte for byte (ARXIV-API.md §2.2: feedgen 0.9 + lxml, pretty).

Single-quoted XML declaration, 2-space indent, namespaces declared on <feed> in the order
opensearch, arxiv, default; the feed id is https://arxiv.org/api/ + base64(sha1(canon)) without
its '='; text escaped the lxml way (&amp; &lt; &gt; only).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote_plus

from tests.arxiv_standin.corpus import StandinPaper

HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)
WERKZEUG_SAFE = "!$'()*,/:;?@"


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    return esc(text).replace('"', "&quot;")


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canon(query: str, ids: Sequence[str], start: int, max_results: int) -> str:
    return f"search_query={query}&id_list={','.join(ids)}&start={start}&max_results={max_results}"


def feed_id(canonical: str) -> str:
    digest = base64.b64encode(hashlib.sha1(canonical.encode("utf-8")).digest()).decode()  # noqa: S324
    return "https://arxiv.org/api/" + digest.rstrip("=")


def _link(query: str, ids: Sequence[str], start: int, max_results: int) -> str:
    pairs = [("search_query", query), ("start", str(start)), ("max_results", str(max_results)),
             ("id_list", ",".join(ids))]
    return "https://arxiv.org/api/query?" + "&".join(
        f"{k}={quote_plus(v, safe=WERKZEUG_SAFE)}" for k, v in pairs)


def entry_xml(paper: StandinPaper, version: int) -> str:
    vid = f"{paper.arxiv_id}v{version}"
    updated = paper.version_dates[version - 1]
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{esc(paper.title_of(version))}</title>",
        f"    <updated>{stamp(updated)}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>',
        f"    <summary>{esc(paper.abstract)}</summary>",
    ]
    lines += [f'    <category term="{esc_attr(c)}" scheme="http://arxiv.org/schemas/atom"/>'
              for c in paper.categories]
    lines.append(f"    <published>{stamp(paper.version_dates[0])}</published>")
    if paper.comment:
        lines.append(f"    <arxiv:comment>{esc(paper.comment)}</arxiv:comment>")
    lines.append(f'    <arxiv:primary_category term="{esc_attr(paper.categories[0])}"/>')
    if paper.journal_ref:
        lines.append(f"    <arxiv:journal_ref>{esc(paper.journal_ref)}</arxiv:journal_ref>")
    for name, affiliations in paper.authors:
        lines.append("    <author>")
        lines.append(f"      <name>{esc(name)}</name>")
        lines += [f"      <arxiv:affiliation>{esc(a)}</arxiv:affiliation>" for a in affiliations]
        lines.append("    </author>")
    if paper.doi:
        lines.append(f"    <arxiv:doi>{esc(paper.doi)}</arxiv:doi>")
        lines.append(f'    <link rel="related" href="https://doi.org/{esc_attr(paper.doi)}" title="doi"/>')
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def feed_xml(*, query: str, ids: Sequence[str], start: int, max_results: int, total: int,
             entries: Sequence[tuple[StandinPaper, int]], now: datetime) -> bytes:
    canonical = canon(query, ids, start, max_results)
    head = (
        HEAD
        + f"  <id>{feed_id(canonical)}</id>\n"
        + f"  <title>arXiv Query: {esc(canonical)}</title>\n"
        + f"  <updated>{stamp(now)}</updated>\n"
        + f'  <link href="{esc_attr(_link(query, ids, start, max_results))}" type="application/atom+xml"/>\n'
        + f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    body = "".join(entry_xml(paper, version) for paper, version in entries)
    return (head + body + "</feed>\n").encode("utf-8")


def error_feed(message: str, *, fragment: str | None, now: datetime) -> bytes:
    """arXiv's error feed (HTTP 400 or 500): its only entry's id is under …/api/errors."""
    link = "https://arxiv.org/api/errors" + (f"#{fragment}" if fragment is not None else "")
    when = stamp(now)
    return (
        HEAD
        + "  <id>https://arxiv.org/</id>\n"
        + "  <title>arXiv Search Results</title>\n"
        + f"  <updated>{when}</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + "  <entry>\n"
        + f"    <id>{esc(link)}</id>\n"
        + "    <title>Error</title>\n"
        + f"    <updated>{when}</updated>\n"
        + f'    <link href="{esc_attr(link)}" rel="alternate" type="text/html"/>\n'
        + f"    <summary>{esc(message)}</summary>\n"
        + "    <author>\n"
        + "      <name>arXiv api core</name>\n"
        + "    </author>\n"
        + "  </entry>\n"
        + "</feed>\n"
    ).encode("utf-8")
