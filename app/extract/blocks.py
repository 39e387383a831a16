"""The block structure of Markdown and plain text: headings, paragraphs, list items, code.

A line scanner rather than markdown-it-py: it follows CommonMark for what extraction needs
(ATX and setext headings, fenced and indented code, list items, front matter) and keeps exact
offsets, at several times markdown-it-py's speed (see docs/EXTRACTION.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

BlockKind = Literal["heading", "paragraph", "item", "code", "bibtex", "front_matter"]

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)")
_ITEM = re.compile(r"( *)(?:[-*+•‣◦▪]|\d{1,9}[.)]|\[\d{1,4}\])(?:[ \t]+|$)")
_TEXT_ITEM = re.compile(r"([ \t]*)(?:[-*+•‣◦▪]|\d{1,9}[.)]|\[\d{1,4}\])(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_BIBTEX_INFO = frozenset(("bibtex", "bib", "biblatex"))


class Block(NamedTuple):
    """A block of the document; `content_start` is past its marker ("## ", "- ", "[3] ")."""

    kind: BlockKind
    start: int
    content_start: int
    end: int
    level: int = 0

    def content(self, text: str) -> str:
        return text[self.content_start : self.end]


class _Scanner:
    def __init__(self, text: str, markdown: bool) -> None:
        self.text = text
        self.markdown = markdown
        self.blocks: list[Block] = []
        self.open: list[int] | None = None  # [start, content_start, end, level] of the open block
        self.open_kind: BlockKind = "paragraph"
        self.after_blank = True
        self.in_list = False

    def close(self) -> None:
        if self.open is not None:
            start, content_start, end, level = self.open
            self.blocks.append(Block(self.open_kind, start, content_start, end, level))
            self.open = None

    def start(self, kind: BlockKind, start: int, content_start: int, end: int, level: int = 0) -> None:
        self.close()
        self.open_kind = kind
        self.open = [start, content_start, end, level]


def scan_blocks(text: str, *, markdown: bool) -> list[Block]:
    """Every block of `text` in order; code blocks included (kind "code" or "bibtex")."""
    scanner = _Scanner(text, markdown)
    fence: tuple[str, int, BlockKind] | None = None  # the open fence's marker, start and kind
    for offset, line in _lines(text, _front_matter(scanner) if markdown else 0):
        end = offset + len(line)
        if fence is not None:
            marker, fence_start, kind = fence
            stripped = line.strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                scanner.blocks.append(Block(kind, fence_start, fence_start, end))
                fence = None
            continue
        if not line.strip():
            scanner.close()
            scanner.after_blank = True
            continue
        first = line.lstrip()[:1]
        if markdown and first in "`~" and (match := _FENCE.match(line)):
            scanner.close()
            info = match.group(2).lower()
            fence = (match.group(1), offset, "bibtex" if info in _BIBTEX_INFO else "code")
            continue
        _classify(scanner, offset, line, end, first)
        scanner.after_blank = False
    if fence is not None:  # an unterminated fence runs to the end of the document
        scanner.blocks.append(Block(fence[2], fence[1], fence[1], len(text)))
    scanner.close()
    return scanner.blocks


def _classify(scanner: _Scanner, offset: int, line: str, end: int, first: str) -> None:
    markdown = scanner.markdown
    if markdown and first == "#" and (match := _ATX.match(line)):
        content = line[match.end() :]
        if "#" in content:  # closing hashes ("## Title ##") are rare; the search costs by the character
            content = _CLOSING_HASHES.sub("", content)
        scanner.start(
            "heading",
            offset,
            offset + match.end(),
            offset + match.end() + len(content.rstrip()),
            len(match.group(1)),
        )
        scanner.close()
        scanner.in_list = False
        return
    open_paragraph = scanner.open is not None and scanner.open_kind == "paragraph"
    if markdown and first in "=-" and open_paragraph and scanner.open and _SETEXT.match(line):
        start, content_start, para_end, _ = scanner.open
        scanner.open = None
        scanner.blocks.append(Block("heading", start, content_start, para_end, 1 if first == "=" else 2))
        return
    if markdown and first in "-*_" and _RULE.match(line):
        scanner.close()
        return
    item = (_ITEM if markdown else _TEXT_ITEM).match(line)
    if item:
        scanner.start("item", offset, offset + item.end(), end, len(item.group(1)))
        scanner.in_list = True
        return
    indent = len(line) - len(line.lstrip(" \t"))
    if markdown and scanner.after_blank and not scanner.in_list and (indent >= 4 or line[:1] == "\t"):
        scanner.start("code", offset, offset, end)
        scanner.close()
        return
    if scanner.open is not None and not (scanner.after_blank and scanner.open_kind != "item"):
        scanner.open[2] = end  # a continuation line (lazy continuation for list items too)
        return
    if scanner.after_blank and indent == 0:
        scanner.in_list = False
    scanner.start("paragraph", offset, offset + indent, end)


def _lines(text: str, offset: int = 0) -> Iterator[tuple[int, str]]:
    """Each line from `offset` on, without its line end, and where it starts."""
    length = len(text)
    while offset <= length:
        newline = text.find("\n", offset)
        if newline < 0:
            newline = length
        yield offset, text[offset:newline].rstrip("\r")
        offset = newline + 1


def _front_matter(scanner: _Scanner) -> int:
    """YAML front matter ("---" ... "---" on the first lines) is metadata, not content: adds its
    block, and returns where the lines after it start (past the end when it is never closed)."""
    text = scanner.text
    lines = _lines(text)
    first = next(lines)
    if first[1].strip() != "---":
        return 0
    for offset, line in lines:
        if line.strip() in ("---", "..."):
            scanner.blocks.append(Block("front_matter", 0, 0, offset + len(line)))
            newline = text.find("\n", offset)
            return newline + 1 if newline >= 0 else len(text) + 1
    scanner.blocks.append(Block("front_matter", 0, 0, len(text)))
    return len(text) + 1
