"""Reference units stage: what a unit is, and the spans of text in it (no claims yet).

A block of the document (a heading, a list item, a paragraph, a bibliography entry) is read for
references as one unit. Within a unit that cites one paper (a list item, a heading, an entry, a
one-line paragraph) the title, links and year around an id are one citation; in running prose
every id is its own reference. This stage says which a block is, and where its links, bold spans
and lead-in are; the mentions stage (unit_mentions.py) finds its ids, the claims stage
(claims.py) reads what it says about them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.blocks import BlockKind
from app.extract.inline import Link, Span, find_bold, find_links

_SHORT_LINE = 200
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]*>|[*_`]+")
# What may stand before a reading-list item's main link: a checkbox, a number, markup.
_LEAD_IN_START = re.compile(r"^(?:\.\. \[#?\w*\]|\[[ xX]\]|\(?\d{1,3}[.)]|\[\d{1,3}\]|[-*+•>|\s])*")
_LEAD_IN = re.compile(r"^(?:\.\. \[#?\w*\]|\[[ xX]\]|\(?\d{1,3}[.)]|\[\d{1,3}\]|[-*+•>|\s])*$")


@dataclass(frozen=True, slots=True)
class Unit:
    """A block read for references: its content is text[start:end] (offsets of the whole text).

    `cites_one`: a heading, a list item, a bibliography entry or a short line, where the title,
    links and year around an id are one citation. `links`: its Markdown links, autolinks and HTML
    anchors, images left out; `bolds`: its bold spans (both empty without markup). `has_italic`:
    it may hold an italic span; `names_paper`: a list item that says "paper".
    """

    text: str
    kind: BlockKind
    start: int
    end: int
    bibliography: bool
    cites_one: bool
    links: list[Link]
    bolds: list[Span]
    has_italic: bool
    names_paper: bool

    @property
    def unit_start(self) -> int:
        """Where a link that opens the unit may be preceded only by a lead-in; -1 in prose."""
        return self.start if self.cites_one else -1


def read_unit(
    text: str,
    kind: BlockKind,
    start: int,
    end: int,
    *,
    bibliography: bool,
    has_markup: bool,
    has_italic: bool,
    names_paper: bool,
) -> Unit:
    """The unit of the block whose content is text[start:end]; `has_markup`: it may hold a link
    or a bold span (Markdown only)."""
    cites_one = kind == "heading" or kind == "item" or bibliography or is_short_line(text[start:end])
    links = [link for link in find_links(text, start, end) if not link.is_image] if has_markup else []
    bolds = list(find_bold(text, start, end)) if has_markup else []
    return Unit(text, kind, start, end, bibliography, cites_one, links, bolds, has_italic, names_paper)


def is_short_line(content: str) -> bool:
    """A one-line paragraph short enough to be a caption or a title line, not running prose."""
    stripped = content.strip()
    return "\n" not in stripped and len(stripped) <= _SHORT_LINE


def without_markup(text: str) -> str:
    """The text without images, HTML tags, emphasis and code marks."""
    return _MARKUP.sub("", text)


def without_lead_in(text: str) -> str:
    """The text without the checkbox, number or list marker it opens with."""
    return _LEAD_IN_START.sub("", text)


def leads(text: str, unit_start: int, link_start: int) -> bool:
    """Whether a link opens its unit (after a checkbox or a number at most): a reading-list item
    whose link text is the entry's main text, where even a short text is the cited title."""
    return unit_start >= 0 and _LEAD_IN.match(_MARKUP.sub("", text[unit_start:link_start])) is not None


def link_around(links: list[Link], offset: int) -> Link | None:
    """The first link whose text or target holds `offset`."""
    return next((link for link in links if link.start <= offset < link.end), None)


def link_to(links: list[Link], offset: int) -> Link | None:
    """The first link whose target holds `offset`."""
    return next((link for link in links if link.url_start <= offset < link.url_end), None)


def in_link_text(link: Link, offset: int) -> bool:
    """Whether `offset` lies in the text of a link that is no autolink (an autolink's text is its target)."""
    autolink = (link.text_start, link.text_end) == (link.url_start, link.url_end)
    return link.text_start <= offset < link.text_end and not autolink
