"""Candidates for a cited title from the local full-text index (FTS5 on SQLite, tsvector on PostgreSQL).

A cited title names an arXiv paper when the two titles are nearly the same (title_match.py's
ACCEPT), so the paper's title holds the cited title's words, all but a typo or a dropped word.
The index is therefore asked for the titles that hold every one of the cited words but at most
one (and, for a cited "Main clause: subtitle", the titles that hold the main clause's words),
unranked; title_match.title_score ranks what comes back. Ranking inside the index is what made
lookups slow: bm25 and ts_rank_cd read the whole list of titles of every word they score, and a
title of common words ("Deep Residual Learning for Image Recognition") has lists of 70,000 titles
each at 3 million papers, where the titles holding four of its five words are a few dozen.

Words the index has never seen (a typo, mostly) cannot be in any title and are left out of the
query; the rest are ordered rarest first (SQLite: the index's vocabulary; PostgreSQL: the
statistics ANALYZE keeps of the index's 10,000 most common words, migration 0009, and for any
other word whether a title holds it), so that the broadest part of the query is bounded by the
rarest word.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.models import PaperRow
from app.resolve.normalize import normalize_title
from app.resolve.store import row_to_paper
from app.resolve.title_match import main_clause, title_score
from clients.arxiv import Paper

# Words that say nothing about which paper is meant; matching on them only slows the index.
_STOP = "a an and are as at be by for from in into is it its of on or the to via with without we our using"
_STOP += " towards toward how what when why which new based through over under vs"
STOP_WORDS = frozenset(_STOP.split())
# The most titles a lookup scores itself. A title of a few common words ("Neural Networks for
# Classification") is held whole by more: those are ranked by the index instead, more slowly.
SCORED_TITLES = 200
MAX_QUERY_WORDS = 8
PREFIX_LETTERS = 5
# Counts of common words, per database: asking the vocabulary for one costs a walk of its list of
# titles, and the same common words come back in title after title. A count that has drifted only
# changes the order of the words asked for, never which titles match them.
COMMON_WORD = 500
_COMMON_COUNTS: weakref.WeakKeyDictionary[object, dict[str, int]] = weakref.WeakKeyDictionary()
_COMMON_COUNTS_MAX = 20_000


def title_words(title: str) -> list[str]:
    """The title's distinct words that can tell papers apart, in title order.

    Normalised titles hold only word characters and spaces, so a word is safe inside the quotes
    of an FTS5 or tsquery term."""
    words = [w for w in normalize_title(title).split() if w not in STOP_WORDS and len(w) > 1]
    return list(dict.fromkeys(words))


# A query: titles matching any of its clauses; a clause: titles holding, for each of its parts, one
# of the part's words ([["a"], ["b", "c"]] is a AND (b OR c)).
Query = list[list[list[str]]]


def word_queries(words: list[str], main: list[str]) -> list[Query]:
    """The tolerant query, then the strict one: the titles that hold all of `words` but at most
    one, then those that hold them all. `words` come rarest first; `main` are the main clause's
    words when the cited title has a subtitle.

    Tolerant is `w0 AND (w1 OR w2)`, or every word but w0: a title lacking one word at most holds
    one of those, and the first is no larger than the rarest word's titles."""
    extra = [[[w] for w in main]] if main else []
    strict = [[[w] for w in words]]
    tolerant = [[[w]] for w in words] if len(words) <= 2 else [[[words[0]], words[1:3]], [[w] for w in words[1:]]]
    return [tolerant + extra, strict + extra]


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


def _written(query: Query, term: Callable[[str], str], either: str, both: str) -> str:
    """`query` in an index's syntax: `term` writes a word (a prefix when it ends in "*"), `either`
    and `both` are its OR and AND."""
    def part(words: list[str]) -> str:
        return "(" + f" {either} ".join(map(term, words)) + ")"
    return f" {either} ".join("(" + f" {both} ".join(map(part, clause)) + ")" for clause in query)


def _fts5(query: Query) -> str:
    def term(w: str) -> str:
        return f'"{w[:-1]}"*' if w.endswith("*") else f'"{w}"'
    return "title_norm : (" + _written(query, term, "OR", "AND") + ")"


def _sqlite_ids(session: Session, query: Query, n: int, *, ranked: bool = False) -> list[int]:
    order = "ORDER BY bm25(papers_fts) " if ranked else ""
    return [int(i) for i in session.execute(
        text(f"SELECT rowid FROM papers_fts WHERE papers_fts MATCH :q {order}LIMIT :n"),  # noqa: S608
        {"q": _fts5(query), "n": n}).scalars()]


# PostgreSQL's statistics of the title index, per engine: {word: estimated titles} and when they
# were read. ANALYZE (after an import or a harvest, or autovacuum's) renews them; reading them again
# every few minutes is plenty for an order of query words.
_PG_STATS: weakref.WeakKeyDictionary[object, tuple[dict[str, int], float]] = weakref.WeakKeyDictionary()
PG_STATS_SECONDS = 300.0


def _postgres_counts(session: Session) -> dict[str, int] | None:
    """Estimated titles per common word, from pg_stats; None before the first ANALYZE. The most
    common elements of a tsvector column are its most common words (about 10,000 at the statistics
    target of migration 0009), with the share of rows holding each."""
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


def _postgres_word_counts(session: Session, words: list[str]) -> dict[str, int]:
    """Estimated titles per word: the statistics' count for a common word; for any other, 1 when
    some title holds it, none otherwise (a typo, mostly: SQLite's vocabulary tells the same)."""
    common = _postgres_counts(session) or {}
    counts = {w: common[w] for w in words if w in common}
    rare = [w for w in words if w not in counts]
    if rare:
        held = session.execute(
            text("SELECT w FROM unnest(CAST(:words AS text[])) AS w WHERE EXISTS (SELECT 1 FROM papers "
                 "WHERE to_tsvector('simple', title_norm) @@ plainto_tsquery('simple', w))"),
            {"words": rare}).scalars()
        counts |= dict.fromkeys(held, 1)
    return counts


def _tsquery(query: Query) -> str:
    def term(w: str) -> str:
        return f"'{w[:-1]}':*" if w.endswith("*") else f"'{w}'"
    return _written(query, term, "|", "&")


def _postgres_ids(session: Session, query: Query, n: int, *, ranked: bool = False) -> list[int]:
    order = "ORDER BY ts_rank_cd(to_tsvector('simple', title_norm), q) DESC, id " if ranked else ""
    return [int(i) for i in session.execute(
        text("SELECT id FROM papers, to_tsquery('simple', :q) AS q "  # noqa: S608
             f"WHERE to_tsvector('simple', title_norm) @@ q {order}LIMIT :n"),
        {"q": _tsquery(query), "n": n}).scalars()]


def _queries(session: Session, title: str, sqlite: bool) -> list[Query]:
    words = title_words(title)
    counts = _document_counts(session, words) if sqlite else _postgres_word_counts(session, words)
    present = sorted((w for w in words if counts.get(w)), key=lambda w: (counts[w], -len(w), w))
    # A word no title holds is mostly a typo ("Perturbtions"). Where the title has few other words
    # to go by, its first letters stand in for the word meant ("pertu*"): asked for last, since a
    # prefix matches many words. With no other word at all, three letters ("Sphleron": "sph*").
    letters = PREFIX_LETTERS if present else 3
    prefixes = [] if len(present) >= 3 else [
        w[:letters] + "*" for w in words if not counts.get(w) and len(w) > letters]
    terms = (present + prefixes)[:MAX_QUERY_WORDS]
    if not terms:
        return []
    # The titles a "Main clause: subtitle" may name are those equal to the main clause: asked for
    # when that is a query of its own, not a common word or two held by thousands of titles.
    main = title_words(main_clause(title))
    if (set(main) == set(words) or not all(counts.get(w) for w in main)
            or min(counts[w] for w in main) > SCORED_TITLES):
        main = []
    tolerant, strict = word_queries(terms, main)
    # A clause of one common word alone matches more titles than are scored: the tolerant query
    # would match too many, and only costs a request (PostgreSQL reads all of a word's titles).
    if any(clause == [[word]] and counts.get(word, 0) > SCORED_TITLES for word in terms for clause in tolerant):
        return [strict]
    return [tolerant, strict]


def _matching_ids(session: Session, queries: list[Query], ids: Callable[..., list[int]]) -> list[int]:
    """The ids of at most SCORED_TITLES titles matching the first query that matches no more than
    that, unranked; when one matches too many and none after it matches any, ranked by the index."""
    broad: Query | None = None
    for query in queries:
        found = ids(session, query, SCORED_TITLES + 1)
        if len(found) > SCORED_TITLES:
            broad = query
        elif found or broad is None:
            return found
    # On PostgreSQL a typo counts as a rare word (its statistics know only common ones): the
    # strict query then matches nothing, and the tolerant one's titles are ranked.
    assert broad is not None
    return ids(session, broad, SCORED_TITLES, ranked=True)


def title_candidates(session: Session, title: str, *, limit: int = 20) -> list[Paper]:
    """Up to `limit` papers whose titles are nearest `title`: those holding all its telling words
    but one at most, best first by title_match's score."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    queries = _queries(session, title, sqlite)
    if not queries:
        return []
    found = _matching_ids(session, queries, _sqlite_ids if sqlite else _postgres_ids)
    if not found:
        return []
    titles = session.execute(select(PaperRow.id, PaperRow.title).where(col(PaperRow.id).in_(found))).all()
    best = sorted(titles, key=lambda f: (-title_score(title, f[1]), f[0]))[:limit]
    ids = [int(i) for i, _ in best]
    rows = session.execute(select(PaperRow).where(col(PaperRow.id).in_(ids))).scalars().all()
    order = {pk: i for i, pk in enumerate(ids)}
    return [row_to_paper(r) for r in sorted(rows, key=lambda r: order[r.id or 0])]
