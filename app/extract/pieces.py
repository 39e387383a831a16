"""Large Markdown and plain-text documents read in pieces, so their decoded text is never whole.

CPython stores a string at the width of its widest character: one emoji makes a 50 MB post a
200 MB string, more than the 3× of the input extraction may grow by (issue 4). The input is bytes,
so it is cut into pieces of about PIECE_BYTES and each piece is decoded and read on its own; only
the references of a piece outlive it. Two passes:

1. structure: each piece is decoded, its blocks scanned and its sections read (what a heading and
   the metadata lines under it say); then the rules that need the whole document (a heading's
   parent and siblings, year headings, which blocks a "References" heading covers, the paper
   headings a table of contents repeats) are applied over every piece's sections at once;
2. reading: each piece is decoded again and its blocks read with that structure.

A cut is made only where the block scanner's state is the one it starts with, or reads the next
line the same way: after a blank line and before a line starting with a letter (a paragraph:
nothing open, no list to continue), or before a list item "- [" or "- " and a letter (it closes
whatever is open either way; a reading list has no blank lines), never under a heading. A
piece whose scan ends inside a fence or unclosed front matter, or whose last heading's metadata
lines may go on in the next piece, is taken again twice as long. Reading an id looks at up to 40
characters before it (an "arXiv" or a "[" there makes a bare number an id), so no cut is made
after a line that ends the way those do. Whether a document is mojibake is judged over every piece
(a damaged run never spans a line): found in pass 1, it restarts the pass with the repair on,
since headings and metadata lines are read repaired.

Input that is not strict UTF-8 is read whole (decoding.decode_document's fallbacks look at the
whole input); so is a document whose reader hands over references out of order.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.extract.blocks import KIND_CODES, BlockList, scan_blocks
from app.extract.candidates import ReferenceDraft
from app.extract.mojibake import NO_REPAIR, MojibakeRepair, is_damaged
from app.extract.prose import ProseStructure, _text_bibliography, iter_prose, paper_headings
from app.extract.sections import Section, YearMark, link_sections, read_sections, year_marks

# Large enough that the per-piece work (hint tables, regex setup) is noise, small enough that a
# piece's decoded text (up to 4 bytes a character) is a small part of a large input.
PIECE_BYTES = 1_000_000
# After a blank line, before a paragraph's first line; or before a list item ("- [Title](...)").
_CUT = re.compile(rb"\n(?:\r?\n(?=[A-Za-z])|(?=- [\[A-Za-z]))")
# arxiv_mentions reads 40 characters before an id, and a character is at most 4 bytes; what it
# looks for there ends like this (_ARXIV_BEFORE: "arXiv preprint", "arXiv:", "[") if it reaches
# back over a line end.
_LOOKBACK_BYTES = 160
_ID_LEAD = re.compile(rb"(?i:arxiv|preprints?|e-?prints?|no\.|id|number|[,:\[])\s*\Z")
_RUNS_ON = frozenset((KIND_CODES["code"], KIND_CODES["bibtex"], KIND_CODES["front_matter"]))
_SNIFF_BYTES = 4 * 65536 + 4  # at least sniff.py's 65536 characters


class NotPieceable(Exception):
    """The document must be read whole (it is not strict UTF-8)."""


def head_text(data: bytes, start: int) -> str:
    """The first characters of the document (enough to sniff its format); NotPieceable when they
    are not strict UTF-8."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data[start : start + _SNIFF_BYTES], final=False)
    except UnicodeDecodeError as error:
        raise NotPieceable from error


@dataclass(slots=True)
class _Piece:
    start: int  # byte offsets in the input
    end: int
    first_line: int
    block_base: int  # index of its first block in the whole document
    blocks: BlockList | None
    sections: list[Section]


class PieceReader:
    """Pass 1 on construction; read() is pass 2."""

    def __init__(self, data: bytes, start: int, *, markdown: bool) -> None:
        self._data = data
        self._markdown = markdown
        repair = NO_REPAIR
        pieces = self._structure(start, repair)
        if pieces is None:
            repair = MojibakeRepair(True)
            pieces = self._structure(start, repair)
        assert pieces is not None
        self._pieces = pieces
        if self._damaged:
            repair = MojibakeRepair(True)
        self.repair = repair

    def _structure(self, position: int, repair: MojibakeRepair) -> list[_Piece] | None:
        """The pieces with their blocks and sections; None when the document turns out to be
        mojibake while its headings were read unrepaired."""
        data, markdown = self._data, self._markdown
        pieces: list[_Piece] = []
        sections: list[Section] = []
        marks: list[YearMark] = []
        self._damaged = False
        self._text_bibliography: int | None = None  # first block after a "References" line
        line, block_base, size = 1, 0, PIECE_BYTES
        while position < len(data) or not pieces:
            end = _cut(data, position + size)
            try:
                text = decode_piece(data, position, end)
            except UnicodeDecodeError as error:
                raise NotPieceable from error
            # judged before the piece is scanned: a Markdown document found damaged is read again
            # from its start, repaired. A piece taken again larger holds the smaller one's runs
            # whole (cuts fall between lines, no run spans one), so it is damaged if that was.
            if not repair.active and not self._damaged and is_damaged(text):
                if markdown:
                    return None
                self._damaged = True
            blocks = scan_blocks(text, markdown=markdown)
            found = read_sections(text, blocks, repair) if markdown else []
            if end < len(data) and _runs_on(text, blocks, found):
                size *= 2  # geometric: a fence never closed costs twice the document, not its square
                continue
            size = PIECE_BYTES
            for section in found:
                _shift(section, block_base)
            sections.extend(found)
            if markdown:
                marks.extend(year_marks(text, blocks, block_base))
            elif self._text_bibliography is None:
                bibliography = _text_bibliography(text, blocks)
                if isinstance(bibliography, range) and bibliography.start > 0:
                    self._text_bibliography = block_base + bibliography.start
            pieces.append(_Piece(position, end, line, block_base, blocks, found))
            line += data.count(b"\n", position, end)
            block_base += len(blocks)
            position = end
            del text  # before the next piece is decoded: one piece's text alive at a time
        link_sections(sections, marks, block_base)
        self._headings = paper_headings(sections)
        self._bibliography_bodies = [s.body for s in sections if s.is_bibliography]
        return pieces

    def read(self) -> Iterator[tuple[str, int, Iterator[ReferenceDraft]]]:
        """Each piece's text, first line number and candidates (offsets in the piece's text)."""
        for piece in self._pieces:
            blocks = piece.blocks
            assert blocks is not None
            piece.blocks = None  # freed once read
            text = decode_piece(self._data, piece.start, piece.end)
            for section in piece.sections:
                _shift(section, -piece.block_base)
            bibliography = self._in_bibliography(piece, len(blocks))
            structure = ProseStructure(blocks, piece.sections, bibliography, self._headings)
            candidates = iter_prose(text, markdown=self._markdown, repair=self.repair, structure=structure)
            yield text, piece.first_line, candidates
            del text, candidates  # the caller drops its names too (see app.extract)

    def _in_bibliography(self, piece: _Piece, count: int) -> range | set[int]:
        base = piece.block_base
        if not self._markdown:
            first = self._text_bibliography
            return range(0) if first is None else range(min(max(first - base, 0), count), count)
        return {
            index - base
            for body in self._bibliography_bodies
            for index in range(max(body.start, base), min(body.stop, base + count))
        }


def decode_piece(data: bytes, start: int, end: int) -> str:
    """data[start:end] as strict UTF-8, without copying the bytes first."""
    return str(memoryview(data)[start:end], "utf-8")


def _cut(data: bytes, at: int) -> int:
    """The first clean cut at or after `at` (see the module's docstring); the end if none."""
    if at >= len(data):
        return len(data)
    for match in _CUT.finditer(data, at):
        cut = match.end()
        if _ID_LEAD.search(data, max(0, cut - _LOOKBACK_BYTES), cut) is not None:
            continue
        # Not right under a heading: the paragraph after it may be the heading's metadata, and a
        # piece whose last heading's metadata may go on is taken again (see _runs_on).
        line = data[data.rfind(b"\n", 0, match.start()) + 1 : match.start()].strip()
        if line[:1] == b"#" or (line and not line.strip(b"=-")):
            continue
        return cut
    return len(data)


def _runs_on(text: str, blocks: BlockList, sections: list[Section]) -> bool:
    """Whether the scan's state at the piece's end may not be the clean one, or its last
    heading's metadata lines may go on past it."""
    kinds, _, _, ends, _ = blocks.columns()
    if kinds and kinds[-1] in _RUNS_ON and ends[-1] == len(text):
        return True  # a fence (or front matter) the piece does not close
    return bool(sections) and sections[-1].metadata.stop == len(blocks)


def _shift(section: Section, by: int) -> None:
    section.heading += by
    section.body = range(section.body.start + by, section.body.stop + by)
    section.metadata = range(section.metadata.start + by, section.metadata.stop + by)
    section.link_blocks = tuple(index + by for index in section.link_blocks)
