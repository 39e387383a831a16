"""The papers table and the lookup cache: reads and idempotent writes. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.models import LookupCacheRow, PaperRow
from app.resolve.model import VersionTitle
from app.resolve.normalize import normalize_title
from clients.arxiv import Author, Paper, PaperVersion

# An earlier version's title is kept this long: a submitted version is never replaced (a change
# makes a new version), so its entry only goes stale through rare administrative corrections.
VERSION_TTL = timedelta(days=365)

# Columns an upsert overwrites; `id` never changes, so the full-text index keeps pointing right.
_UPDATABLE = (
    "latest_version", "title", "title_norm", "abstract", "authors", "published", "updated",
    "primary_category", "categories", "doi", "journal_ref", "comment", "withdrawn", "versions",
    "source", "fetched_at",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@lru_cache(maxsize=16384)
def submitted_text(moment: datetime) -> str:
    """A version's date as a row keeps it; the dates repeat across a bulk import's records (many
    are days without a time), so each is formatted once."""
    return moment.isoformat()


def paper_values(paper: Paper, *, source: str, fetched_at: datetime) -> dict[str, Any]:
    """The row of `paper` as column values (shared by single upserts and bulk import)."""
    return {
        "arxiv_id": paper.arxiv_id,
        "latest_version": paper.version,
        "title": paper.title,
        "title_norm": normalize_title(paper.title),
        "abstract": paper.abstract,
        "authors": [{"name": a.name, "affiliations": list(a.affiliations)} for a in paper.authors],
        "published": paper.published,
        "updated": paper.updated,
        "primary_category": paper.primary_category,
        "categories": list(paper.categories),
        "doi": paper.doi,
        "journal_ref": paper.journal_ref,
        "comment": paper.comment,
        "withdrawn": paper.withdrawn,
        "versions": [
            {"version": v.version, "submitted": submitted_text(v.submitted), "size_kb": v.size_kb,
             "source_type": v.source_type}
            for v in paper.versions
        ],
        "source": source,
        "fetched_at": fetched_at,
    }


def row_to_paper(row: PaperRow) -> Paper:
    return Paper(
        arxiv_id=row.arxiv_id,
        version=row.latest_version,
        title=row.title,
        abstract=row.abstract,
        authors=tuple(Author(a["name"], tuple(a.get("affiliations") or ())) for a in row.authors),
        published=as_utc(row.published),
        updated=as_utc(row.updated),
        primary_category=row.primary_category,
        categories=tuple(row.categories),
        doi=row.doi,
        journal_ref=row.journal_ref,
        comment=row.comment,
        withdrawn=row.withdrawn,
        versions=tuple(
            PaperVersion(v["version"], datetime.fromisoformat(v["submitted"]), v.get("size_kb"),
                         v.get("source_type"))
            for v in row.versions
        ),
    )


def settle_after_bulk_write(engine: Engine) -> None:
    """PostgreSQL, after many papers were written (an import, a harvest window): fresh statistics,
    the planner's and the word counts title lookups order words by, and the title index's pending
    list merged. GIN's fast update keeps new entries unsorted, up to 4 MB, and every title search
    reads them all: 12,800 of them after the 89k-record import took a lookup from 2 ms to 20."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE papers")
        connection.exec_driver_sql("SELECT gin_clean_pending_list('ix_papers_title_fts'::regclass)")


def upsert_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (arxiv_id) DO UPDATE of every column, in `dialect`. Executed with a list
    of rows, it is compiled once and sent as one executemany (on the table, not the ORM class: the
    ORM's bulk path would send such an upsert row by row)."""
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = insert(PaperRow.__table__)  # type: ignore[attr-defined]
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["arxiv_id"], set_={name: excluded[name] for name in _UPDATABLE}
    )


def upsert_papers(session: Session, papers: Iterable[Paper], *, source: str,
                  fetched_at: datetime | None = None) -> int:
    """Insert or refresh papers; keeps a richer version history we already had (from a snapshot)."""
    moment = fetched_at or utcnow()
    rows = [paper_values(p, source=source, fetched_at=moment) for p in papers]
    if not rows:
        return 0
    # Only a record without versions (the API's) can lose a history we hold: ask for those alone.
    bare = [r["arxiv_id"] for r in rows if not r["versions"]]
    if bare:
        query = select(col(PaperRow.arxiv_id), col(PaperRow.versions)).where(col(PaperRow.arxiv_id).in_(bare))
        known: dict[str, list[dict[str, Any]]] = dict(session.execute(query).all())
        for row in rows:
            if not row["versions"] and known.get(row["arxiv_id"]):
                row["versions"] = known[row["arxiv_id"]]
    session.connection().execute(upsert_statement(session.get_bind().dialect.name), rows)
    return len(rows)


def get_papers(session: Session, arxiv_ids: Iterable[str]) -> dict[str, tuple[Paper, datetime]]:
    """Known papers by canonical id, each with the time it was fetched."""
    wanted = list(dict.fromkeys(arxiv_ids))
    found: dict[str, tuple[Paper, datetime]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = session.execute(select(PaperRow).where(col(PaperRow.arxiv_id).in_(chunk))).scalars()
        for row in rows:
            found[row.arxiv_id] = (row_to_paper(row), as_utc(row.fetched_at))
    return found


def held_versions(session: Session, arxiv_ids: Iterable[str]) -> dict[str, int]:
    """The latest version held of each known paper, by canonical id (two columns, not whole rows: a
    document may cite hundreds of thousands)."""
    wanted = list(dict.fromkeys(arxiv_ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = session.execute(select(col(PaperRow.arxiv_id), col(PaperRow.latest_version))
                               .where(col(PaperRow.arxiv_id).in_(chunk)))
        found.update((arxiv_id, latest) for arxiv_id, latest in rows)
    return found


def get_paper_by_doi(session: Session, doi: str) -> Paper | None:
    query = select(PaperRow).where(func.lower(col(PaperRow.doi)) == doi.lower()).limit(1)
    row = session.execute(query).scalars().first()
    return row_to_paper(row) if row else None


def cache_get(
    session: Session, keys: Iterable[str], *, now: datetime | None = None
) -> dict[str, LookupCacheRow]:
    """Unexpired cache entries by key."""
    moment = now or utcnow()
    wanted = list(dict.fromkeys(keys))
    found: dict[str, LookupCacheRow] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        query = select(LookupCacheRow).where(col(LookupCacheRow.key).in_(chunk))
        for row in session.execute(query).scalars():
            if as_utc(row.expires_at) > moment:
                found[row.key] = row
    return found


def cache_put(session: Session, key: str, *, kind: str, outcome: str, payload: dict[str, Any],
              ttl: timedelta, now: datetime | None = None) -> None:
    moment = now or utcnow()
    session.execute(delete(LookupCacheRow).where(col(LookupCacheRow.key) == key))
    session.add(LookupCacheRow(key=key, kind=kind, outcome=outcome, payload=payload,
                               created_at=moment, expires_at=moment + ttl))


def cache_forget(session: Session, keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        session.execute(delete(LookupCacheRow).where(col(LookupCacheRow.key).in_(keys)))


def version_key(arxiv_id: str, version: int) -> str:
    return f"version:{arxiv_id}v{version}"


def cache_version_titles(session: Session, papers: Iterable[Paper], *, now: datetime | None = None) -> None:
    """Keep the titles of these answers to `id_list=<id>vN` (each Paper describes its version)."""
    for paper in papers:
        cache_put(session, version_key(paper.arxiv_id, paper.version), kind="version", outcome="found",
                  payload={"title": paper.title, "submitted": paper.updated.isoformat()},
                  ttl=VERSION_TTL, now=now)


def get_version_titles(session: Session, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], VersionTitle]:
    """Cached titles of (arxiv_id, version) pairs; pairs not cached are absent."""
    keys = {version_key(arxiv_id, version): (arxiv_id, version) for arxiv_id, version in wanted}
    found: dict[tuple[str, int], VersionTitle] = {}
    for key, row in cache_get(session, keys).items():
        arxiv_id, version = keys[key]
        found[(arxiv_id, version)] = VersionTitle(version, row.payload["title"],
                                                  as_utc(datetime.fromisoformat(row.payload["submitted"])))
    return found
