"""Deciding which arXiv paper, if any, a cited title names.

The title decides; authors and year only break ties between titles that score alike. A citation
that gets the authors wrong still names its paper (the checks then report author_mismatch), so
authors must never push a right title below acceptance.

Thresholds (docs/CHECKS.md has the reasoning and the cases behind them):
- ACCEPT 0.88: edit similarity of normalised titles. Typos and small wording changes pass
  ("Recogntion"); a different paper that shares most words does not ("Language Models are
  Unsupervised Multitask Learners" vs "… are Few-Shot Learners" scores 0.74).
- MAIN_CLAUSE 0.92: a cited title equal to the arXiv title's part before its colon ("Instance
  Normalization" for "Instance Normalization: The Missing Ingredient for Fast Stylization").
- MARGIN 0.04: candidates this close to the best are indistinguishable by title alone.
- An inexact match (a main clause, a near title) whose v1 came out more than YEAR_BEFORE_V1 years
  after the cited year is not the cited paper: a 2014 "Generative Adversarial Networks" is not the
  2017 "Generative Adversarial Networks: An Overview". An exact title still matches (late uploads
  of old papers exist), and the checks then report the date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from app.resolve import names
from app.resolve.model import Candidate, Resolution
from app.resolve.normalize import normalize_title
from clients.arxiv.records import Paper

ACCEPT = 0.88
MAIN_CLAUSE = 0.92
MARGIN = 0.04
YEAR_BEFORE_V1 = 1
_SUBTITLE = re.compile(r"\s*(?::|\s-{1,2}\s|—|–)\s*")


# Memoised here, not in normalize.py: a cited title is compared with each of its candidates and
# candidates recur from lookup to lookup, while an import normalises each title once.
_normal = lru_cache(maxsize=8192)(normalize_title)


@lru_cache(maxsize=8192)
def _main_clause(title: str) -> str:
    return _normal(_SUBTITLE.split(title, maxsplit=1)[0])


def title_score(cited: str, actual: str) -> float:
    """Similarity in [0, 1] of a cited title and an arXiv title."""
    a, b = _normal(cited), _normal(actual)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = fuzz.ratio(a, b) / 100.0
    if a == _main_clause(actual) or _main_clause(cited) == b:
        score = max(score, MAIN_CLAUSE)
    return round(score, 4)


def surname(name: str) -> str:
    return names.surname(name)


def author_overlap(cited: Sequence[str], paper: Paper) -> float:
    """Share of the cited authors (those that can be judged) who are among the paper's authors,
    by the project's one name matcher."""
    result = names.match_authors(cited, [a.name for a in paper.authors])
    return result.matched / result.cited if result.cited else 0.0


def _evidence(paper: Paper, authors: Sequence[str], year: int | None) -> float:
    score = author_overlap(authors, paper) if authors else 0.0
    if year is not None and abs(paper.published.year - year) <= 1:
        score += 0.5
    return score


def _cited_before_it_existed(candidate: Candidate, cited_year: int | None) -> bool:
    return (cited_year is not None and candidate.score < 1.0
            and cited_year < candidate.paper.published.year - YEAR_BEFORE_V1)


def decide(cited_title: str, candidates: Sequence[Paper], *, cited_authors: Sequence[str] = (),
           cited_year: int | None = None) -> Resolution:
    """found, ambiguous or unresolved, with the candidates considered and their scores."""
    scored = sorted((Candidate(p, title_score(cited_title, p.title)) for p in candidates),
                    key=lambda c: (-c.score, c.paper.arxiv_id))
    accepted = [c for c in scored if c.score >= ACCEPT and not _cited_before_it_existed(c, cited_year)]
    if not accepted:
        return Resolution("unresolved", None, scored[0].score if scored else 0.0, tuple(scored[:3]),
                          reason="no arXiv paper has this title")
    best = accepted[0]
    close = [c for c in accepted if best.score - c.score <= MARGIN]
    if len(close) == 1:
        return Resolution("found", best.paper, best.score, tuple(accepted[:5]))
    ranked = sorted(close, key=lambda c: -_evidence(c.paper, cited_authors, cited_year))
    first = _evidence(ranked[0].paper, cited_authors, cited_year)
    second = _evidence(ranked[1].paper, cited_authors, cited_year)
    if first > second:
        return Resolution("found", ranked[0].paper, ranked[0].score, tuple(close))
    return Resolution("ambiguous", None, best.score, tuple(close),
                      reason=f"{len(close)} arXiv papers have this title and nothing cited tells them apart")
