"""The references of a document kept in columns, each CitedReference built when it is read.

A reading list cites a paper every 140 bytes or so. As objects, each reference costs about 460
bytes (a CitedReference, a Cited, and a string object apiece for its text, id and title, an int for
its line): three times the input for the references alone, over the 3x that extraction may grow by
(issue 4), and hundreds of thousands of objects for the garbage collector to walk again and again
while they pile up. Here the strings of each column are joined into one string per block of
_BLOCK references (a string's 49-byte header paid once a block, not once a value), positions are
machine integers (years and months too: two bytes each), and the values references share (author
lists, venues, DOIs) are kept as one pointer each. About 190 bytes a reference on a reading list.

Reading is what a tuple of CitedReference would give (len, indexing, slices, iteration, equality);
each read builds new, equal objects.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import overload

from app.extract.model import Cited, CitedReference, ReferenceKind

_KINDS: tuple[ReferenceKind, ...] = ("arxiv_url", "arxiv_id", "doi", "title", "bib_entry")
_KIND_CODES = {kind: code for code, kind in enumerate(_KINDS)}
_BLOCK = 1024  # values a column joins into one string
_SHIFT = _BLOCK.bit_length() - 1

# flags: which strings are absent or the same as another column's
_NO_ID, _NO_TITLE, _TEXT_IS_ID, _TITLE_IS_TEXT = 1, 2, 4, 8


class ReferenceTable(Sequence[CitedReference]):
    """A document's references in document order, in columns (see the module's docstring)."""

    __slots__ = (
        *("_kinds", "_flags", "_lines", "_columns", "_sealed", "_ends", "_pending"),
        *("_versions", "_dois", "_authors", "_years", "_months", "_odd", "_venues", "_malformed", "_labels"),
    )

    def __init__(self) -> None:
        self._kinds = bytearray()
        self._flags = bytearray()
        self._lines = array("I")
        self._columns = array("I")
        # Each reference's text, id and title ("" where a flag says), in three columns: the last
        # _BLOCK or fewer as strings, each block before them joined into one string a column,
        # with each value's end in its block.
        self._sealed: list[tuple[str, str, str]] = []
        self._ends = (array("I"), array("I"), array("I"))
        self._pending: tuple[list[str], list[str], list[str]] = ([], [], [])
        # shared objects (or None), one pointer a reference
        self._versions: list[int | None] = []
        self._dois: list[str | None] = []
        self._authors: list[tuple[str, ...]] = []
        # 0 for None: a year or month is 1 to 65535 (a four-digit year, a month); compiled code
        # boxes a new int for each one read from a list, where pure Python shares a year's
        self._years = array("H")
        self._months = array("H")
        self._odd: dict[tuple[int, int], int] = {}  # (column, index): a value that does not fit
        self._venues: list[str | None] = []
        self._malformed: list[str | None] = []
        self._labels: list[str | None] = []  # few references have one: no joined column

    def append(self, reference: CitedReference) -> None:
        cited = reference.cited
        self.add(
            reference.kind,
            reference.text,
            reference.line,
            reference.column,
            cited.arxiv_id,
            cited.version,
            cited.doi,
            cited.title,
            cited.authors,
            cited.year,
            cited.month,
            cited.venue,
            reference.malformed_reason,
            cited.label,
        )

    def add(
        self,
        kind: ReferenceKind,
        text: str,
        line: int,
        column: int,
        arxiv_id: str | None,
        version: int | None,
        doi: str | None,
        title: str | None,
        authors: tuple[str, ...],
        year: int | None,
        month: int | None,
        venue: str | None,
        malformed_reason: str | None,
        label: str | None = None,
    ) -> None:
        """One reference at the end (positional: called once per reference of a document)."""
        texts, ids, titles = self._pending
        texts.append(text)
        if arxiv_id is None:
            flags = _NO_ID
            ids.append("")
        elif arxiv_id == text:
            flags = _TEXT_IS_ID
            ids.append("")
        else:
            flags = 0
            ids.append(arxiv_id)
        if title is None:
            flags |= _NO_TITLE
            titles.append("")
        elif title == text:
            flags |= _TITLE_IS_TEXT
            titles.append("")
        else:
            titles.append(title)
        if len(texts) == _BLOCK:
            self._seal()
        self._kinds.append(_KIND_CODES[kind])
        self._flags.append(flags)
        self._lines.append(line)
        self._columns.append(column)
        self._versions.append(version)
        self._dois.append(doi)
        self._authors.append(authors)
        self._small(self._years, 0, year)
        self._small(self._months, 1, month)
        self._venues.append(venue)
        self._malformed.append(malformed_reason)
        self._labels.append(label)

    def _small(self, column: array[int], number: int, value: int | None) -> None:
        if value is None:
            column.append(0)
        elif 0 < value <= 0xFFFF:
            column.append(value)
        else:
            self._odd[number, len(column)] = value
            column.append(0)

    def _seal(self) -> None:
        for pending, ends in zip(self._pending, self._ends, strict=True):
            ends.fromlist(list(accumulate(map(len, pending))))
        texts, ids, titles = self._pending
        self._sealed.append(("".join(texts), "".join(ids), "".join(titles)))
        for pending in self._pending:
            pending.clear()

    def _string(self, column: int, index: int) -> str:
        block, offset = index >> _SHIFT, index & (_BLOCK - 1)
        if block == len(self._sealed):
            return self._pending[column][offset]
        ends = self._ends[column]
        return self._sealed[block][column][ends[index - 1] if offset else 0 : ends[index]]

    def __len__(self) -> int:
        return len(self._kinds)

    @overload
    def __getitem__(self, index: int) -> CitedReference: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[CitedReference, ...]: ...

    def __getitem__(self, index: int | slice) -> CitedReference | tuple[CitedReference, ...]:
        if isinstance(index, slice):
            return tuple(self._build(i) for i in range(*index.indices(len(self))))
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("reference index out of range")
        return self._build(index)

    def __iter__(self) -> Iterator[CitedReference]:
        return map(self._build, range(len(self)))

    def _build(self, index: int) -> CitedReference:
        flags = self._flags[index]
        text = self._string(0, index)
        if flags & _NO_ID:
            arxiv_id = None
        elif flags & _TEXT_IS_ID:
            arxiv_id = text
        else:
            arxiv_id = self._string(1, index)
        if flags & _NO_TITLE:
            title = None
        elif flags & _TITLE_IS_TEXT:
            title = text
        else:
            title = self._string(2, index)
        cited = Cited(
            arxiv_id,
            self._versions[index],
            self._dois[index],
            title,
            self._authors[index],
            self._years[index] or self._odd.get((0, index)),
            self._months[index] or self._odd.get((1, index)),
            self._venues[index],
            self._labels[index],
        )
        return CitedReference(
            _KINDS[self._kinds[index]],
            text,
            self._lines[index],
            self._columns[index],
            cited,
            self._malformed[index],
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"ReferenceTable({list(self)!r})"
