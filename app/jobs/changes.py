"""What changed between the paper we hold and the one arXiv now serves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models import PaperRow
from app.resolve.normalize import normalize_title
from clients.arxiv import Paper


@dataclass(frozen=True)
class Change:
    arxiv_id: str
    field: str
    old: Any
    new: Any


def paper_changes(old: PaperRow, new: Paper) -> list[Change]:
    """The changes a citing document could care about; cosmetic whitespace is not a change."""
    changes: list[Change] = []
    # Version 0 is "unknown" (an OAI arXiv-format record): learning the number is not a new version.
    if old.latest_version and new.version > old.latest_version:
        changes.append(Change(new.arxiv_id, "new_version", old.latest_version, new.version))
    if normalize_title(new.title) != old.title_norm:
        changes.append(Change(new.arxiv_id, "title", old.title, new.title))
    old_authors = [a["name"] for a in old.authors]
    new_authors = [a.name for a in new.authors]
    if old_authors != new_authors:
        changes.append(Change(new.arxiv_id, "authors", old_authors, new_authors))
    if (new.doi or None) != (old.doi or None):
        changes.append(Change(new.arxiv_id, "doi", old.doi, new.doi))
    if (new.journal_ref or None) != (old.journal_ref or None):
        changes.append(Change(new.arxiv_id, "journal_ref", old.journal_ref, new.journal_ref))
    if new.withdrawn != old.withdrawn:
        changes.append(Change(new.arxiv_id, "withdrawn", old.withdrawn, new.withdrawn))
    return changes
