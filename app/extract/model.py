"""What extraction hands to the later stages: each cited reference, where it is, what it claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from app.extract.errors import ExtractionError

__all__ = ["DOCUMENT_FORMATS", "Cited", "CitedReference", "DocumentFormat", "ExtractedDocument",
           "ExtractionError", "ReferenceKind"]

DocumentFormat = Literal["markdown", "html", "text", "bibtex", "latex", "rst"]
ReferenceKind = Literal["arxiv_url", "arxiv_id", "doi", "title", "bib_entry"]

DOCUMENT_FORMATS: tuple[DocumentFormat, ...] = get_args(DocumentFormat)


@dataclass(frozen=True, slots=True)
class Cited:
    """What the document says about one paper; None or () where it says nothing.

    `arxiv_id` is the base id without version ("2002.05709", "hep-th/9901001"); `version` is the
    cited vN. Title and authors are as written, with mis-decoded text (mojibake) repaired and
    whitespace collapsed, so the checker can compare them with arXiv's.

    `label` is a name the document calls the paper by ("PPO", "Rainbow", "Double DQN", a bold
    method name before an author-year citation): not a title, so never checked as one, and never
    looked up by itself (docs/EXTRACTION.md says which pieces of text are titles and which labels).
    """

    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    venue: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class CitedReference:
    """One citation of a paper at one place in the document.

    `text` is the exact original text of the reference (the URL, the id, the title as written, or
    the whole bibliography entry's first line for a BibTeX entry); `line` and `column` are 1-based
    and count characters (code points) of the original, decoded document, before any repair.
    `malformed_reason` is set when the text looks like an arXiv id or URL but is not a valid one.
    """

    kind: ReferenceKind
    text: str
    line: int
    column: int
    cited: Cited
    malformed_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """A document and every reference cited in it, in document order; `text` is the decoded
    document, which the references' lines and columns count in."""

    name: str | None
    format: DocumentFormat
    sha256: str
    references: tuple[CitedReference, ...]
    text: str = field(repr=False)
