"""Candidates for a cited title from the local full-text index (FTS5 on SQLite, tsvector on PostgreSQL).

The query is an OR of the title's rarest-looking words (long words first, common words dropped),
ranked by the index (bm25 / ts_rank_cd); the scorer in title_match.py decides among them.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.models import PaperRow
from app.resolve.normalize import normalize_title
from app.resolve.store import row_to_paper
from clients.arxiv.records import Paper

# Words that say nothing about which paper is meant; matching on them only slows the index.
_STOP = "a an and are as at be by for from in into is it its of on or the to via with without we our using"
_STOP += " towards toward how what when why which new based through over under vs"
STOP_WORDS = frozenset(_STOP.split())
MAX_QUERY_WORDS = 8


def query_words(title: str) -> list[str]:
    words = [w for w in normalize_title(title).split() if w not in STOP_WORDS and len(w) > 1]
    unique = list(dict.fromkeys(words))
    # Longer words are rarer: keep the most telling ones when a title is long.
    return sorted(unique, key=len, reverse=True)[:MAX_QUERY_WORDS]


def _sqlite_ids(session: Session, words: list[str], limit: int) -> list[int]:
    match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
    rows = session.execute(
        text("SELECT rowid FROM papers_fts WHERE papers_fts MATCH :q ORDER BY bm25(papers_fts) LIMIT :n"),
        {"q": f"title_norm : ({match})", "n": limit},
    )
    return [int(r[0]) for r in rows]


def _postgres_ids(session: Session, words: list[str], limit: int) -> list[int]:
    query = " | ".join("'" + w.replace("'", "") + "'" for w in words)
    rows = session.execute(
        text("SELECT id FROM papers, to_tsquery('simple', :q) AS q "
             "WHERE to_tsvector('simple', title_norm) @@ q "
             "ORDER BY ts_rank_cd(to_tsvector('simple', title_norm), q) DESC, id LIMIT :n"),
        {"q": query, "n": limit},
    )
    return [int(r[0]) for r in rows]


def title_candidates(session: Session, title: str, *, limit: int = 20) -> list[Paper]:
    """Up to `limit` papers whose titles share the most telling words with `title`."""
    words = query_words(title)
    if not words:
        return []
    sqlite = session.get_bind().dialect.name == "sqlite"
    ids = _sqlite_ids(session, words, limit) if sqlite else _postgres_ids(session, words, limit)
    if not ids:
        return []
    rows = session.execute(select(PaperRow).where(col(PaperRow.id).in_(ids))).scalars().all()
    order = {pk: i for i, pk in enumerate(ids)}
    return [row_to_paper(r) for r in sorted(rows, key=lambda r: order[r.id or 0])]
