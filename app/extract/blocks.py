"""The block structure of Markdown and plain text: headings, paragraphs, list items, code.

A line scanner rather than markdown-it-py: it follows CommonMark for what extraction needs
(ATX and setext headings, fenced and indented code, list items, front matter) and keeps exact
offsets, at several times markdown-it-py's speed (see docs/EXTRACTION.md).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from typing import Literal, NamedTuple, get_args, overload

BlockKind = Literal["heading", "paragraph", "item", "code", "bibtex", "front_matter"]

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)")
_ITEM = re.compile(r"( *)(?:[-*+•‣◦▪]|\d{1,9}[.)]|\[\d{1,4}\])(?:[ \t]+|$)")
_TEXT_ITEM = re.compile(r"([ \t]*)(?:[-*+•‣◦▪]|\d{1,9}[.)]|\[\d{1,4}\])(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_BIBTEX_INFO = frozenset(("bibtex", "bib", "biblatex"))
# A line opening with this and then a character that cannot make it a rule ("- - -"), a setext
# underline ("- ") or an item with a wider marker gap is a list item whose content starts after it.
_DASH_ITEM = "- "
_NOT_AFTER_DASH_ITEM = ("", " ", "\t", "-")


class Block(NamedTuple):  # a tuple: built for every block a reader asks for, and cheaply
    """A block of the document; `content_start` is past its marker ("## ", "- ", "[3] ")."""

    kind: BlockKind
    start: int
    content_start: int
    end: int
    level: int = 0

    def content(self, text: str) -> str:
        return text[self.content_start : self.end]


_KINDS: tuple[BlockKind, ...] = get_args(BlockKind)
_KIND_CODES = {kind: code for code, kind in enumerate(_KINDS)}
KIND_CODES: dict[BlockKind, int] = dict(_KIND_CODES)


class BlockList(Sequence[Block]):
    """The blocks of a document, stored as columns of machine integers.

    A long document has a block a line; as objects (a Block and its three offsets as ints) they
    cost about 180 bytes each for the whole of the extraction, as columns 33. A Block is built
    when one is asked for.
    """

    def __init__(self) -> None:
        self._kinds = bytearray()
        self._starts = array("q")
        self._content_starts = array("q")
        self._ends = array("q")
        self._levels = array("q")

    def add(self, kind: BlockKind, start: int, content_start: int, end: int, level: int = 0) -> None:
        self._kinds.append(_KIND_CODES[kind])
        self._starts.append(start)
        self._content_starts.append(content_start)
        self._ends.append(end)
        self._levels.append(level)

    def __len__(self) -> int:
        return len(self._kinds)

    @overload
    def __getitem__(self, index: int) -> Block: ...

    @overload
    def __getitem__(self, index: slice) -> list[Block]: ...

    def __getitem__(self, index: int | slice) -> Block | list[Block]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Block(
            _KINDS[self._kinds[index]],
            self._starts[index],
            self._content_starts[index],
            self._ends[index],
            self._levels[index],
        )

    def __iter__(self) -> Iterator[Block]:
        for index in range(len(self._kinds)):
            yield self[index]

    def kind(self, index: int) -> BlockKind:
        return _KINDS[self._kinds[index]]

    def indices(self, code: int) -> list[int]:
        """The index of every block of one kind (its code in KIND_CODES), found at C speed."""
        found: list[int] = []
        kinds, wanted = self._kinds, bytes((code,))
        index = kinds.find(wanted)
        while index >= 0:
            found.append(index)
            index = kinds.find(wanted, index + 1)
        return found

    def columns(self) -> tuple[bytearray, array[int], array[int], array[int], array[int]]:
        """Kind codes (see KIND_CODES), starts, content starts, ends and levels: for loops over every
        block that would otherwise build a Block each."""
        return self._kinds, self._starts, self._content_starts, self._ends, self._levels


class _Scanner:
    def __init__(self, text: str, markdown: bool) -> None:
        self.text = text
        self.markdown = markdown
        self.blocks = BlockList()
        self.open: list[int] | None = None  # [start, content_start, end, level] of the open block
        self.open_kind: BlockKind = "paragraph"
        self.after_blank = True
        self.in_list = False

    def close(self) -> None:
        if self.open is not None:
            start, content_start, end, level = self.open
            self.blocks.add(self.open_kind, start, content_start, end, level)
            self.open = None

    def start(self, kind: BlockKind, start: int, content_start: int, end: int, level: int = 0) -> None:
        self.close()
        self.open_kind = kind
        self.open = [start, content_start, end, level]


def scan_blocks(text: str, *, markdown: bool) -> BlockList:
    """Every block of `text` in order; code blocks included (kind "code" or "bibtex")."""
    scanner = _Scanner(text, markdown)
    fence: tuple[str, int, BlockKind] | None = None
    # The lines are cut here, one at a time, rather than by a generator: this loop runs for every
    # line of the document, and a generator's resumption costs about as much as a prose line's work.
    length = len(text)
    next_offset = _front_matter(scanner) if markdown else 0
    find = text.find
    while next_offset <= length:
        offset = next_offset
        newline = find("\n", offset)
        if newline < 0:
            newline = length
        next_offset = newline + 1
        line = text[offset:newline].rstrip("\r")
        end = offset + len(line)
        if fence is not None:
            marker, fence_start, kind = fence
            stripped = line.strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                scanner.blocks.add(kind, fence_start, fence_start, end)
                fence = None
            continue
        if not line:  # an empty line (a third of a post's): what the blank-line test below does
            scanner.close()
            scanner.after_blank = True
            continue
        if line[:1].isalpha():
            # the common case, a line of prose: only a paragraph can start or go on here (written
            # out, not a call: this runs for most lines of a document)
            if scanner.open is not None and not (scanner.after_blank and scanner.open_kind != "item"):
                scanner.open[2] = end
            else:
                if scanner.after_blank:
                    scanner.in_list = False
                scanner.start("paragraph", offset, offset, end)
            scanner.after_blank = False
            continue
        if line[:2] == _DASH_ITEM and line[2:3] not in _NOT_AFTER_DASH_ITEM:
            # a "- " item (a reading list's every line): _classify's answer, and start(), written out
            if scanner.open is not None:
                scanner.close()
            scanner.open_kind = "item"
            scanner.open = [offset, offset + 2, end, 0]
            scanner.in_list = True
            scanner.after_blank = False
            continue
        if not line.strip():
            scanner.close()
            scanner.after_blank = True
            continue
        first = line.lstrip()[:1]
        if scanner.markdown and first in "`~" and (match := _FENCE.match(line)):
            scanner.close()
            info = match.group(2).lower()
            fence = (match.group(1), offset, "bibtex" if info in _BIBTEX_INFO else "code")
            continue
        _classify(scanner, offset, line, end, first)
        scanner.after_blank = False
    if fence is not None:  # an unterminated fence runs to the end of the document
        scanner.blocks.add(fence[2], fence[1], fence[1], len(text))
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
        scanner.blocks.add("heading", start, content_start, para_end, 1 if first == "=" else 2)
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


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines one at a time (a list of all of them would double the memory of a large document)."""
    offset = 0
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
            scanner.blocks.add("front_matter", 0, 0, offset + len(line))
            newline = text.find("\n", offset)
            return newline + 1 if newline >= 0 else len(text) + 1
    scanner.blocks.add("front_matter", 0, 0, len(text))
    return len(text) + 1
