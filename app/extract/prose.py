"""References in Markdown and plain text: blocks read one by one, then sections applied.

A heading that names a paper and the lines under it ("Authors:", "Link:", "Released in:",
"Accepted to:") describe one paper: the link there becomes the one reference, carrying the
heading's title and those claims. A paper heading without an arXiv link is a title reference.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from app.extract.arxiv_mentions import IdHints
from app.extract.bibtex import read_bibtex
from app.extract.blocks import Block, scan_blocks
from app.extract.candidates import ReferenceDraft
from app.extract.inline import may_hold_markup
from app.extract.mojibake import NO_REPAIR, MojibakeRepair
from app.extract.sections import Section, bibliography_blocks, find_sections
from app.extract.titles import decoration_end
from app.extract.units import read_block

_ENTRY_MARKER = re.compile(r"\s*\[\d{1,4}\]")
_TEXT_BIBLIOGRAPHY = re.compile(r"^\s*(?:references|bibliography|works cited)\s*:?\s*$", re.I)
_NOT_WORDS = re.compile(r"[\W_]+")
# A paragraph that opens with a numbered marker is a bibliography entry: "**[5]** Simonyan, Karen,
# and Andrew Zisserman. "Title." ...", pandoc's "\[1\] Agrawal, S. and Dukkipati, A. 2016. ...".
_PARAGRAPH_ENTRY = re.compile(r"(?:\*\*|__)?\\?\[\d{1,4}\\?\](?:\*\*|__)?[ \t]+")


def read_prose(text: str, *, markdown: bool, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    """Every reference in a Markdown (or, with markdown=False, plain-text) document: each block read
    on its own, then each section applied to its heading's and metadata lines' references."""
    blocks = scan_blocks(text, markdown=markdown)
    sections = find_sections(text, blocks, repair) if markdown else []
    in_bibliography = bibliography_blocks(sections) if markdown else _text_bibliography(text, blocks)
    by_block: dict[int, list[ReferenceDraft]] = {}
    for index, block in enumerate(blocks):
        found = _read_block(text, block, index in in_bibliography, markdown, repair)
        if found:
            by_block[index] = found
    for section in sections:
        _apply_section(text, blocks, section, by_block)
    headings = paper_headings(sections)
    return [
        candidate
        for index in sorted(by_block)
        for candidate in _final(by_block[index], blocks[index].kind == "item", headings)
    ]


def _read_block(
    text: str, block: Block, bibliography: bool, markdown: bool, repair: MojibakeRepair
) -> list[ReferenceDraft]:
    """The references of one block, before sections are applied (`bibliography`: the block is
    under a "References" heading or line)."""
    kind, start = block.kind, block.content_start
    if kind == "bibtex":
        return _fenced_bibtex(text, block, repair)
    if kind in ("code", "front_matter"):
        return []
    end = block.end
    hints = IdHints(text, start, end)
    has_ids = bool(hints.positions)
    has_markup = markdown and may_hold_markup(text, start, end)
    # titles in italics, or a list item's first sentence that names a paper it speaks of
    has_italic = markdown and ("*" in text[start:end] or "_" in text[start:end])
    names_paper = kind == "item" and "paper" in text[start:end]
    # an entry marker ("[3] ") makes a list item a bibliography entry, and a paragraph one too
    bibliography = bibliography or (kind == "item" and _ENTRY_MARKER.match(text, block.start, start) is not None)
    if kind == "paragraph" and not bibliography and (entry := _PARAGRAPH_ENTRY.match(text, start, end)):
        bibliography, start = True, entry.end()
    return read_block(
        text, kind, start, end, bibliography, has_ids, has_markup, repair, hints, has_italic, names_paper
    )


def _final(found: list[ReferenceDraft], item: bool, headings: set[str]) -> list[ReferenceDraft]:
    if item and headings:
        # a list of titles that repeats the paper headings below it is a table of contents
        found = [
            c for c in found if not (c.kind == "title" and c.arxiv_id is None and _normal(c.title or "") in headings)
        ]
    return found if len(found) < 2 else sorted(found, key=_span)


def _span(candidate: ReferenceDraft) -> tuple[int, int]:
    return candidate.start, candidate.end


def _apply_section(text: str, blocks: Sequence[Block], section: Section,
                   by_block: dict[int, list[ReferenceDraft]]) -> None:
    heading_refs = by_block.get(section.heading, [])
    heading_ids = [c for c in heading_refs if c.arxiv_id is not None]
    if not (section.is_paper or heading_ids):
        return
    primary = heading_ids[0] if heading_ids else _primary_link(section, by_block)
    if primary is None:
        title = ReferenceDraft("title", section.title_start, _title_end(text, blocks[section.heading], section))
        title.title = section.title
        heading_refs = [c for c in heading_refs if c.kind != "title"]
        by_block[section.heading] = [title, *heading_refs]
        primary = title
    else:
        primary.claim(title=section.title if section.is_paper else None)
        by_block[section.heading] = [c for c in heading_refs if c.kind != "title"]
        _drop_repeats(primary, section, by_block)
    primary.claim(authors=section.authors, year=section.year, month=section.month, venue=section.venue)


def _primary_link(section: Section, by_block: dict[int, list[ReferenceDraft]]) -> ReferenceDraft | None:
    for index in (*section.link_blocks, *section.metadata):
        ids = [c for c in by_block.get(index, []) if c.arxiv_id is not None or c.malformed_reason]
        if ids:
            return ids[0]
    return None


def _drop_repeats(primary: ReferenceDraft, section: Section, by_block: dict[int, list[ReferenceDraft]]) -> None:
    """The metadata lines are one unit: a second link there to the same paper is not a citation."""
    for index in (section.heading, *section.metadata):
        if index in by_block:
            by_block[index] = [
                c for c in by_block[index] if c is primary or c.arxiv_id is None or c.arxiv_id != primary.arxiv_id
            ]


def _title_end(text: str, heading: Block, section: Section) -> int:
    raw = text[section.title_start : heading.end]
    return section.title_start + decoration_end(raw)


def paper_headings(sections: Sequence[Section]) -> set[str]:
    return {_normal(s.title) for s in sections if s.is_paper}


def _normal(title: str) -> str:
    return _NOT_WORDS.sub(" ", title.casefold()).strip()


def _text_bibliography(text: str, blocks: Sequence[Block]) -> Container[int]:
    """In plain text, everything after a "References" line (a range: a set of it is large)."""
    for index, block in enumerate(blocks):
        if block.kind == "paragraph" and _TEXT_BIBLIOGRAPHY.match(block.content(text)):
            return range(index + 1, len(blocks))
    return range(0)


def _fenced_bibtex(text: str, block: Block, repair: MojibakeRepair) -> list[ReferenceDraft]:
    first_newline = text.find("\n", block.start, block.end)
    if first_newline < 0:
        return []
    body_start = first_newline + 1
    last_newline = text.rfind("\n", body_start, block.end)
    body_end = (
        last_newline if last_newline >= 0 and not text[last_newline : block.end].strip("`~ \n\r\t") else block.end
    )
    return read_bibtex(text[body_start:body_end], offset=body_start, repair=repair)
