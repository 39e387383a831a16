"""Inline Markdown that extraction reads: links, autolinks, HTML anchors and bold spans, with exact
offsets. A link's text may come before its target ("[text](url)") or after it ("<a href=url>text</a>")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Link text may hold one level of nested brackets ("[arXiv:2002.12716[hep-ph]]"); an image's "!"
# opens its match.
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>", re.I)
# Raw HTML anchors, which READMEs use for badges and centred links.
_HTML_ANCHOR = re.compile(
    r"<a\s[^>]{0,500}?\bhref\s*=\s*([\"'])(.{1,2000}?)\1[^>]{0,500}>(.{0,1000}?)</a\s*>", re.I | re.S
)
# Bounded lengths: an unclosed "**" must not make every later "**" scan to the end of the block
# (quadratic time on hostile input); a bold title or a code span is never this long.
_BOLD = re.compile(r"(\*\*|__)(?=[^\s*_])(.{1,400}?)(?<=[^\s*_])\1(?!\*)", re.S)
# Italics: one "*" or "_" each side, on one line, not part of a bold marker or a word ("snake_case").
_ITALIC = re.compile(r"(?<![*_\w\\])([*_])(?![\s*_])([^\n*_]{1,300}?)(?<![\s\\])\1(?![*_\w])")
_CODE_SPAN = re.compile(r"(`+)(?!`).{1,2000}?(?<!`)\1(?!`)", re.S)


# Tuples, not frozen dataclasses: a block's links and bold spans are built by the thousand, and a
# tuple is built several times faster.
class Link(NamedTuple):
    start: int
    end: int
    text_start: int
    text_end: int
    url_start: int
    url_end: int
    is_image: bool


class Span(NamedTuple):
    """A stretch of text: `start`..`end` are offsets in the whole document."""

    start: int
    end: int


def find_links(text: str, start: int, end: int) -> list[Link]:
    links = markdown_links(text, start, end)
    if text.find("<", start, end) < 0:
        return links  # autolinks and anchors both start with "<"; Markdown links come in order
    links.extend(
        Link(m.start(), m.end(), m.start(1), m.end(1), m.start(1), m.end(1), False)
        for m in _AUTOLINK.finditer(text, start, end)
    )
    if text.find("<a", start, end) >= 0 or text.find("<A", start, end) >= 0:
        links.extend(
            Link(m.start(), m.end(), m.start(3), m.end(3), m.start(2), m.end(2), False)
            for m in _HTML_ANCHOR.finditer(text, start, end)
        )
    links.sort(key=lambda link: link.start)
    return links


def markdown_links(text: str, start: int, end: int) -> list[Link]:
    """The "[text](url)" links and "![alt](src)" images of text[start:end], in order."""
    return [
        Link(m.start(), m.end(), m.start(2), m.end(2), m.start(3), m.end(3), bool(m.group(1)))
        for m in _LINK.finditer(text, start, end)
    ]


def find_bold(text: str, start: int, end: int) -> Iterator[Span]:
    """Bold spans' inner text; spans inside code spans are not bold."""
    if text.find("**", start, end) < 0 and text.find("__", start, end) < 0:
        return  # every span opens with one; two C-speed finds instead of the pattern's scan
    has_code = text.find("`", start, end) >= 0
    codes = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text, start, end)] if has_code else []
    for match in _BOLD.finditer(text, start, end):
        inner_start, inner_end = match.span(2)
        if text.find("\n\n", inner_start, inner_end) >= 0:
            continue
        if codes and any(a <= match.start() < b for a, b in codes):
            continue
        yield Span(inner_start, inner_end)


def find_italic(text: str, start: int, end: int) -> Iterator[Span]:
    """Italic spans' inner text ("*NIPS 2016 Tutorial: Generative Adversarial Networks*"); spans
    inside code spans are not italic."""
    has_code = text.find("`", start, end) >= 0
    codes = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text, start, end)] if has_code else []
    for match in _ITALIC.finditer(text, start, end):
        if codes and any(a <= match.start() < b for a, b in codes):
            continue
        yield Span(*match.span(2))


# Where a link, an autolink, an HTML anchor or a bold span can start: text without one of these
# has none of them, and is not searched for them.
_MARKUP_HINT = re.compile(r"\]\(|\*\*|__|<http|<ftp|<a |<A ")


def may_hold_markup(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] could hold a link or a bold span (a first look before the scans)."""
    return _MARKUP_HINT.search(text, start, end) is not None
