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
from clients.arxiv.ids import (
    ARXIV_DOI_PREFIX,
    ARXIV_DOI_REGISTRANT,
    ArxivId,
    IdSpan,
    IdSpanFields,
    find_id_spans,
    fold,
    id_span_fields,
    parse_id,
)
from clients.arxiv.oai import UNKNOWN_VERSION, OaiPage, parse_oai_page, split_authors
from clients.arxiv.query import all_of, any_of, phrase
from clients.arxiv.records import Author, Paper, PaperVersion
from clients.arxiv.withdrawal import is_withdrawal_comment

__all__ = [
    "ARXIV_DOI_PREFIX",
    "ARXIV_DOI_REGISTRANT",
    "UNKNOWN_VERSION",
    "ArxivApiError",
    "ArxivClient",
    "ArxivError",
    "ArxivId",
    "Author",
    "ClientConfig",
    "ClientHooks",
    "Found",
    "IdSpan",
    "IdSpanFields",
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
    "fold",
    "id_span_fields",
    "is_withdrawal_comment",
    "parse_id",
    "parse_oai_page",
    "phrase",
    "split_authors",
]
