"""Candidates for a cited title from the local full-text index (FTS5 on SQLite, tsvector on PostgreSQL).

The query is an OR of the title's most telling words, ranked by the index (bm25 / ts_rank_cd); the
scorer in title_match.py decides among them. On SQLite the index's vocabulary says how many titles
hold each word, and the query takes the rarest: ranking every title that shares "learning" (one
in seventeen of the corpus) costs tens of milliseconds, and a paper that has the title's rare words
ranks first without the common ones. On PostgreSQL the same choice is made from the server's own
statistics of the title index (ANALYZE's most common words and their frequencies); where there are
none yet, long words stand in for rare ones.
"""

from __future__ import annotations

import time
import weakref

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.models import PaperRow
from app.resolve.normalize import normalize_title
from app.resolve.store import row_to_paper
from clients.arxiv import Paper

# Words that say nothing about which paper is meant; matching on them only slows the index.
_STOP = "a an and are as at be by for from in into is it its of on or the to via with without we our using"
_STOP += " towards toward how what when why which new based through over under vs"
STOP_WORDS = frozenset(_STOP.split())
MAX_QUERY_WORDS = 8
# On SQLite: rare words are added while the titles they match stay within this many (a typo or a
# dropped word still leaves the others to find the paper); at least MIN_QUERY_WORDS when there are.
POSTINGS_BUDGET = 2000
MIN_QUERY_WORDS = 2
# Counts of common words, per database: asking the vocabulary for one costs a walk of its list of
# titles, and the same common words come back in title after title. A count that has drifted only
# changes which words are asked for, never which papers match them.
COMMON_WORD = 500
_COMMON_COUNTS: weakref.WeakKeyDictionary[object, dict[str, int]] = weakref.WeakKeyDictionary()
_COMMON_COUNTS_MAX = 20_000


def title_words(title: str) -> list[str]:
    """The title's distinct words that can tell papers apart, in title order.

    Normalised titles hold only word characters and spaces, so a word is safe inside the quotes
    of an FTS5 or tsquery term."""
    words = [w for w in normalize_title(title).split() if w not in STOP_WORDS and len(w) > 1]
    return list(dict.fromkeys(words))


def query_words(title: str) -> list[str]:
    # Longer words are rarer: keep the most telling ones when a title is long.
    return sorted(title_words(title), key=len, reverse=True)[:MAX_QUERY_WORDS]


def _document_counts(session: Session, words: list[str]) -> dict[str, int]:
    """How many indexed titles hold each word (absent words: none)."""
    known = _COMMON_COUNTS.setdefault(session.get_bind(), {})
    counts = {w: known[w] for w in words if w in known}
    wanted = [w for w in words if w not in counts]
    if wanted:
        marks = ", ".join(f":w{i}" for i in range(len(wanted)))
        rows = session.execute(
            text(f"SELECT term, doc FROM papers_fts_vocab WHERE term IN ({marks})"),  # noqa: S608
            {f"w{i}": w for i, w in enumerate(wanted)},
        )
        for term, documents in rows:
            counts[term] = int(documents)
            if documents >= COMMON_WORD and len(known) < _COMMON_COUNTS_MAX:
                known[term] = int(documents)
    return counts


def rare_words(words: list[str], counts: dict[str, int]) -> list[str]:
    """The rarest of `words` that some title holds, within POSTINGS_BUDGET titles matched."""
    present = sorted((w for w in words if counts.get(w)), key=lambda w: (counts[w], -len(w), w))
    chosen: list[str] = []
    matched = 0
    for word in present[:MAX_QUERY_WORDS]:
        if len(chosen) >= MIN_QUERY_WORDS and matched + counts[word] > POSTINGS_BUDGET:
            break
        chosen.append(word)
        matched += counts[word]
    return chosen


def _sqlite_ids(session: Session, words: list[str], limit: int) -> list[int]:
    rare = rare_words(words, _document_counts(session, words))
    # None found in the vocabulary: a word the index tokenizes otherwise (it splits on characters
    # the normal form keeps) may still match, so the plain query is asked; it is cheap when
    # nothing matches.
    words = rare or sorted(words, key=len, reverse=True)[:MAX_QUERY_WORDS]
    if not words:
        return []
    match = " OR ".join('"' + w + '"' for w in words)
    rows = session.execute(
        text("SELECT rowid FROM papers_fts WHERE papers_fts MATCH :q ORDER BY bm25(papers_fts) LIMIT :n"),
        {"q": f"title_norm : ({match})", "n": limit},
    )
    return [int(r[0]) for r in rows]


# PostgreSQL's statistics of the title index, per engine: {word: estimated titles}, the estimate
# for any other word, and when they were read. ANALYZE (after an import, or autovacuum's) renews
# them; reading them again every few minutes is plenty for a choice of query words.
_PG_STATS: weakref.WeakKeyDictionary[object, tuple[dict[str, int], float]] = weakref.WeakKeyDictionary()
PG_STATS_SECONDS = 300.0


def _postgres_counts(session: Session) -> dict[str, int] | None:
    """Estimated titles per common word, from pg_stats; None before the first ANALYZE. The most
    common elements of a tsvector column are its most common words (a thousand), with the share
    of rows holding each."""
    bind = session.get_bind()
    cached = _PG_STATS.get(bind)
    if cached is not None and time.monotonic() - cached[1] < PG_STATS_SECONDS:
        return cached[0]
    row = session.execute(text(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
        "FROM pg_stats s JOIN pg_class c ON c.relname = 'papers' "
        "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
        "WHERE s.schemaname = current_schema() AND s.tablename = 'ix_papers_title_fts'")).first()
    if row is None or not row[0] or not row[1] or row[2] is None or row[2] <= 0:
        return None
    words, shares, rows = list(row[0]), list(row[1]), float(row[2])
    counts = {w: max(1, round(f * rows)) for w, f in zip(words, shares[:len(words)], strict=True)}
    _PG_STATS[bind] = (counts, time.monotonic())
    return counts


def _postgres_words(session: Session, title: str) -> list[str]:
    words = title_words(title)
    common = _postgres_counts(session)
    if common is None:
        return query_words(title)
    # A word outside the common list may be in few titles or in none (a typo): counted as 1, it is
    # asked for, and costs little either way.
    counts = {w: common.get(w, 1) for w in words}
    return rare_words(words, counts) or query_words(title)


def _postgres_ids(session: Session, words: list[str], limit: int) -> list[int]:
    query = " | ".join("'" + w + "'" for w in words)
    rows = session.execute(
        text("SELECT id FROM papers, to_tsquery('simple', :q) AS q "
             "WHERE to_tsvector('simple', title_norm) @@ q "
             "ORDER BY ts_rank_cd(to_tsvector('simple', title_norm), q) DESC, id LIMIT :n"),
        {"q": query, "n": limit},
    )
    return [int(r[0]) for r in rows]


def title_candidates(session: Session, title: str, *, limit: int = 20) -> list[Paper]:
    """Up to `limit` papers whose titles share the most telling words with `title`."""
    if session.get_bind().dialect.name == "sqlite":
        ids = _sqlite_ids(session, title_words(title), limit)
    else:
        words = _postgres_words(session, title)
        ids = _postgres_ids(session, words, limit) if words else []
    if not ids:
        return []
    rows = session.execute(select(PaperRow).where(col(PaperRow.id).in_(ids))).scalars().all()
    order = {pk: i for i, pk in enumerate(ids)}
    return [row_to_paper(r) for r in sorted(rows, key=lambda r: order[r.id or 0])]
