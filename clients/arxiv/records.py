"""The typed records the client hands out: what arXiv says about a paper."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Author:
    """One author as arXiv lists them; affiliations only where arXiv gives them."""

    name: str
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PaperVersion:
    """One version from a version history (OAI arXivRaw, the Kaggle snapshot)."""

    version: int
    submitted: datetime
    size_kb: int | None = None
    source_type: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper's metadata as of one version.

    `arxiv_id` is the canonical id without a version ("2002.05709", "hep-th/9901001");
    `version` is the version this record describes (the latest one unless a version was asked for).
    `published` is the v1 submission time, `updated` the submission time of `version` (both UTC).
    Text fields have their whitespace collapsed. `versions` is empty where the source gives no history
    (the Atom API).
    """

    arxiv_id: str
    version: int
    title: str
    abstract: str
    authors: tuple[Author, ...]
    published: datetime
    updated: datetime
    primary_category: str
    categories: tuple[str, ...]
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    withdrawn: bool = False
    versions: tuple[PaperVersion, ...] = field(default=())

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}"

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None
