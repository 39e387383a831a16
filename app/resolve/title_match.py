"""Deciding which arXiv paper, if any, a cited title names.

Title, authors and year decide together whether a candidate is the cited paper (as biblio-glutton
combines title, first author and year). An exact title is the paper whatever else the citation
says: a citation that gets the authors wrong still names its paper (the checks then report
author_mismatch). A near title is the paper unless the rest of the citation speaks against it more
than for it: a 0.90 "Improved X" by none of the cited authors, posted after the cited year, is
another paper, and the cited one is not on arXiv (the candidate is shown as a possible match).
Between titles that score alike, authors and year choose: a candidate first posted after the
cited year is less likely than one that existed then.

Thresholds (docs/CHECKS.md has the reasoning and the cases behind them):
- ACCEPT 0.88: edit similarity of normalised titles. Typos and small wording changes pass
  ("Recogntion"); a different paper that shares most words does not ("Language Models are
  Unsupervised Multitask Learners" vs "… are Few-Shot Learners" scores 0.74).
- MAIN_CLAUSE 0.92: a cited title equal to the arXiv title's part before its colon ("Instance
  Normalization" for "Instance Normalization: The Missing Ingredient for Fast Stylization").
- MARGIN 0.04: candidates this close to the best are indistinguishable by title alone.
- The evidence on an inexact match (a main clause, a near title), each for, against or silent:
  the cited authors (some of them wrote it / none did), and the cited year (the paper was on arXiv
  then, from v1 to a year after its last version / its v1 came out more than YEAR_BEFORE_V1 years
  after it). More against than for rules the candidate out: a 2014 "Generative Adversarial
  Networks" is not the 2017 "Generative Adversarial Networks: An Overview". An exact title still
  matches (late uploads of old papers exist), and the checks then report the date.
- TITLE_SAME 0.90: the check's "the cited title is the paper's"; here too, to know when the titles
  of earlier versions are worth asking for (app/resolve/versions.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from app.resolve import names
from app.resolve.model import Candidate, Resolution
from app.resolve.normalize import normalize_title
from clients.arxiv import Paper

ACCEPT = 0.88
MAIN_CLAUSE = 0.92
MARGIN = 0.04
YEAR_BEFORE_V1 = 1
TITLE_SAME = 0.90
# At least this close, two titles differ by typos only; below it (a main clause, a changed word:
# "Understanding dropout" for "Understanding Dropout: Training Multi-Layer Perceptrons with …",
# "Hierarchical Dirichlet processes" for "Nested Hierarchical Dirichlet Processes") the title alone
# is weak evidence, and what speaks against the candidate outweighs what speaks for it.
TYPO_CLOSE = 0.95
_NO_NAME = frozenset({"", "al", "et al", "others", "and others"})
_SUBTITLE = re.compile(r"\s*(?::|\s-{1,2}\s|—|–)\s*")


# Memoised here, not in normalize.py: a cited title is compared with each of its candidates and
# candidates recur from lookup to lookup, while an import normalises each title once.
_normal = lru_cache(maxsize=8192)(normalize_title)


@lru_cache(maxsize=8192)
def main_clause(title: str) -> str:
    """The normalised title before its subtitle (":", " - ", a dash), or the whole title."""
    return _normal(_SUBTITLE.split(title, maxsplit=1)[0])


def title_score(cited: str, actual: str) -> float:
    """Similarity in [0, 1] of a cited title and an arXiv title."""
    a, b = _normal(cited), _normal(actual)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = fuzz.ratio(a, b) / 100.0
    if a == main_clause(actual) or main_clause(cited) == b:
        score = max(score, MAIN_CLAUSE)
    return round(score, 4)


def surname(name: str) -> str:
    return names.surname(name)


def author_overlap(cited: Sequence[str], paper: Paper) -> float:
    """Share of the cited authors (those that can be judged) who are among the paper's authors,
    by the project's one name matcher."""
    result = names.match_authors(cited, [a.name for a in paper.authors])
    return result.matched / result.cited if result.cited else 0.0


def _years_on_arxiv(paper: Paper) -> tuple[int, int]:
    """The first and the last year of the paper's versions."""
    years = [paper.published.year, paper.updated.year, *(v.submitted.year for v in paper.versions)]
    return min(years), max(years)


def year_fit(paper: Paper, year: int | None) -> float:
    """How plausible a cited year makes a paper: 1 when it had been posted by then, 0.5 in the year
    before v1 (published, then posted), 0 earlier still, and for no year."""
    if year is None:
        return 0.0
    if year >= paper.published.year:
        return 1.0
    return 0.5 if year >= paper.published.year - YEAR_BEFORE_V1 else 0.0


def _names_given(authors: Sequence[str]) -> bool:
    return any(a.strip(" .").casefold() not in _NO_NAME for a in authors)


def ruled_out_because(candidate: Candidate, cited_authors: Sequence[str], cited_year: int | None) -> str | None:
    """Why a near-title candidate is not the cited paper, or None when it may be.

    Each piece of evidence is for, against or silent; more against than for rules it out. An exact
    title is never ruled out; below TYPO_CLOSE, each piece against counts twice."""
    if candidate.score >= 1.0:
        return None
    paper = candidate.paper
    against: list[str] = []
    support = weight = 0
    strength = 2 if candidate.score < TYPO_CLOSE else 1
    if _names_given(cited_authors):
        if author_overlap(cited_authors, paper) > 0:
            support += 1
        else:
            against.append("none of the cited authors wrote it")
            weight += strength
    if cited_year is not None:
        first, last = _years_on_arxiv(paper)
        if first <= cited_year <= last + 1:
            support += 1
        elif year_fit(paper, cited_year) == 0.0:
            against.append(f"it was first posted in {first}, years after the cited {cited_year}")
            weight += strength
        elif cited_year < first and against:
            # Silent alone (published, then posted), but no help to a candidate that has nothing else.
            against.append(f"it was first posted in {first}, after the cited {cited_year}")
            weight += strength
    if weight > support:
        return "; ".join(against)
    return None


def _evidence(paper: Paper, authors: Sequence[str], year: int | None) -> float:
    score = author_overlap(authors, paper) if authors else 0.0
    return score + 0.5 * year_fit(paper, year)


def decide(cited_title: str, candidates: Sequence[Paper], *, cited_authors: Sequence[str] = (),
           cited_year: int | None = None) -> Resolution:
    """found, ambiguous or unresolved, with the candidates considered and their scores.

    An unresolved decision's candidates start with the near titles the evidence ruled out (score
    at least ACCEPT): the checks show them as possible matches."""
    scored = sorted((Candidate(p, title_score(cited_title, p.title)) for p in candidates),
                    key=lambda c: (-c.score, c.paper.arxiv_id))
    accepted = [c for c in scored
                if c.score >= ACCEPT and ruled_out_because(c, cited_authors, cited_year) is None]
    if not accepted:
        near = scored[0] if scored and scored[0].score >= ACCEPT else None
        reason = "no arXiv paper has this title"
        if near is not None:
            reason += (f"; the nearest, {near.paper.arxiv_id}, is another paper: "
                       f"{ruled_out_because(near, cited_authors, cited_year)}")
        return Resolution("unresolved", None, scored[0].score if scored else 0.0, tuple(scored[:3]),
                          reason=reason)
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
