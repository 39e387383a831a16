"""Which arXiv ids a document really cites, for id recall and precision.

The expected ids are ../shared/data/documents/ids.json (found by machine, per PROVENANCE.md), less the
ids that occur only in commented-out lines: a citation someone commented out is not one the document
makes. Ids the machine missed are added by hand in MISSED, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Line comments, by file extension: where a whole line is commented out, its ids are not cited.
_COMMENT = {".rb": "#", ".bib": "%", ".bbl": "%", ".tex": "%"}
_VERSION = re.compile(r"v\d+$")

# (document, id) → why it counts although ids.json lacks it.
MISSED: dict[tuple[str, str], str] = {}


def base_id(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id.strip())


def commented_only(name: str, text: str, arxiv_id: str) -> bool:
    """True when every line holding the id is a commented-out line."""
    marker = next((m for ext, m in _COMMENT.items() if name.endswith(ext)), None)
    if marker is None:
        return False
    holding = [line for line in text.splitlines() if arxiv_id in line]
    return bool(holding) and all(line.lstrip().startswith(marker) for line in holding)


def expected_ids(name: str, text: str, listed: Iterable[str]) -> set[str]:
    ids = {base_id(i) for i in listed if not commented_only(name, text, i)}
    return ids | {arxiv_id for (doc, arxiv_id) in MISSED if doc == name}


def recall_precision(expected: set[str], found: set[str]) -> tuple[int, int, int]:
    """(found and expected, expected, found): recall = first/second, precision = first/third."""
    return len(expected & found), len(expected), len(found)
