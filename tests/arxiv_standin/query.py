"""arXiv's search_query on the current server: adapt_query's rewriting, the grammar, matching.

As on the real server since 2025-11-11 (ARXIV-API.md §0.6, §3.2): bare words become `all:word`,
adjacent terms are joined with OR, NOT becomes ANDNOT, title: becomes ti:, au:x_y becomes
au:"x y"; binary operators chain left to right; a phrase in quotes matches words in order.
"""

from __future__ import annotations

import fnmatch
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.arxiv_standin.corpus import StandinPaper

FIELDS = {"ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all", "doi", "submittedDate"}
OPERATORS = {"AND", "OR", "ANDNOT"}
_TOKEN = re.compile(r'\(|\)|[A-Za-z]+:"[^"]*"|"[^"]*"|[^\s()"]+')


class QueryError(ValueError):
    """The query cannot be parsed: the server answers 400 "Invalid query string"."""


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return re.findall(r"[\w*?.-]+", fold(text))


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    phrase: bool

    def render(self) -> str:
        return f'{self.field}:"{self.value}"' if self.phrase else f"{self.field}:{self.value}"


@dataclass(frozen=True)
class Op:
    op: str
    left: Node | None
    right: Node


Node = Term | Op


def adapt(query: str) -> list[str]:
    """The server's rewriting, as a token list (joined with spaces it is the feed-title form)."""
    raw = _TOKEN.findall(query.replace("\r", " ").replace("\n", " "))
    out: list[str] = []
    for token in raw:
        if token == "NOT":
            token = "ANDNOT"
        if token not in OPERATORS and token not in "()":
            field, sep, value = token.partition(":")
            if not sep or field not in FIELDS | {"title", "lastUpdatedDate"}:
                value, field = token, "all"
            field = {"title": "ti", "lastUpdatedDate": "submittedDate"}.get(field, field)
            if not value or value == '""':
                continue  # a prefix with no content is dropped
            if field == "au" and not value.startswith('"') and "_" in value:
                value = '"' + value.replace("_", " ") + '"'
            token = f"{field}:{value}"
        previous = out[-1] if out else None
        starts = token not in OPERATORS and token != ")"
        ends = previous is not None and previous not in OPERATORS and previous != "("
        if starts and ends:
            out.append("OR")
        if token in OPERATORS and previous in OPERATORS:
            out[-1] = token  # repeated operators: the last one stands
            continue
        out.append(token)
    while out and out[-1] in OPERATORS:
        out.pop()
    return out


def _term(token: str) -> Term:
    field, _, value = token.partition(":")
    if field not in FIELDS:
        raise QueryError(token)
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return Term(field, value[1:-1], True)
    if not value or '"' in value:
        raise QueryError(token)
    return Term(field, value, False)


def parse(tokens: list[str]) -> Node:
    position = 0

    def primary() -> Node:
        nonlocal position
        if position >= len(tokens):
            raise QueryError("unexpected end")
        token = tokens[position]
        position += 1
        if token == "(":
            node = expression()
            if position >= len(tokens) or tokens[position] != ")":
                raise QueryError("unbalanced parenthesis")
            position += 1
            return node
        if token == "ANDNOT":
            return Op("ANDNOT", None, primary())
        if token in OPERATORS or token == ")":
            raise QueryError(token)
        return _term(token)

    def expression() -> Node:
        nonlocal position
        node = primary()
        while position < len(tokens) and tokens[position] in OPERATORS:
            op = tokens[position]
            position += 1
            node = Op(op, node, primary())
        return node

    node = expression()
    if position != len(tokens):
        raise QueryError("trailing tokens")
    return node


def _date_range(value: str) -> tuple[datetime, datetime]:
    match = re.fullmatch(r"\[?\s*(\d{4,12})\s+TO\s+(\d{4,12})\s*\]?", value)
    if match is None:
        raise QueryError(value)

    def point(text: str, end: bool) -> datetime:
        padded = text.ljust(12, "9" if end else "0")
        year, month, day = int(padded[:4]), int(padded[4:6]), int(padded[6:8])
        if end:
            month, day = min(month, 12), min(day, 28 if month == 2 else 30)
        return datetime(year, max(month, 1), max(day, 1), min(int(padded[8:10]), 23),
                        min(int(padded[10:12]), 59), tzinfo=UTC)

    return point(match[1], False), point(match[2], True)


def _field_words(paper: StandinPaper, field: str) -> list[list[str]]:
    """The words of each text of a field, folded once per paper (searches scan the whole corpus)."""
    cache = paper.__dict__.setdefault("_words", {})
    if field not in cache:
        cache[field] = [words(text) for text in _texts(paper, field)]
    return cache[field]  # type: ignore[no-any-return]


def _texts(paper: StandinPaper, field: str) -> list[str]:
    authors = [name for name, _ in paper.authors]
    by_field = {
        "ti": [paper.title], "au": authors, "abs": [paper.abstract], "co": [paper.comment or ""],
        "jr": [paper.journal_ref or ""], "doi": [paper.doi or ""], "id": [paper.arxiv_id],
        "rn": [],
    }
    if field == "all":
        return [paper.title, *authors, paper.abstract, paper.comment or "", paper.journal_ref or "",
                *paper.categories]
    return by_field.get(field, [])


def _matches(term: Term, paper: StandinPaper) -> bool:
    if term.field == "cat":
        return any(fnmatch.fnmatchcase(c.lower(), term.value.lower()) or c.lower() == term.value.lower()
                   for c in paper.categories)
    if term.field == "submittedDate":
        low, high = _date_range(term.value)
        return low <= paper.version_dates[0] <= high
    wanted = words(term.value)
    if not wanted:
        return False
    for have in _field_words(paper, term.field):
        if term.phrase:
            n = len(wanted)
            if any(have[i:i + n] == wanted for i in range(len(have) - n + 1)):
                return True
        elif "*" in wanted[0] or "?" in wanted[0]:  # words() keeps no "[": these are the only wildcards
            if any(fnmatch.fnmatchcase(w, wanted[0]) for w in have):
                return True
        elif wanted[0] in have:  # without a wildcard fnmatch is equality: a C-speed scan of the list
            return True
    return False


class WordIndex:
    """Which papers hold each word, per field: a search looks at those papers, not all 89k.

    It narrows, it does not decide: every paper it returns is still matched by `evaluate`, and every
    paper `evaluate` could accept is among those returned, so answers are the same as a full scan.
    """

    def __init__(self, papers: list[StandinPaper]) -> None:
        self.papers = papers
        self._fields: dict[str, dict[str, list[int]]] = {}
        # Concurrent first searches would each build the same postings, slowly, under the GIL.
        self._lock = threading.Lock()

    def warm(self, *fields: str) -> None:
        """Build these fields' postings now rather than in the first search (it takes seconds)."""
        for field in fields:
            self._postings(field)

    def _postings(self, field: str) -> dict[str, list[int]]:
        with self._lock:
            return self._build(field)

    def _build(self, field: str) -> dict[str, list[int]]:
        if field not in self._fields:
            postings: dict[str, list[int]] = {}
            for position, paper in enumerate(self.papers):
                for word in {w for text in _field_words(paper, field) for w in text}:
                    postings.setdefault(word, []).append(position)
            self._fields[field] = postings
        return self._fields[field]

    def _term(self, term: Term) -> set[int] | None:
        if term.field in ("cat", "submittedDate"):
            return None
        wanted = words(term.value)
        if not wanted:
            return set()
        needed = wanted if term.phrase else wanted[:1]
        if not term.phrase and ("*" in needed[0] or "?" in needed[0]):
            return None  # a pattern (phrases compare "?" and "*" literally, like any character)
        postings = self._postings(term.field)
        found: set[int] | None = None
        for word in needed:
            have = set(postings.get(word, ()))
            found = have if found is None else found & have
        return found

    def narrow(self, node: Node) -> set[int] | None:
        """Positions of the papers that may match; None when any paper may."""
        if isinstance(node, Term):
            return self._term(node)
        right = self.narrow(node.right)
        if node.left is None:
            return None  # NOT x matches what lacks x: anything
        left = self.narrow(node.left)
        if node.op == "ANDNOT":
            return left
        if node.op == "AND":
            return left if right is None else right if left is None else left & right
        return None if left is None or right is None else left | right

    def matching(self, node: Node) -> list[StandinPaper]:
        """The papers the query matches, in corpus order (ties in sorting keep that order)."""
        narrowed = self.narrow(node)
        positions = range(len(self.papers)) if narrowed is None else sorted(narrowed)
        return [self.papers[i] for i in positions if evaluate(node, self.papers[i])]


def evaluate(node: Node, paper: StandinPaper) -> bool:
    if isinstance(node, Term):
        return _matches(node, paper)
    right = evaluate(node.right, paper)
    if node.left is None:
        return not right
    left = evaluate(node.left, paper)
    if node.op == "AND":
        return left and right
    if node.op == "OR":
        return left or right
    return left and not right


def _term_score(term: Term, paper: StandinPaper) -> float:
    """A matched term: 1, and more the more of the paper's title it is (5 more for all of it)."""
    score = 1.0
    title = _field_words(paper, "ti")[0]
    wanted = words(term.value)
    if wanted and wanted == title:
        score += 5.0
    elif wanted and all(w in title for w in wanted):
        score += 2.0 / max(1, len(title) - len(wanted) + 1)
    return score


def relevance(node: Node, paper: StandinPaper) -> float:
    """A crude stand-in for Elasticsearch's score, summed as its bool query sums clauses.

    arXiv's server turns AND into a bool `must` and OR into a bool `should`: a paper scores for the
    clauses it matches, not for every word of the query it holds. So in an OR of several titles'
    clauses a paper scores for the titles it matches, and the page (`max_results`) is ranked across
    them all: a title whose paper scores low against the others' can fall off the page.
    """
    if isinstance(node, Term):
        return _term_score(node, paper) if _matches(node, paper) else 0.0
    if node.left is None:
        return 0.0  # NOT x: a filter, it scores nothing
    if node.op == "OR":
        return relevance(node.left, paper) + relevance(node.right, paper)
    if not evaluate(node, paper):
        return 0.0
    return relevance(node.left, paper) + (relevance(node.right, paper) if node.op == "AND" else 0.0)
