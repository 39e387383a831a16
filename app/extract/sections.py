"""Sections of a post: which headings name papers, and what the lines under them claim.

A heading names a paper when it says so itself (a citation count, an arXiv link), when the lines
right under it describe a paper ("Authors: ...", "Link: ..."), or when most of its sibling
headings (same level, same parent) name papers and it reads like a title. Year headings ("2015",
or a "2015" line over "====") date the paper headings that follow them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.extract.blocks import Block
from app.extract.claims import YEAR, parse_authors, parse_date
from app.extract.mojibake import MojibakeRepair
from app.extract.titles import (
    clean_title,
    decoration_end,
    is_year_marker,
    looks_like_title,
)

# A label and its colon; the value is the rest of the line without trailing spaces and tabs (what
# a lazy `(?P<value>.*?)[ \t]*$` after it would take, at a test of the end at every character).
_LABEL = re.compile(
    r"^[ \t]*(?:\*\*|__)?(?P<label>authors?|by|written by|link|links|paper|papers|arxiv|url|pdf|"
    r"released(?: in| on)?|published(?: in| on| at)?|date|year|submitted(?: on)?|"
    r"accepted (?:to|at|in|by)|venue|conference|journal|appeared in|code|project page)"
    r"(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*",
    re.I,
)
# The first letters of _LABEL's labels, as IGNORECASE matches them ("ſ" is an "s" to it).
_LABEL_INITIALS = frozenset("abcdjlprsuvwyABCDJLPRSUVWYſ")
_LONGEST_UNLABELLED = 1000
# The shape of every line is_year_marker accepts (a year among the characters it strips): a
# fullmatch that fails at the first letter of an ordinary line.
_YEAR_LINE_SHAPE = re.compile(rf"[\s#=*_]*\(?{YEAR}\)?:?[\s#=*_]*")
_YEAR_LINE_OPENINGS = "#=*_(12"  # with whitespace: what a _YEAR_LINE_SHAPE match can open with
_COUNT_DECORATION = re.compile(r"\(\s*[\d,]+\s+citations?\s*\)\s*$", re.I)
_AUTHOR_LABELS = ("author", "by", "written")
_LINK_LABELS = ("link", "paper", "arxiv", "url", "pdf")
_DATE_LABELS = ("released", "date", "year", "submitted")
_VENUE_LABELS = ("accepted", "venue", "conference", "journal", "appeared")
_BIBLIOGRAPHY_HEADINGS = re.compile(
    r"^(?:references|bibliography|works cited|sources|citations|literature|publications)\b", re.I
)


@dataclass(slots=True)
class Section:
    """A heading and the blocks under it up to the next heading."""

    heading: int  # index of the heading block
    body: range  # indices of the blocks under it
    level: int
    parent: int | None  # index into the section list
    title: str = ""
    title_start: int = 0
    titled: bool = False  # reads like a paper title (not "Honorable Mentions", not "2015")
    evidence: bool = False
    is_paper: bool = False
    is_bibliography: bool = False
    metadata: range = field(default_factory=lambda: range(0))
    authors: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    venue: str | None = None
    link_blocks: tuple[int, ...] = ()


def find_sections(text: str, blocks: Sequence[Block], repair: MojibakeRepair) -> list[Section]:
    sections = read_sections(text, blocks, repair)
    link_sections(sections, year_marks(text, blocks), len(blocks))
    return sections


def read_sections(text: str, blocks: Sequence[Block], repair: MojibakeRepair) -> list[Section]:
    """What each heading and the metadata lines right under it say by themselves. The rules that
    need the whole document (parents, siblings, year headings) are link_sections': a document read
    in pieces reads each piece's sections here, then links them all."""
    headings = [index for index, block in enumerate(blocks) if block.kind == "heading"]
    sections: list[Section] = []
    for number, index in enumerate(headings):
        block = blocks[index]
        body_end = headings[number + 1] if number + 1 < len(headings) else len(blocks)
        section = Section(index, range(index + 1, body_end), block.level, None)
        _read_heading(text, block, section, repair)
        _read_metadata(text, blocks, section, repair)
        sections.append(section)
    return sections


YearMark = tuple[int, int | None, int]  # block index, the year it names, heading level (0: a paragraph)


def link_sections(sections: list[Section], marks: Sequence[YearMark], block_count: int) -> None:
    """Bodies, parents, the sibling rule and year headings, over every section of the document
    (block indices of the whole document, `block_count` blocks)."""
    stack: list[int] = []
    for number, section in enumerate(sections):
        body_end = sections[number + 1].heading if number + 1 < len(sections) else block_count
        section.body = range(section.heading + 1, body_end)
        while stack and sections[stack[-1]].level >= section.level:
            stack.pop()
        section.parent = stack[-1] if stack else None
        stack.append(number)
    _apply_sibling_rule(sections)
    _apply_year_marks(sections, marks)


def _read_heading(text: str, block: Block, section: Section, repair: MojibakeRepair) -> None:
    raw = block.content(text)
    section.title = clean_title(repair(raw))
    section.title_start = block.content_start + (len(raw) - len(raw.lstrip()))
    section.is_bibliography = bool(_BIBLIOGRAPHY_HEADINGS.match(section.title))
    section.titled = looks_like_title(section.title)
    # a citation count ends with ")": most headings hold none, and `in` is C-speed
    counted = ")" in raw and _COUNT_DECORATION.search(raw) is not None
    section.evidence = counted and looks_like_title(raw[: decoration_end(raw)])


def _read_metadata(text: str, blocks: Sequence[Block], section: Section, repair: MojibakeRepair) -> None:
    """Label lines right under the heading ("- Authors: ...") describe the heading's paper."""
    end = section.body.start
    links: list[int] = []
    for index in section.body:
        if blocks[index].kind not in ("item", "paragraph"):
            break
        for line in repair(blocks[index].content(text)).split("\n"):
            if not _read_metadata_line(line, section, links, index):
                break
        else:
            end = index + 1
            continue
        break
    section.metadata = range(section.body.start, end)
    section.link_blocks = tuple(links)
    if (section.authors or links) and section.titled:
        section.evidence = True


def label_and_value(line: str) -> tuple[str, str] | None:
    """ "- **Authors:** Ting Chen" is ("Authors", "Ting Chen"); None for a line without a label."""
    # every label ends with a colon and opens with one of _LABEL_INITIALS after its markup: most
    # lines of prose fail these C-speed tests, and the pattern costs an alternation of 20 labels
    if (":" not in line and "：" not in line) or line.lstrip(" \t*_")[:1] not in _LABEL_INITIALS:
        return None
    match = _LABEL.match(line)
    return None if match is None else (match.group("label"), line[match.end() :].rstrip(" \t"))


def _read_metadata_line(line: str, section: Section, links: list[int], index: int) -> bool:
    labelled = label_and_value(line)
    if labelled is None:
        # an unlabelled author list: two names or more, so a comma or an "and"
        if section.authors or len(line) > _LONGEST_UNLABELLED or ("," not in line and " and " not in line):
            return False
        authors = parse_authors(line)
        if len(authors) >= 2:
            section.authors = authors
            return True
        return False
    label, value = labelled[0].lower(), labelled[1]
    if label.startswith(_AUTHOR_LABELS):
        section.authors = parse_authors(value)
    elif label.startswith(_LINK_LABELS):
        links.append(index)
    elif label.startswith(_DATE_LABELS) or (label.startswith("published") and _is_date(value)):
        section.year, section.month = parse_date(value)
    elif label.startswith((*_VENUE_LABELS, "published")):
        section.venue = value.strip(" *_") or None
    return True


def _is_date(value: str) -> bool:
    year, month = parse_date(value)
    return month is not None or (year is not None and value.strip(" ()").isdigit())


def _apply_sibling_rule(sections: list[Section]) -> None:
    groups: dict[tuple[int | None, int], list[Section]] = {}
    for section in sections:
        groups.setdefault((section.parent, section.level), []).append(section)
    for siblings in groups.values():
        titled = [s for s in siblings if s.titled]
        with_evidence = [s for s in titled if s.evidence]
        majority = len(with_evidence) >= 2 and 2 * len(with_evidence) >= len(titled)
        for section in titled:
            section.is_paper = section.evidence or majority


def year_marks(text: str, blocks: Sequence[Block], base: int = 0) -> list[YearMark]:
    """Every heading, and every paragraph that is a year line, with the year it names; block
    indices shifted by `base`."""
    marks: list[YearMark] = []
    year_shaped = _YEAR_LINE_SHAPE.fullmatch
    for index, (kind, _, start, end, level) in enumerate(blocks):
        if kind == "paragraph":
            # a year line opens with markup, a bracket, a space or a year's first digit: most
            # paragraphs open with a letter, and fail this before the pattern is tried
            first = text[start : start + 1]
            if first not in _YEAR_LINE_OPENINGS and not first.isspace():
                continue
            if year_shaped(text, start, end) is not None and text.find("\n", start, end) < 0:
                marker = is_year_marker(text[start:end])
                if marker is not None:
                    marks.append((base + index, marker, 0))
        elif kind == "heading":
            marker = is_year_marker(text[start:end]) if year_shaped(text, start, end) is not None else None
            marks.append((base + index, marker, level))
    return marks


def _apply_year_marks(sections: list[Section], marks: Sequence[YearMark]) -> None:
    """A year line dates the paper headings after it, up to the next year or top-level heading."""
    by_block = {section.heading: section for section in sections}
    year: int | None = None
    for index, marker, level in marks:
        if marker is not None:
            year = marker
        elif level == 1:
            year = None
        if level:
            section = by_block[index]
            if section.is_paper and section.year is None:
                section.year = year


def bibliography_blocks(sections: Sequence[Section]) -> set[int]:
    """Blocks under a "References" or "Bibliography" heading (not under its sub-headings)."""
    return {index for section in sections if section.is_bibliography for index in section.body}
