"""A reference while it is being assembled, in offsets of the text the format reader works on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.extract.model import ReferenceKind

if TYPE_CHECKING:
    from app.extract.arxiv_mentions import IdMention


@dataclass(slots=True)
class ReferenceDraft:
    """Mutable while claims are attached; the entry point turns it into a CitedReference."""

    kind: ReferenceKind
    start: int
    end: int
    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    venue: str | None = None
    malformed_reason: str | None = None
    label: str | None = None

    @classmethod
    def from_mention(cls, mention: IdMention, offset: int = 0) -> ReferenceDraft:
        """The reference an id mention makes; `offset` is where the text the mention was found in
        starts within the reader's text (a field value, an entry)."""
        return cls(
            mention.kind,
            offset + mention.start,
            offset + mention.end,
            arxiv_id=mention.arxiv_id,
            version=mention.version,
            doi=mention.doi,
            malformed_reason=mention.malformed_reason,
        )

    def claim(
        self,
        *,
        title: str | None = None,
        authors: tuple[str, ...] = (),
        year: int | None = None,
        month: int | None = None,
        venue: str | None = None,
        label: str | None = None,
    ) -> None:
        """Add what the document says, without overwriting what is already known."""
        self.title = self.title or title
        self.label = self.label or label
        self.authors = self.authors or authors
        if self.year is None and year is not None:
            self.year, self.month = year, month
        self.venue = self.venue or venue
