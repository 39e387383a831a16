"""Links to papers on sites other than arXiv: their text names a paper, their target may be a DOI."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_PAPER_HOSTS = (
    "doi.org",
    "dx.doi.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "openaccess.thecvf.com",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "link.springer.com",
    "sciencedirect.com",
    "nature.com",
    "science.org",
    "semanticscholar.org",
    "paperswithcode.com",
    "jmlr.org",
    "ojs.aaai.org",
    "ijcai.org",
    "biorxiv.org",
    "medrxiv.org",
    "researchgate.net",
    "scholar.google.com",
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "academic.oup.com",
    "onlinelibrary.wiley.com",
    "cs.toronto.edu",
)
_DOI_IN_URL = re.compile(r"(?:dx\.)?doi\.org/(10\.\d{4,9}/[^\s?#]+)", re.I)
_ARXIV_URL = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*arxiv\.org(?:/|$)", re.I)


def is_arxiv_url(url: str) -> bool:
    return _ARXIV_URL.match(url) is not None


# Pure, and asked of every non-arXiv link target; documents link the same pages again and again.
@lru_cache(maxsize=4096)
def is_paper_link(url: str) -> bool:
    """A link to a publisher, proceedings or index page, or straight to a PDF."""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:  # "http://[" and the like: not a URL at all, so not a paper link
        return False
    if not host:
        return False
    if parts.path.lower().endswith(".pdf"):
        return True
    return any(host == known or host.endswith("." + known) for known in _PAPER_HOSTS)


def doi_of_link(url: str) -> str | None:
    match = _DOI_IN_URL.search(url)
    return unquote(match.group(1)).rstrip(".,;") if match else None
