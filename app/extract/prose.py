"""References in Markdown and plain text: blocks read one by one, then sections applied.

A heading that names a paper and the lines under it ("Authors:", "Link:", "Released in:",
"Accepted to:") describe one paper: the link there becomes the one reference, carrying the
heading's title and those claims. A paper heading without an arXiv link is a title reference.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Container, Iterator, Sequence
from typing import NamedTuple

from app.extract.arxiv_mentions import IdHints
from app.extract.bibtex import read_bibtex
from app.extract.blocks import KIND_CODES, Block, BlockKind, BlockList, scan_blocks
from app.extract.candidates import ReferenceDraft
from app.extract.inline import MarkupHints
from app.extract.mojibake import NO_REPAIR, MojibakeRepair
from app.extract.sections import Section, bibliography_blocks, find_sections
from app.extract.titles import decoration_end
from app.extract.units import read_block

_ENTRY_MARKER = re.compile(r"\s*\[\d{1,4}\]")
_TEXT_BIBLIOGRAPHY = re.compile(r"^\s*(?:references|bibliography|works cited)\s*:?\s*$", re.I)
_NOT_WORDS = re.compile(r"[\W_]+")
_KINDS: dict[int, BlockKind] = {code: kind for kind, code in KIND_CODES.items()}
_ITEM, _CODE, _BIBTEX, _FRONT_MATTER = (KIND_CODES[k] for k in ("item", "code", "bibtex", "front_matter"))
_PARAGRAPH = KIND_CODES["paragraph"]
# A paragraph that opens with a numbered marker is a bibliography entry: "**[5]** Simonyan, Karen,
# and Andrew Zisserman. "Title." ...", pandoc's "\[1\] Agrawal, S. and Dukkipati, A. 2016. ...".
_PARAGRAPH_ENTRY = re.compile(r"(?:\*\*|__)?\\?\[\d{1,4}\\?\](?:\*\*|__)?[ \t]+")


def read_prose(text: str, *, markdown: bool, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    """Every reference in a Markdown (or, with markdown=False, plain-text) document."""
    return list(iter_prose(text, markdown=markdown, repair=repair))


class ProseStructure(NamedTuple):
    """What iter_prose needs to know of the whole document, for one piece of it read on its own
    (see app/extract/pieces.py): the piece's blocks, its sections (block indices of the piece),
    its bibliography blocks and the titles of every paper heading of the document."""

    blocks: BlockList
    sections: list[Section]
    in_bibliography: Container[int]
    headings: set[str]


def iter_prose(
    text: str, *, markdown: bool, repair: MojibakeRepair = NO_REPAIR, structure: ProseStructure | None = None
) -> Iterator[ReferenceDraft]:
    """The references of read_prose one at a time, each block's as soon as nothing later can change
    them: a long document's candidates are never all alive at once, only its results are.

    Blocks come in document order, and within one block a stable sort by position puts its
    candidates in the order the entry point would sort them to.
    """
    if structure is None:
        blocks = scan_blocks(text, markdown=markdown)
        sections = find_sections(text, blocks, repair) if markdown else []
        in_bibliography = bibliography_blocks(sections) if markdown else _text_bibliography(text, blocks)
        headings = paper_headings(sections)
    else:
        blocks, sections, in_bibliography, headings = structure
    hints = IdHints(text)
    markup = MarkupHints(text) if markdown else None
    # A section rewrites the candidates of its heading and the metadata lines under it: those
    # blocks are held until its last one has been read, then the section is applied.
    span_ends: dict[int, int] = {}
    ready: dict[int, list[Section]] = {}
    for section in sections:
        last = max(section.heading, section.metadata.stop - 1)
        span_ends[section.heading] = last
        ready.setdefault(last, []).append(section)
    del sections  # each one is freed once applied: a post has a heading every few lines
    held_to = -1
    by_block: dict[int, list[ReferenceDraft]] = {}
    # Most blocks cite nothing: the loop reads the block table's columns and decides from the hint
    # positions (a bisect each) whether a block needs reading, without building anything for it.
    kinds, starts, content_starts, ends, _ = blocks.columns()
    id_positions = hints.positions
    id_count = len(id_positions)
    markup_positions = markup.positions if markup is not None else array("q")
    markup_count = len(markup_positions)
    # The first hint of each kind at or after the block's start, and its index: blocks come in
    # document order, so a bisect is needed only where the last one found lies before the block
    # (most blocks hold no hint, and then test one int against their end).
    beyond = len(text) + 1
    id_at = markup_at = 0
    next_id = id_positions[0] if id_count else beyond
    next_markup = markup_positions[0] if markup_count else beyond
    for index, kind, start, end in zip(range(len(kinds)), kinds, content_starts, ends, strict=True):
        held_last = span_ends.get(index)
        if held_last is not None and held_last > held_to:
            held_to = held_last
        if kind == _BIBTEX:
            by_block[index] = _fenced_bibtex(text, blocks[index], repair)
        elif kind != _CODE and kind != _FRONT_MATTER:
            if next_id < start:
                id_at = bisect_left(id_positions, start, id_at)
                next_id = id_positions[id_at] if id_at < id_count else beyond
            has_ids = next_id < end
            if next_markup < start:
                markup_at = bisect_left(markup_positions, start, markup_at)
                next_markup = markup_positions[markup_at] if markup_at < markup_count else beyond
            has_markup = next_markup < end
            # an entry marker ("[3] ") opens with a bracket: most item markers ("- ") have none
            bibliography = index in in_bibliography or (
                kind == _ITEM
                and text.find("[", starts[index], start) >= 0
                and _ENTRY_MARKER.match(text, starts[index], start) is not None
            )
            # titles in italics, or a list item's first sentence that names a paper it speaks of
            has_italic = markdown and (text.find("*", start, end) >= 0 or text.find("_", start, end) >= 0)
            names_paper = kind == _ITEM and text.find("paper", start, end) >= 0
            if kind == _PARAGRAPH and not bibliography and (entry := _PARAGRAPH_ENTRY.match(text, start, end)):
                bibliography, start = True, entry.end()
            if has_ids or has_markup or bibliography or has_italic or names_paper:
                found = read_block(
                    text, _KINDS[kind], start, end, bibliography, has_ids, has_markup, repair, hints,
                    has_italic, names_paper,
                )
                if found:
                    if index >= held_to and not by_block and index not in ready:
                        # nothing held, no section ends here: what the loop's end would yield at once
                        if len(found) == 1 and not headings:
                            yield found[0]  # _final would keep it and have nothing to order
                        else:
                            yield from _final(found, kind == _ITEM, headings)
                    else:
                        by_block[index] = found
        if ready:
            for section in ready.pop(index, ()):
                _apply_section(text, blocks, section, by_block)
        if index >= held_to and by_block:
            for done in sorted(by_block):
                yield from _final(by_block.pop(done), kinds[done] == _ITEM, headings)


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
