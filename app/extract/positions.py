"""Offsets in a derived text (repaired, flattened) mapped back to line and column of the original."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of derived text: `length` characters starting at `derived` that came from `source`.

    An exact piece was copied character for character; an inexact one replaced source text
    (an HTML entity, a repaired mojibake run), so all of it maps to the start of what it replaced.
    """

    derived: int
    source: int
    length: int
    exact: bool
    source_length: int


class TextMap:
    """Maps offsets in a derived text back to offsets in the text it was derived from."""

    def __init__(self, pieces: Sequence[Piece], source_length: int) -> None:
        self._pieces = list(pieces)
        self._starts = [p.derived for p in self._pieces]
        self._source_length = source_length

    @classmethod
    def identity(cls, length: int) -> TextMap:
        return cls([Piece(0, 0, length, True, length)], length)

    @classmethod
    def from_edits(cls, source: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, TextMap]:
        """Apply non-overlapping (start, end, replacement) edits in order; return the text and map."""
        out: list[str] = []
        pieces: list[Piece] = []
        derived = 0
        cursor = 0
        for start, end, replacement in edits:
            if start > cursor:
                out.append(source[cursor:start])
                pieces.append(Piece(derived, cursor, start - cursor, True, start - cursor))
                derived += start - cursor
            out.append(replacement)
            pieces.append(Piece(derived, start, len(replacement), False, end - start))
            derived += len(replacement)
            cursor = end
        out.append(source[cursor:])
        pieces.append(Piece(derived, cursor, len(source) - cursor, True, len(source) - cursor))
        return "".join(out), cls(pieces, len(source))

    def to_source(self, offset: int) -> int:
        """Source offset of the derived character at `offset` (its replaced run's start if inexact)."""
        piece = self._piece_at(offset)
        if piece is None:
            return 0
        inside = offset - piece.derived
        if piece.exact:
            return min(piece.source + inside, self._source_length)
        return piece.source + (piece.source_length if inside >= piece.length else 0)

    def to_source_end(self, offset: int) -> int:
        """Source offset just past the derived character at `offset - 1` (an exclusive end)."""
        if offset <= 0:
            return 0
        piece = self._piece_at(offset - 1)
        if piece is None:
            return 0
        if piece.exact:
            return min(piece.source + offset - piece.derived, self._source_length)
        return piece.source + piece.source_length

    def _piece_at(self, offset: int) -> Piece | None:
        index = bisect_right(self._starts, offset) - 1
        return self._pieces[index] if index >= 0 else None


class OffsetMap(Protocol):
    def to_source(self, offset: int) -> int: ...

    def to_source_end(self, offset: int) -> int: ...


class LineCounter:
    """1-based line and column (in code points) of offsets in one text; lines end at '\\n'. The text
    may be a piece of a document that starts a line, its number `first_line`."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._line = first_line
        self._line_start = 0
        self._previous = 0

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column of `offset`; offsets must come in non-decreasing order."""
        if offset < self._previous:
            raise ValueError("LineCounter.position takes offsets in document order")
        newlines = self._text.count("\n", self._previous, offset)
        if newlines:
            self._line += newlines
            self._line_start = self._text.rfind("\n", self._previous, offset) + 1
        self._previous = offset
        return self._line, offset - self._line_start + 1
