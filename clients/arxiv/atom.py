"""Parsing arXiv's Atom feeds into Paper records (feedparser lives only here).

Every body is first parsed by defusedxml, which rejects entity expansion ("billion laughs") and
external entities, and proves the document complete: a truncated body, an empty one or an HTML
"Access Denied" page is a MalformedResponse (retried), never an empty answer. feedparser then reads
the entries; it collapses arXiv's per-author affiliations into one value, so authors come from the
XML tree instead (arxiv.py left feedparser for the same reason).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from clients.arxiv.errors import ArxivApiError, MalformedResponse
from clients.arxiv.records import Author, Paper
from clients.arxiv.safe_xml import parse_xml
from clients.arxiv.withdrawal import is_withdrawal_comment

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ERROR_ID_PREFIXES = ("https://arxiv.org/api/errors", "http://arxiv.org/api/errors")
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)v(?P<v>\d+)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class AtomFeed:
    """One page of an API answer."""

    total: int
    start: int
    items_per_page: int
    papers: tuple[Paper, ...]


def _collapse(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _parse_tree(body: bytes) -> ET.Element:
    root = parse_xml(body)
    if root.tag != f"{ATOM}feed":
        raise MalformedResponse(f"not an Atom feed (root element {root.tag!r})")
    return root


def _int(root: ET.Element, name: str, default: int = 0) -> int:
    text = root.findtext(f"{OPENSEARCH}{name}")
    try:
        return int(text) if text is not None else default
    except ValueError:
        raise MalformedResponse(f"opensearch:{name} is not a number: {text!r}") from None


def _raise_error_feed(root: ET.Element, status: int) -> None:
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if entry_id.startswith(ERROR_ID_PREFIXES):
            message = _collapse(entry.findtext(f"{ATOM}summary")) or "unknown error"
            raise ArxivApiError(message, status=status, error_id=entry_id)


def _time(parsed: Any, raw: str | None) -> datetime:
    if parsed:
        year, month, day, hour, minute, second = parsed[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    if raw:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(UTC)
    raise MalformedResponse("an entry has no date")


def _authors(entry: ET.Element) -> tuple[Author, ...]:
    authors = []
    for node in entry.findall(f"{ATOM}author"):
        name = _collapse(node.findtext(f"{ATOM}name"))
        if name:
            affiliations = tuple(_collapse(a.text) for a in node.findall(f"{ARXIV}affiliation") if a.text)
            authors.append(Author(name, affiliations))
    return tuple(authors)


def _entry_paper(entry: Any, node: ET.Element) -> Paper | None:
    match = _ENTRY_ID.search(entry.get("id", ""))
    primary = (entry.get("arxiv_primary_category") or {}).get("term") or ""
    # The legacy server answered a missing id with a "phantom" entry: no title, empty category.
    if match is None or not primary:
        return None
    categories = [t["term"] for t in entry.get("tags", []) if t.get("term")]
    if primary in categories:
        categories.remove(primary)
    dois = [d.text.strip() for d in node.findall(f"{ARXIV}doi") if d.text and d.text.strip()]
    comment = _collapse(entry.get("arxiv_comment")) or None
    return Paper(
        arxiv_id=match["id"],
        version=int(match["v"]),
        # A real paper is titled "0": keep whatever the title element holds.
        title=_collapse(node.findtext(f"{ATOM}title")),
        abstract=_collapse(node.findtext(f"{ATOM}summary")),
        authors=_authors(node),
        published=_time(entry.get("published_parsed"), entry.get("published")),
        updated=_time(entry.get("updated_parsed"), entry.get("updated")),
        primary_category=primary,
        categories=(primary, *categories),
        doi=dois[0] if dois else None,
        journal_ref=_collapse(entry.get("arxiv_journal_ref")) or None,
        comment=comment,
        withdrawn=is_withdrawal_comment(comment),
    )


def parse_feed(body: bytes, *, status: int = 200) -> AtomFeed:
    """An API answer → AtomFeed; ArxivApiError for arXiv's error feed, MalformedResponse otherwise."""
    root = _parse_tree(body)
    _raise_error_feed(root, status)
    nodes = root.findall(f"{ATOM}entry")
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if len(parsed.entries) != len(nodes):
        raise MalformedResponse("feedparser and the XML tree disagree on the entries")
    papers = tuple(
        paper for entry, node in zip(parsed.entries, nodes, strict=True)
        if (paper := _entry_paper(entry, node)) is not None
    )
    if root.find(f"{OPENSEARCH}totalResults") is None:
        raise MalformedResponse("the feed has no opensearch:totalResults")
    return AtomFeed(total=_int(root, "totalResults"), start=_int(root, "startIndex"),
                    items_per_page=_int(root, "itemsPerPage"), papers=papers)
