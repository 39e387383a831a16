"""Building search_query strings that mean what they say on the current arXiv server.

Since 2025-11-11 the server joins adjacent terms with OR and rewrites bare words to `all:`
(ARXIV-API.md §0.6), so a title must be a quoted phrase and terms must be joined explicitly.
"""

from __future__ import annotations

import re
from typing import Literal

Field = Literal["ti", "au", "abs", "co", "jr", "cat", "rn", "all", "doi"]
_UNSAFE = re.compile(r'["\\()]')


def phrase(field: Field, text: str) -> str:
    """`ti:"Attention Is All You Need"`: quotes, backslashes and parentheses become spaces."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split())
    if not cleaned:
        raise ValueError("an empty phrase matches nothing")
    return f'{field}:"{cleaned}"'


def all_of(*terms: str) -> str:
    """Every term, parenthesised: the grammar has no precedence, so we never rely on one."""
    return "(" + " AND ".join(terms) + ")" if len(terms) > 1 else terms[0]


def any_of(*terms: str) -> str:
    return "(" + " OR ".join(terms) + ")" if len(terms) > 1 else terms[0]
