"""Do the cited authors write this paper? The names are compared by app/resolve/names.py, the one
name matcher of the project (title lookups weigh author overlap with it too).

"K. He" is "Kaiming He"; "Härkönen", "Harkonen" and the seeds' mis-decoded "H√§rk√∂nen" (repaired
by extraction) are one name; "Garcia Satorras" matches "Victor Garcia Satorras"; "et al." means the
list is partial, so only the names given are checked. A cited name in another script that arXiv's
romanised names do not match is not counted either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.resolve.names import AuthorMatch, match_authors, parse_name, same_person

AuthorCheck = AuthorMatch

__all__ = ["AuthorCheck", "check_authors", "name_tokens", "same_person"]


def name_tokens(name: str) -> list[str]:
    """The name's comparison keys in written order (transliterated, lower case, particles dropped)."""
    return list(parse_name(name).words)


def check_authors(cited: Sequence[str], actual: Sequence[str]) -> AuthorCheck:
    return match_authors(cited, actual)
