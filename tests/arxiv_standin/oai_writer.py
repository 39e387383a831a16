"""OAI-PMH answers from the corpus, in the new service's shape (ARXIV-API.md §6).

Errors come as HTTP 200 with <error code=…>; resumption tokens carry the original parameters and
`skip=N` and have no cursor or completeListSize; the last page has an empty <resumptionToken/>.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlencode

from tests.arxiv_standin.atom_writer import esc
from tests.arxiv_standin.corpus import Corpus, StandinPaper

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')


def _wrap(now: datetime, request: str, inner: str) -> bytes:
    return (HEAD + f"<responseDate>{now.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</responseDate>\n"
            + f"<request>{esc(request)}</request>\n" + inner + "</OAI-PMH>\n").encode("utf-8")


def _error(now: datetime, code: str, message: str) -> tuple[int, bytes]:
    return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", f'<error code="{code}">{esc(message)}</error>\n')


def _datestamp(paper: StandinPaper) -> date:
    if paper.datestamp:
        return date.fromisoformat(paper.datestamp[:10])
    return paper.version_dates[-1].date()


def _arxiv(paper: StandinPaper) -> str:
    authors = "".join(
        "<author>" + (f"<keyname>{esc(name.split()[-1])}</keyname>" if name.split() else "")
        + (f"<forenames>{esc(' '.join(name.split()[:-1]))}</forenames>" if len(name.split()) > 1 else "")
        + "</author>"
        for name, _ in paper.authors)
    parts = [f"<id>{paper.arxiv_id}</id>", f"<created>{paper.version_dates[0].date()}</created>"]
    if paper.latest_version > 1:
        parts.append(f"<updated>{paper.version_dates[-1].date()}</updated>")
    parts += [f"<authors>{authors}</authors>", f"<title>{esc(paper.title)}</title>",
              f"<categories>{' '.join(paper.categories)}</categories>"]
    parts += _tail(paper)
    return ('<arXiv xmlns="http://arxiv.org/OAI/arXiv/">' + "".join(parts) + "</arXiv>")


def _tail(paper: StandinPaper) -> list[str]:
    """The elements both metadata formats end with, in the order arXiv writes them."""
    optional = (("comments", paper.comment), ("journal-ref", paper.journal_ref), ("doi", paper.doi))
    return [f"<{tag}>{esc(value)}</{tag}>" for tag, value in optional if value] + [
        f"<abstract>{esc(paper.abstract)}</abstract>"]


def _arxiv_raw(paper: StandinPaper) -> str:
    versions = "".join(
        f'<version version="v{i + 1}"><date>{d.strftime("%a, %d %b %Y %H:%M:%S GMT")}</date>'
        f"<size>{paper.sizes_kb[i] if i < len(paper.sizes_kb) else 100}kb</size>"
        f"<source_type>{'I' if i < len(paper.sizes_kb) and paper.sizes_kb[i] == 0 else 'D'}</source_type>"
        "</version>"
        for i, d in enumerate(paper.version_dates))
    parts = [f"<id>{paper.arxiv_id}</id>", f"<submitter>{esc(paper.submitter or '')}</submitter>", versions,
             f"<title>{esc(paper.title)}</title>",
             f"<authors>{esc(', '.join(name for name, _ in paper.authors))}</authors>",
             f"<categories>{' '.join(paper.categories)}</categories>"]
    parts += _tail(paper)
    return '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">' + "".join(parts) + "</arXivRaw>"


def _record(paper: StandinPaper, prefix: str) -> str:
    metadata = _arxiv_raw(paper) if prefix == "arXivRaw" else _arxiv(paper)
    return (f"<record><header><identifier>oai:arXiv.org:{paper.arxiv_id}</identifier>"
            f"<datestamp>{_datestamp(paper)}</datestamp></header>"
            f"<metadata>{metadata}</metadata></record>\n")


def oai_answer(corpus: Corpus, params: dict[str, str], *, now: datetime,
               page_size: int) -> tuple[int, bytes]:
    verb = params.get("verb")
    if verb == "Identify":
        return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", (
            "<Identify><repositoryName>arXiv</repositoryName><protocolVersion>2.0</protocolVersion>"
            "<earliestDatestamp>2005-09-16</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
            "<granularity>YYYY-MM-DD</granularity></Identify>\n"))
    skip = 0
    if verb == "ListRecords" and "resumptionToken" in params:
        token = parse_qs(params["resumptionToken"])
        if "metadataPrefix" not in token or "skip" not in token:
            return _error(now, "badResumptionToken", "The value of the resumptionToken argument is invalid")
        params = {k: v[-1] for k, v in token.items()}
        skip = int(params.pop("skip"))
    prefix = params.get("metadataPrefix")
    if verb not in ("ListRecords", "GetRecord"):
        return _error(now, "badVerb", f"Illegal verb: {verb}")
    if prefix not in ("arXiv", "arXivRaw"):
        return _error(now, "cannotDisseminateFormat", f"Cannot disseminate format {prefix}")
    if verb == "GetRecord":
        identifier = params.get("identifier", "").removeprefix("oai:arXiv.org:")
        paper = corpus.get(identifier)
        if paper is None:
            return _error(now, "idDoesNotExist", f"Identifier '{params.get('identifier')}' has correct "
                          "form but does not correspond to an item in this repository")
        inner = f"<GetRecord>{_record(paper, prefix)}</GetRecord>\n"
        return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", inner)
    try:
        start = date.fromisoformat(params["from"]) if params.get("from") else None
        until = date.fromisoformat(params["until"]) if params.get("until") else None
    except ValueError:
        return _error(now, "badArgument", "from and until take YYYY-MM-DD")
    matching = sorted((p for p in corpus if (start is None or _datestamp(p) >= start)
                       and (until is None or _datestamp(p) <= until)),
                      key=lambda p: (_datestamp(p), p.arxiv_id))
    if not matching:
        return _error(now, "noRecordsMatch", "No records match the request")
    page = matching[skip:skip + page_size]
    more = skip + page_size < len(matching)
    token = ""
    if more:
        token = urlencode({**{k: v for k, v in params.items() if k != "verb"}, "skip": skip + page_size})
    tail = f"<resumptionToken>{esc(token)}</resumptionToken>\n" if more else "<resumptionToken/>\n"
    records = "".join(_record(p, prefix) for p in page)
    inner = "<ListRecords>\n" + records + tail + "</ListRecords>\n"
    return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", inner)
