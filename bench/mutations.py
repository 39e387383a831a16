"""Planted errors: copies of clean documents with known errors at known places (seeded, deterministic).

Each mutation edits the text of one reference whose clean verdict is ok, only where the document
states the claim it changes (a year only where the reference gives one, and so on), and leaves every
other character of the document as it was. DETECTED_BY says which finding codes count as catching it.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.check.report import ReferenceReport

KINDS = ("swapped_id", "nonexistent_id", "nonexistent_version", "invented_authors", "invented_title",
         "wrong_year", "withdrawn", "other_title")
DETECTED_BY: dict[str, frozenset[str]] = {
    "swapped_id": frozenset({"title_mismatch", "author_mismatch"}),
    "nonexistent_id": frozenset({"id_not_found"}),
    "nonexistent_version": frozenset({"version_not_found"}),
    "invented_authors": frozenset({"author_mismatch"}),
    "invented_title": frozenset({"title_mismatch"}),
    "wrong_year": frozenset({"date_mismatch"}),
    "withdrawn": frozenset({"withdrawn"}),
    "other_title": frozenset({"title_mismatch"}),
}
YEAR_SHIFT = -4  # "more than two years": before arXiv's v1 by years, which no preprint can be
WINDOW = 15  # a reference's claims lie on its line and at most this many lines after it
_ET_AL = re.compile(r"et\.? al\.?|others|and others", re.IGNORECASE)
# Lines whose names and years are keys, not claims: a BibTeX entry's key, a .bbl \bibitem label.
_KEY_LINE = re.compile(r"^\s*@\w+\s*[{(]|\\bibitem")
# BibTeX fields whose years are bookkeeping (DBLP's timestamp, URLs), not the cited year.
_NOT_YEAR_LINE = re.compile(r"^\s*(?:timestamp|biburl|bibsource|url|adsurl|adsnote|eprint)\s*=", re.IGNORECASE)
_SURNAMES = ("Quillfeather", "Marrowby", "Ostrander", "Velikovna", "Thistlewood", "Brannagh", "Oyelaran",
             "Kastellic", "Fenwright", "Dunmore", "Achterberg", "Salvatierra")
_ADJECTIVES = ("Spectral", "Hierarchical", "Sparse", "Contrastive", "Adaptive", "Stochastic", "Latent",
               "Recurrent", "Bayesian", "Equivariant")
_NOUNS = ("Curriculum Distillation", "Memory Routing", "Policy Factorization", "Manifold Alignment",
          "Token Pruning", "Kernel Mixing", "Gradient Sketching", "Energy Matching")
_TARGETS = ("Graph Transformers", "Visual Reasoning", "Sequence Models", "Robotic Control",
            "Speech Recognition", "Few-Shot Learning", "Image Synthesis", "Language Understanding")


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets in the document's text
    end: int
    new: str


@dataclass(frozen=True)
class Mutation:
    kind: str
    document: str
    line: int  # the clean reference's line
    cites: str  # the clean reference's arXiv id
    edits: tuple[Edit, ...]
    note: str


@dataclass(frozen=True)
class Pools:
    """Real papers to plant: ids the stand-in holds (with their titles), withdrawn ids, all ids."""

    real: Sequence[tuple[str, str]]
    withdrawn: Sequence[str]
    known: frozenset[str]


def apply(text: str, edits: Sequence[Edit]) -> str:
    """The text with the edits made; edits must not overlap."""
    ordered = sorted(edits, key=lambda e: e.start)
    for before, after in itertools.pairwise(ordered):
        if before.end > after.start:
            raise ValueError("overlapping edits")
    out = []
    position = 0
    for edit in ordered:
        out.append(text[position:edit.start])
        out.append(edit.new)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


_ENTRY_START = {".bib": re.compile(r"^\s*@\w+\s*[{(]"), ".bbl": re.compile(r"^\s*\\bibitem")}


def window(document: str, text: str, starts: list[int], line: int, stop_line: int | None) -> tuple[int, int]:
    """Character span where a reference's claims are: its BibTeX entry or .bbl item where the format
    has entries, else its line up to the next reference's line, at most WINDOW lines."""
    lines = text.split("\n")
    entry = next((pattern for ext, pattern in _ENTRY_START.items() if document.endswith(ext)), None)
    bottom, top = 1, len(lines) + 1
    script = _bibliography_script(text, starts[line - 1])
    if entry is None and script is not None:
        # BibTeX inside an HTML page's <script type="text/bibliography">: its entries, as in a .bib
        entry = _ENTRY_START[".bib"]
        bottom, top = text.count("\n", 0, script[0]) + 1, text.count("\n", 0, script[1]) + 1
    if entry is not None:
        first = next((n for n in range(line, bottom - 1, -1) if entry.search(lines[n - 1])), line)
        last = next((n for n in range(line + 1, top) if entry.search(lines[n - 1])), top)
    else:
        first = line
        last = min(line + WINDOW, stop_line if stop_line is not None else line + WINDOW)
    begin = starts[first - 1]
    end = starts[last - 1] if last - 1 < len(starts) else len(text)
    return begin, end


_BIBLIOGRAPHY_SCRIPT = re.compile(r"<script\b[^>]*text/(?:bibliography|(?:x-)?bibtex)[^>]*>(.*?)</script", re.I | re.S)


def _bibliography_script(text: str, position: int) -> tuple[int, int] | None:
    """The span of the BibTeX script element of an HTML page that holds `position`, if any."""
    for match in _BIBLIOGRAPHY_SCRIPT.finditer(text):
        if match.start(1) <= position < match.end(1):
            return match.span(1)
    return None


def _occurrences(text: str, pattern: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    part = text[span[0]:span[1]]
    return [(span[0] + m.start(), span[0] + m.end()) for m in re.finditer(pattern, part)]


def _line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start:end if end >= 0 else len(text)]


def _id_pattern(arxiv_id: str) -> str:
    return r"(?<![\w.])" + re.escape(arxiv_id) + r"(?![\d])"


def nonexistent_id(arxiv_id: str, known: frozenset[str]) -> str | None:
    """An id of the same month that arXiv never gave (the month's highest numbers)."""
    match = re.fullmatch(r"(\d{4})\.(\d{4,5})", arxiv_id)
    if match is None:
        return None
    digits = len(match[2])
    for number in range(10 ** digits - 1, 10 ** digits - 50, -1):
        candidate = f"{match[1]}.{number:0{digits}d}"
        if candidate not in known:
            return candidate
    return None


def invented_title(rng: random.Random) -> str:
    return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} for {rng.choice(_TARGETS)}"


def propose(kind: str, document: str, text: str, reference: ReferenceReport, stop_line: int | None,
            pools: Pools, rng: random.Random) -> Mutation | None:
    """The mutation of this kind at this reference, or None where the reference cannot carry it."""
    arxiv_id = reference.arxiv_id
    paper = reference.paper
    # Only references that name their id: a claim changed there cannot change which paper is meant.
    if arxiv_id is None or paper is None or reference.cited.arxiv_id is None:
        return None
    starts = _line_starts(text)
    span = window(document, text, starts, reference.line, stop_line)
    cited = reference.cited
    at_id = _occurrences(text, _id_pattern(arxiv_id), span)
    edits: list[Edit] = []
    note = ""
    if kind in ("swapped_id", "nonexistent_id", "withdrawn"):
        if not at_id:
            return None
        if kind == "swapped_id":
            if not (cited.title or cited.authors):
                return None
            others = [(i, t) for i, t in pools.real if i != arxiv_id and t.casefold() != paper.title.casefold()]
            new, title = rng.choice(others)
            note = f"{arxiv_id} → {new} ({title})"
        elif kind == "nonexistent_id":
            made = nonexistent_id(arxiv_id, pools.known)
            if made is None:
                return None
            new, note = made, f"{arxiv_id} → {made}"
        else:
            new = rng.choice(list(pools.withdrawn))
            note = f"{arxiv_id} → withdrawn {new}"
        edits = [Edit(s, e, new) for s, e in at_id]
    elif kind == "nonexistent_version":
        versioned = _occurrences(text, r"(?:arxiv\.org/(?:abs|pdf)/|arXiv:)" + re.escape(arxiv_id)
                                 + r"(v\d+)?", span)
        if not versioned:
            return None
        s, e = versioned[0]
        version = paper.latest_version + 3
        head = text[s:e]
        head = re.sub(r"v\d+$", "", head)
        edits = [Edit(s, e, f"{head}v{version}")]
        note = f"{arxiv_id}v{version} (latest v{paper.latest_version})"
    elif kind == "invented_authors":
        names = [n for n in cited.authors if not _ET_AL.fullmatch(n.strip())]
        if not names or len(names) > len(_SURNAMES):
            return None
        used = set()
        for name in names:
            surname = name.split()[-1] if name.split() else ""
            found = [(s, e) for s, e in _occurrences(text, r"(?<!\w)" + re.escape(surname) + r"(?!\w)", span)
                     if not _KEY_LINE.search(_line_at(text, s))] if len(surname) > 1 else []
            if not found:
                return None
            new = rng.choice([s for s in _SURNAMES if s not in used])
            used.add(new)
            edits.append(Edit(found[0][0], found[0][1], new))
        if len({e.start for e in edits}) != len(edits):
            return None
        note = f"authors {', '.join(names)} → surnames {', '.join(e.new for e in edits)}"
    elif kind in ("invented_title", "other_title"):
        if not cited.title:
            return None
        found = _occurrences(text, re.escape(cited.title), span)
        if not found:
            return None
        if kind == "invented_title":
            new = invented_title(rng)
        else:
            new = rng.choice([t for i, t in pools.real if i != arxiv_id and t.casefold() != paper.title.casefold()])
        edits = [Edit(found[0][0], found[0][1], new)]
        note = f"title → {new!r}"
    elif kind == "wrong_year":
        # Only where the citation gives arXiv as its source: a venue's year (a conference of 2009,
        # posted in 2012; a journal version years later) is not arXiv's to confirm or deny, so the
        # checks leave it alone (docs/CHECKS.md, Dates) and arXiv's metadata cannot reveal it.
        elsewhere = cited.venue is not None or bool(cited.doi and not cited.doi.lower().startswith("10.48550/"))
        if cited.year is None or elsewhere:
            return None
        found = [(s, e) for s, e in _occurrences(text, r"(?<![\w./:-])" + str(cited.year) + r"(?![\w/]|\.\d)", span)
                 if not _KEY_LINE.search(_line_at(text, s)) and not _NOT_YEAR_LINE.search(_line_at(text, s))]
        if not found:
            return None
        new = str(cited.year + YEAR_SHIFT)
        edits = [Edit(s, e, new) for s, e in found]
        note = f"year {cited.year} → {new}"
    else:
        raise ValueError(kind)
    return Mutation(kind, document, reference.line, arxiv_id, tuple(edits), note)


def plan(documents: dict[str, tuple[str, Sequence[ReferenceReport]]], pools: Pools, *, per_kind: int,
         seed: int = 15) -> list[Mutation]:
    """Up to per_kind mutations of each kind, taken round-robin over the documents, at ok references
    that are alone on their line (so the edit cannot touch a neighbour's claims)."""
    rng = random.Random(seed)
    chosen: list[Mutation] = []
    for kind in KINDS:
        per_document: dict[str, list[Mutation]] = {}
        for name in sorted(documents):
            text, references = documents[name]
            lines = sorted({r.line for r in references})
            crowded = {r.line for r in references if sum(1 for o in references if o.line == r.line) > 1}
            candidates = []
            for reference in references:
                if reference.status != "ok" or reference.line in crowded:
                    continue
                later = [ln for ln in lines if ln > reference.line]
                mutation = propose(kind, name, text, reference, later[0] if later else None, pools, rng)
                if mutation is not None:
                    candidates.append(mutation)
            rng.shuffle(candidates)
            if candidates:
                per_document[name] = candidates
        while len([m for m in chosen if m.kind == kind]) < per_kind and any(per_document.values()):
            for name in sorted(per_document):
                if per_document[name] and len([m for m in chosen if m.kind == kind]) < per_kind:
                    chosen.append(per_document[name].pop())
    return chosen


def copies(mutations: Sequence[Mutation], *, gap: int = 20, most: int = 4) -> list[list[Mutation]]:
    """Mutations grouped into document copies: same document, lines at least `gap` apart, distinct
    papers, at most `most` per copy."""
    groups: list[list[Mutation]] = []
    for mutation in sorted(mutations, key=lambda m: (m.document, m.line, m.kind)):
        for group in groups:
            if (group[0].document == mutation.document and len(group) < most
                    and all(abs(m.line - mutation.line) >= gap and m.cites != mutation.cites for m in group)):
                group.append(mutation)
                break
        else:
            groups.append([mutation])
    return groups
