"""OAI-PMH answers from the corpus, in the new service's shape (ARXIV-API.md §6).

Errors come as HTTP 200 with <error code=…>; resumption tokens are the percent-encoded original
parameters plus `skip=N`, with an `expires` of the next midnight UTC and no cursor or
completeListSize; the last page has an empty <resumptionToken/>. As in arXiv's oaipmh
(processors/fetch_list.py), records come in datestamp order and a token that crosses a day moves
`from` to the page's last day, `skip` then counting that day's records already served. Deleted
records are served as headers with status="deleted" (deletedRecord: persistent).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, quote, unquote, urlencode

from tests.arxiv_standin.atom_writer import esc
from tests.arxiv_standin.corpus import Corpus, StandinPaper, datestamp_of

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')


def _wrap(now: datetime, request: str, inner: str, asked: dict[str, str] | None = None) -> bytes:
    # As arXiv writes it: the request's arguments as attributes of <request>.
    attributes = "".join(f' {k}="{esc(v)}"' for k, v in (asked or {}).items())
    return (HEAD + f"<responseDate>{now.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</responseDate>\n"
            + f"<request{attributes}>{esc(request)}</request>\n" + inner + "</OAI-PMH>\n").encode("utf-8")


def error_answer(now: datetime, code: str, message: str) -> tuple[int, bytes]:
    return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", f'<error code="{code}">{esc(message)}</error>\n')


def _datestamp(paper: StandinPaper) -> date:
    return datestamp_of(paper)


# The physics group's archives; every other archive is its own group (cs, math, stat, …).
PHYSICS_ARCHIVES = frozenset({
    "astro-ph", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin", "nucl-ex",
    "nucl-th", "physics", "quant-ph", "chao-dyn", "solv-int", "patt-sol", "adap-org", "comp-gas",
    "acc-phys", "ao-sci", "atom-ph", "bayes-an", "chem-ph", "plasm-ph", "supr-con",
})


def set_specs(categories: list[str]) -> list[str]:
    """A record's sets in the new form, `group:archive:CATEGORY` (or `group:archive`)."""
    specs = []
    for category in categories:
        archive, _, sub = category.partition(".")
        group = "physics" if archive in PHYSICS_ARCHIVES else archive
        specs.append(f"{group}:{archive}:{sub}" if sub else f"{group}:{archive}")
    return list(dict.fromkeys(specs))


def in_set(categories: list[str], wanted: str) -> bool:
    """Whether a record belongs to `wanted`: a group (`cs`), an archive (`physics:hep-th`,
    `math:math`) or a category (`cs:cs:AI`); the old forms are still valid."""
    parts = wanted.split(":")
    for spec in set_specs(categories):
        have = spec.split(":")
        if have[: len(parts)] == parts:
            return True
    return False


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
    specs = "".join(f"<setSpec>{s}</setSpec>" for s in set_specs(paper.categories))
    return (f"<record><header><identifier>oai:arXiv.org:{paper.arxiv_id}</identifier>"
            f"<datestamp>{_datestamp(paper)}</datestamp>{specs}</header>"
            f"<metadata>{metadata}</metadata></record>\n")


def _deleted(arxiv_id: str, day: date) -> str:
    return (f'<record><header status="deleted"><identifier>oai:arXiv.org:{arxiv_id}</identifier>'
            f"<datestamp>{day}</datestamp></header></record>\n")


def _expires(now: datetime) -> str:
    midnight = (now.astimezone(UTC) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.strftime("%Y-%m-%dT%H:%M:%SZ")


def oai_answer(corpus: Corpus, params: dict[str, str], *, now: datetime,
               page_size: int) -> tuple[int, bytes]:
    asked = dict(params)
    verb = params.get("verb")
    if verb == "Identify":
        return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", (
            "<Identify><repositoryName>arXiv</repositoryName><protocolVersion>2.0</protocolVersion>"
            "<earliestDatestamp>2005-09-16</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
            "<granularity>YYYY-MM-DD</granularity></Identify>\n"))
    skip = 0
    if verb == "ListRecords" and "resumptionToken" in params:
        token = parse_qs(unquote(params["resumptionToken"]))
        if "metadataPrefix" not in token or not token.get("skip", [""])[-1].isdigit():
            return error_answer(now, "badResumptionToken", "Token decoding failed or format is invalid.")
        params = {"verb": verb, **{k: v[-1] for k, v in token.items()}}
        skip = int(params.pop("skip"))
    prefix = params.get("metadataPrefix")
    if verb not in ("ListRecords", "GetRecord"):
        return error_answer(now, "badVerb", f"Illegal verb: {verb}")
    if prefix not in ("arXiv", "arXivRaw"):
        return error_answer(now, "cannotDisseminateFormat", f"Cannot disseminate format {prefix}")
    if verb == "GetRecord":
        identifier = params.get("identifier", "").removeprefix("oai:arXiv.org:")
        paper = corpus.get(identifier)
        if paper is None:
            return error_answer(now, "idDoesNotExist", f"Identifier '{params.get('identifier')}' has correct "
                          "form but does not correspond to an item in this repository")
        inner = f"<GetRecord>{_record(paper, prefix)}</GetRecord>\n"
        return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", inner)
    try:
        start = date.fromisoformat(params["from"]) if params.get("from") else None
        until = date.fromisoformat(params["until"]) if params.get("until") else None
    except ValueError:
        return error_answer(now, "badArgument", "from and until take YYYY-MM-DD")
    wanted_set = params.get("set")
    matching = [(day, arxiv_id, paper) for day, arxiv_id, paper in corpus.oai_order()
                if (start is None or day >= start) and (until is None or day <= until)
                and (not wanted_set or paper is None or in_set(paper.categories, wanted_set))]
    if not matching:
        return error_answer(now, "noRecordsMatch", "No records match the request")
    page = matching[skip:skip + page_size]
    token = ""
    if skip + page_size < len(matching):
        first_day, last_day = page[0][0], page[-1][0]
        following = {k: v for k, v in params.items() if k not in ("verb", "resumptionToken")}
        if first_day == last_day:
            token = quote(urlencode({**following, "skip": skip + page_size}))
        else:
            # As arXiv does: resume from the page's last day, skipping what of it was served.
            served = sum(1 for day, _, _ in page if day == last_day)
            token = quote(urlencode({**following, "from": last_day.isoformat(), "skip": served}))
    tail = (f'<resumptionToken expires="{_expires(now)}">{esc(token)}</resumptionToken>\n' if token
            else "<resumptionToken/>\n")
    records = "".join(_record(paper, prefix) if paper is not None else _deleted(arxiv_id, day)
                      for day, arxiv_id, paper in page)
    inner = "<ListRecords>\n" + records + tail + "</ListRecords>\n"
    return 200, _wrap(now, "https://oaipmh.arxiv.org/oai", inner, asked)
