"""A polite, fault-tolerant arXiv client: ids, batched lookups, searches and OAI-PMH harvesting.

    from clients.arxiv import ArxivClient, ClientConfig, parse_id

    async with ArxivClient(ClientConfig(contact="you@example.org")) as client:
        answers = await client.lookup(["2002.05709", "hep-th/9901001v2"])

It knows nothing of arxiv-enrich's database or web layer.
"""

from clients.arxiv.client import (
    ArxivClient,
    ClientConfig,
    ClientHooks,
    Found,
    Lookup,
    NotFound,
    SearchPage,
    SyncArxivClient,
    VersionNotFound,
)
from clients.arxiv.errors import (
    ArxivApiError,
    ArxivError,
    MalformedIdError,
    MalformedResponse,
    OaiError,
    PartialLookup,
    UpstreamUnavailable,
)
from clients.arxiv.gate import IntervalGate, RequestGate
from clients.arxiv.ids import ARXIV_DOI_PREFIX, ARXIV_DOI_REGISTRANT, ArxivId, IdSpan, find_id_spans, parse_id
from clients.arxiv.oai import OaiPage
from clients.arxiv.query import all_of, any_of, phrase
from clients.arxiv.records import Author, Paper, PaperVersion

__all__ = [
    "ARXIV_DOI_PREFIX",
    "ARXIV_DOI_REGISTRANT",
    "ArxivApiError",
    "ArxivClient",
    "ArxivError",
    "ArxivId",
    "Author",
    "ClientConfig",
    "ClientHooks",
    "Found",
    "IdSpan",
    "IntervalGate",
    "Lookup",
    "MalformedIdError",
    "MalformedResponse",
    "NotFound",
    "OaiError",
    "OaiPage",
    "Paper",
    "PaperVersion",
    "PartialLookup",
    "RequestGate",
    "SearchPage",
    "SyncArxivClient",
    "UpstreamUnavailable",
    "VersionNotFound",
    "all_of",
    "any_of",
    "find_id_spans",
    "parse_id",
    "phrase",
]
