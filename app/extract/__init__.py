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
from typing import Literal

from app.extract.biblatex import is_biblatex_bbl, read_biblatex
from app.extract.bibtex import read_bibtex
from app.extract.candidates import ReferenceDraft
from app.extract.decoding import decode_document
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
from app.extract.mojibake import MojibakeRepair
from app.extract.positions import LineCounter, OffsetMap
from app.extract.prose import read_prose
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
        original = decode_document(text)
    else:
        sha256 = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
        original = text
    if format != "auto" and format not in DOCUMENT_FORMATS:
        raise ExtractionError(f"unknown document format {format!r}; use one of {', '.join(DOCUMENT_FORMATS)}")
    document_format: DocumentFormat = detect_format(original, name) if format == "auto" else format
    repair = MojibakeRepair.for_document(original)
    candidates, offsets = _read(original, document_format, repair)
    return ExtractedDocument(name, document_format, sha256, _references(original, candidates, offsets), original)


def _read(text: str, document_format: DocumentFormat, repair: MojibakeRepair) -> tuple[list[ReferenceDraft], OffsetMap]:
    """The format's reader: candidates in offsets of the text it read, and the map back to `text`."""
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


def _references(original: str, candidates: list[ReferenceDraft], offsets: OffsetMap) -> tuple[CitedReference, ...]:
    """The references in document order; two candidates with the same source span make one."""
    spans = sorted(
        ((offsets.to_source(c.start), offsets.to_source_end(c.end), c) for c in candidates), key=lambda s: s[:2]
    )
    lines = LineCounter(original)
    references: list[CitedReference] = []
    previous: tuple[int, int] | None = None
    for start, end, candidate in spans:
        if (start, end) == previous:
            continue
        previous = (start, end)
        line, column = lines.position(start)
        references.append(_reference(candidate, original[start:end], line, column))
    return tuple(references)


def _reference(candidate: ReferenceDraft, text: str, line: int, column: int) -> CitedReference:
    """The candidate as the reference the later stages see, its claims with whitespace collapsed."""
    cited = Cited(
        arxiv_id=candidate.arxiv_id,
        version=candidate.version,
        doi=candidate.doi,
        title=_collapsed(candidate.title),
        authors=tuple(_collapsed(author) or "" for author in candidate.authors),
        year=candidate.year,
        month=candidate.month,
        venue=_collapsed(candidate.venue),
        label=_collapsed(candidate.label),
    )
    return CitedReference(candidate.kind, text, line, column, cited, candidate.malformed_reason)


def _collapsed(text: str | None) -> str | None:
    """Runs of spaces, tabs and line ends as one space, and no whitespace at either end; None for
    no text. A single other space character inside ("\u2003") is kept as it is."""
    if not text:
        return None
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or text != text.strip():
        return " ".join(text.split())
    return text
