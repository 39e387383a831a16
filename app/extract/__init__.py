"""Reference extraction: every paper a document cites, where, and what it says about the paper.

    from app.extract import extract
    document = extract(path.read_bytes(), name=path.name)
    for reference in document.references:
        print(reference.line, reference.column, reference.kind, reference.cited.arxiv_id)

The format comes from `format`, else from the file name, else from the content. Rules and
decisions are in docs/EXTRACTION.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Literal, TypeVar

from app.extract import pieces
from app.extract.biblatex import is_biblatex_bbl, read_biblatex
from app.extract.bibtex import byte_chunks, read_bibtex
from app.extract.candidates import ReferenceDraft
from app.extract.decoding import decode_document, utf8_start
from app.extract.html import flatten_html
from app.extract.html_bibliography import embedded_bibtex
from app.extract.latex import read_latex
from app.extract.model import (
    DOCUMENT_FORMATS,
    Cited,
    CitedReference,
    DocumentFormat,
    ExtractedDocument,
    ExtractionError,
    ReferenceKind,
)
from app.extract.mojibake import MojibakeRepair, is_damaged
from app.extract.positions import LineCounter, OffsetMap
from app.extract.prose import iter_prose, read_prose
from app.extract.reference_table import ReferenceTable
from app.extract.rst import rst_to_markdown
from app.extract.sniff import detect_format

__all__ = [
    "Cited",
    "CitedReference",
    "DocumentFormat",
    "ExtractedDocument",
    "ExtractionError",
    "ReferenceKind",
    "extract",
]


def extract(
    text: str | bytes, *, name: str | None = None, format: DocumentFormat | Literal["auto"] = "auto"
) -> ExtractedDocument:
    """Every reference cited in a document, in document order.

    `text` may be bytes (decoded as UTF-8, UTF-16 with a BOM, or Windows-1252; see
    docs/EXTRACTION.md) or an already decoded string. Raises ExtractionError for input that is not
    a text document (binary data) or for an unknown `format`.
    """
    if isinstance(text, bytes):
        sha256 = hashlib.sha256(text).hexdigest()
        if len(text) > pieces.PIECE_BYTES:
            in_pieces = _extract_in_pieces(text, name, format, sha256)
            if in_pieces is not None:
                return in_pieces
        original = decode_document(text)
    else:
        sha256 = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
        original = text
    if format != "auto" and format not in DOCUMENT_FORMATS:
        raise ExtractionError(f"unknown document format {format!r}; use one of {', '.join(DOCUMENT_FORMATS)}")
    document_format: DocumentFormat = detect_format(original, name) if format == "auto" else format
    repair = MojibakeRepair.for_document(original)
    if document_format in ("markdown", "text"):
        markdown = document_format == "markdown"
        try:
            references = _streamed(original, iter_prose(original, markdown=markdown, repair=repair), ReferenceTable())
        except _OutOfOrder:
            # not seen in practice; document order must hold whatever a reader hands over
            references = _references(original, read_prose(original, markdown=markdown, repair=repair), _IDENTITY)
    else:
        candidates, offsets = _read(original, document_format, repair)
        references = _references(original, candidates, offsets)
    return ExtractedDocument(name, document_format, sha256, references, original)


def _extract_in_pieces(
    data: bytes, name: str | None, format: DocumentFormat | Literal["auto"], sha256: str
) -> ExtractedDocument | None:
    """A large Markdown or text document read piece by piece (app/extract/pieces.py), never decoded
    whole; None when it must be read whole after all (not strict UTF-8, another format, ...)."""
    start = utf8_start(data)
    if start is None:
        return None
    if format != "auto" and format not in DOCUMENT_FORMATS:
        return None  # the whole path says why
    try:
        document_format = detect_format(pieces.head_text(data, start), name) if format == "auto" else format
        references = ReferenceTable()
        if document_format == "bibtex":
            _bibtex_in_pieces(data, start, references)
        elif document_format in ("markdown", "text"):
            reader = pieces.PieceReader(data, start, markdown=document_format == "markdown")
            for piece, first_line, candidates in reader.read():
                _streamed(piece, candidates, references, first_line)
                del piece, candidates  # so that only one piece's text is alive while the next is decoded
        else:
            return None
    except (pieces.NotPieceable, _OutOfOrder):
        return None
    # the document holds the bytes; its text is decoded again when asked for
    return ExtractedDocument(name, document_format, sha256, references, data)


def _bibtex_in_pieces(data: bytes, start: int, references: ReferenceTable) -> None:
    """A large BibTeX file decoded and read in the pieces read_bibtex would parse it in, each one's
    references made before the next is decoded (its text and its candidates are never all alive)."""
    chunks = byte_chunks(data, start)
    try:
        # mojibake is judged over the whole file before any claim is read (no run spans a line)
        repair = MojibakeRepair(any(is_damaged(pieces.decode_piece(data, a, b)) for a, b in chunks))
        line = 1
        for chunk_start, chunk_end in chunks:
            text = pieces.decode_piece(data, chunk_start, chunk_end)
            _references(text, read_bibtex(text, repair=repair), _IDENTITY, line, references)
            line += data.count(b"\n", chunk_start, chunk_end)
            del text  # one piece's text alive at a time
    except UnicodeDecodeError as error:
        raise pieces.NotPieceable from error


def _read(text: str, document_format: DocumentFormat, repair: MojibakeRepair) -> tuple[list[ReferenceDraft], OffsetMap]:
    if document_format == "html":
        flat, html_map = flatten_html(text)
        candidates = read_prose(flat, markdown=True, repair=repair)
        embedded = embedded_bibtex(text, repair)
        if not embedded:
            return candidates, html_map
        # the page's own references and its script's BibTeX, all in offsets of the HTML source
        for candidate in candidates:
            candidate.start, candidate.end = html_map.to_source(candidate.start), html_map.to_source_end(candidate.end)
        return candidates + embedded, _IDENTITY
    if document_format == "rst":
        flat, rst_map = rst_to_markdown(text)
        return read_prose(flat, markdown=True, repair=repair), rst_map
    if document_format == "bibtex":
        return read_bibtex(text, repair=repair), _IDENTITY
    if document_format == "latex":
        if is_biblatex_bbl(text):
            return read_biblatex(text, repair=repair), _IDENTITY
        return read_latex(text, repair=repair), _IDENTITY
    return read_prose(text, markdown=document_format == "markdown", repair=repair), _IDENTITY


class _Identity:
    def to_source(self, offset: int) -> int:
        return offset

    def to_source_end(self, offset: int) -> int:
        return offset


_IDENTITY = _Identity()


def _references(
    original: str,
    candidates: list[ReferenceDraft],
    offsets: OffsetMap,
    first_line: int = 1,
    references: ReferenceTable | None = None,
) -> ReferenceTable:
    """The references in document order, added to `references` (a new table if None). Consumes
    `candidates`: each is dropped once converted, so a long document never holds both forms of all
    its references at once. `original` may be a piece of the document that starts a line,
    `first_line` its number."""
    if references is None:
        references = ReferenceTable()
    if not _in_order(candidates, offsets):
        return _sorted_references(original, candidates, offsets, first_line, references)
    # The readers hand over their candidates in document order: no table of all positions needed.
    lines = LineCounter(original, first_line)
    previous_start = previous_end = -1
    to_source, to_source_end = offsets.to_source, offsets.to_source_end
    add = references.add
    for index, candidate in enumerate(candidates):
        candidates[index] = _SPENT
        start, end = to_source(candidate.start), to_source_end(candidate.end)
        if start == previous_start and end == previous_end:
            continue
        previous_start, previous_end = start, end
        line, column = lines.position(start)
        _add(add, candidate, original[start:end], line, column)
    return references


class _OutOfOrder(Exception):
    pass


def _streamed(
    original: str, candidates: Iterator[ReferenceDraft], references: ReferenceTable, first_line: int = 1
) -> ReferenceTable:
    """References from candidates that arrive in document order (raises _OutOfOrder otherwise),
    each converted as it comes and added to `references`, so only the results of a long document
    pile up. `original` may be a piece of the document that starts a line, `first_line` its number."""
    add = references.add
    previous_start = previous_end = -1
    # LineCounter.position written out: one step less for each of a long document's references
    count, rfind = original.count, original.rfind
    line, line_start = first_line, 0
    for candidate in candidates:
        start, end = candidate.start, candidate.end
        if start == previous_start and end == previous_end:
            continue
        if start < previous_start or (start == previous_start and end < previous_end):
            raise _OutOfOrder
        newlines = count("\n", max(previous_start, 0), start)
        if newlines:
            line += newlines
            line_start = rfind("\n", max(previous_start, 0), start) + 1
        previous_start, previous_end = start, end
        _add(add, candidate, original[start:end], line, start - line_start + 1)
    return references


def _in_order(candidates: list[ReferenceDraft], offsets: OffsetMap) -> bool:
    """Whether the candidates' source spans already come in the order sorting them would give."""
    previous = (-1, -1)
    to_source, to_source_end = offsets.to_source, offsets.to_source_end
    for candidate in candidates:
        span = (to_source(candidate.start), to_source_end(candidate.end))
        if span < previous:
            return False
        previous = span
    return True


def _sorted_references(
    original: str, candidates: list[ReferenceDraft], offsets: OffsetMap, first_line: int, references: ReferenceTable
) -> ReferenceTable:
    spans = sorted((offsets.to_source(c.start), offsets.to_source_end(c.end), i) for i, c in enumerate(candidates))
    lines = LineCounter(original, first_line)
    previous: tuple[int, int] | None = None
    for start, end, index in spans:
        candidate, candidates[index] = candidates[index], _SPENT
        if (start, end) == previous:
            continue
        previous = (start, end)
        line, column = lines.position(start)
        _add(references.add, candidate, original[start:end], line, column)
    return references


_T = TypeVar("_T")
_SPENT = ReferenceDraft("title", 0, 0)
# One int object per year a document can claim, shared by every reference that claims it.
_YEARS = {year: year for year in range(1900, 2100)}


def _add(add: Callable[..., None], candidate: ReferenceDraft, text: str, line: int, column: int) -> None:
    """The candidate as a reference, added by a ReferenceTable's `add`."""
    claimed = candidate.authors
    authors = _AUTHOR_FORMS.get(claimed) if claimed else claimed
    if authors is None:
        authors = tuple(_collapsed(author) or "" for author in claimed)
        # the claimed tuple is often one the author-list cache shares between references
        if authors == claimed:
            authors = claimed
        authors = _shared(authors)
        if len(_AUTHOR_FORMS) >= _SHARED_SIZE:
            _AUTHOR_FORMS.clear()
        _AUTHOR_FORMS[claimed] = authors
    year = candidate.year
    venue = _collapsed(candidate.venue)
    doi = candidate.doi
    # positional: called once per reference, and keywords cost a third more
    add(
        candidate.kind,
        text,
        line,
        column,
        candidate.arxiv_id,
        candidate.version,
        _shared(doi) if doi else doi,
        _collapsed(candidate.title),
        authors,
        _YEARS.get(year, year) if year is not None else None,
        candidate.month,
        _shared(venue) if venue else venue,
        candidate.malformed_reason,
        _collapsed(candidate.label),
    )


# Author lists, venues and DOIs repeat from reference to reference (a BibTeX file's every entry
# builds its own copies): the references share one object for equal values. Bounded: emptied when
# full, so a document of unique values costs a little time and no memory.
_SHARED: dict[object, object] = {}
_SHARED_SIZE = 4096
# Each claimed author list's whitespace-collapsed, shared form: the lists repeat (a reading list
# names the same people again and again), and collapsing costs a pass over every name.
_AUTHOR_FORMS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared(value: _T) -> _T:
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= _SHARED_SIZE:
            _SHARED.clear()
        _SHARED[value] = value
        return value
    return found  # type: ignore[return-value]


def _collapsed(text: str | None) -> str | None:
    """Whitespace runs as one space; the same string object when it has none (most do)."""
    if not text:
        return None
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or text != text.strip():
        return " ".join(text.split())
    return text
