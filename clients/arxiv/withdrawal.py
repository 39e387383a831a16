"""Is this paper withdrawn? arXiv has no flag in its API; the signal is the comment of the last version.

Wordings seen in arXiv's own metadata: "This paper has been withdrawn by the author(s) …",
"Withdrawn by author because …", "the paper is withdrawn for further elaboration", "This submission
has been withdrawn by arXiv administrators …". A comment that merely mentions another withdrawn
paper ("replaces our earlier, withdrawn, paper") is not a withdrawal of this one.
"""

from __future__ import annotations

import re

_WITHDRAWN = re.compile(
    r"""^\s*(?:
          (?:this\s+|the\s+)?(?:paper|article|submission|manuscript|preprint|version|work)\s+
              (?:has\s+been|was|is|is\s+being)\s+withdrawn
        | withdrawn(?:\s+by\s+(?:the\s+)?(?:authors?|submitter|arxiv(?:\s+admin(?:istrator)?s?)?))?\b
        | (?:the\s+)?authors?\s+(?:has|have)\s+withdrawn\s+(?:this|the)\s+
              (?:paper|article|submission|manuscript)
        )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_withdrawal_comment(comment: str | None) -> bool:
    """True when a version's comment says that this paper is withdrawn."""
    # Every wording above says "withdrawn": most comments are ruled out without the pattern.
    if not comment or "withdrawn" not in comment.lower():
        return False
    return _WITHDRAWN.search(" ".join(comment.split())) is not None
