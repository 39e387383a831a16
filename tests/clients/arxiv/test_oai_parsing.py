"""OAI-PMH pages, arXiv's real ones: records, version histories, tokens, errors."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from clients.arxiv import MalformedResponse, OaiError
from clients.arxiv.oai import UNKNOWN_VERSION, parse_oai_page, split_authors
from tests.arxiv_standin.faults import BILLION_LAUGHS


def _raw(shared_dir: Path, name: str) -> bytes:
    return (shared_dir / "data" / "arxiv-responses" / name).read_bytes()


def test_arxivraw_pages_carry_version_histories(shared_dir: Path) -> None:
    name = "oai-legacy__ListRecords-arXivRaw-from-2014-10-01__6-records-resumptionToken__arXivOAIHarvester.xml"
    page = parse_oai_page(_raw(shared_dir, name))
    assert len(page.records) == 6
    assert page.resumption_token == "726959|1001"
    first = page.records[0]
    assert first.arxiv_id == "0704.0471"
    assert first.versions[0].submitted.isoformat() == "2007-04-03T22:04:11+00:00"
    assert first.versions[0].size_kb == 294
    assert [a.name for a in first.authors] == ["D.V. Shetty", "S.J. Yennello", "G.A. Souliotis"]
    assert first.doi == "10.1103/PhysRevC.76.024606"
    # How far a harvest got, and the legacy server's list size (the current one gives none).
    assert page.last_datestamp is not None and page.last_datestamp.isoformat() == "2014-12-22"
    assert page.complete_list_size == 58011


def test_no_records_match_is_an_empty_last_page_with_its_response_date() -> None:
    body = (b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            b"<responseDate>2026-12-06T01:02:03Z</responseDate><request>x</request>"
            b'<error code="noRecordsMatch">No records match the request</error></OAI-PMH>')
    page = parse_oai_page(body)
    assert (page.records, page.deleted, page.resumption_token) == ((), (), None)
    assert page.response_date is not None and page.response_date.isoformat() == "2026-12-06T01:02:03+00:00"


def test_getrecord_and_the_error_as_http_200(shared_dir: Path) -> None:
    record = parse_oai_page(_raw(shared_dir, "oai-legacy__GetRecord-arXivRaw-1302.2146__arXivOAIHarvester.xml"))
    assert record.records[0].arxiv_id == "1302.2146"
    assert record.records[0].version == 2
    with pytest.raises(OaiError) as caught:
        parse_oai_page(_raw(shared_dir, "oai-legacy__GetRecord-error-idDoesNotExist__arXivOAIHarvester.xml"))
    assert caught.value.code == "idDoesNotExist"


def test_the_2018_arxiv_format_pages(shared_dir: Path) -> None:
    archive = shared_dir / "data" / "arxiv-corpus" / "raw" / "oai-pmh-arXiv-ListRecords-2018-06-17.tar.xz"
    with tarfile.open(archive) as tar:
        pages = [parse_oai_page(tar.extractfile(m).read())  # type: ignore[union-attr]
                 for m in tar.getmembers() if m.isfile()]
    assert [len(p.records) for p in pages] == [1000] * 15
    by_id = {r.arxiv_id: r for p in pages for r in p.records}
    striker = by_id["0705.0998"]
    assert striker.title == "The alternating sign matrix polytope"
    assert striker.version == UNKNOWN_VERSION  # updated, but the format does not say how often
    assert striker.authors[0].name == "Jessica Striker"
    assert by_id["0705.0999"].authors[0].affiliations == ("Shitz",)


def test_the_new_services_token_and_day_padding() -> None:
    page = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-02T00:00:00Z</responseDate>
<ListRecords><record><header><identifier>oai:arXiv.org:0704.0001</identifier></header><metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>0704.0001</id>
<version version="v1"><date>Mon, 02 Apr 2007 19:18:42 GMT</date><size>0kb</size><source_type>I</source_type></version>
<title>T</title><authors>A. One and B. Two</authors><categories>hep-ph</categories><abstract>x</abstract>
</arXivRaw></metadata></record><resumptionToken/></ListRecords></OAI-PMH>"""
    parsed = parse_oai_page(page)
    assert parsed.resumption_token is None
    (paper,) = parsed.records
    assert paper.published.day == 2
    assert paper.withdrawn


def test_unsafe_or_cut_pages_are_malformed() -> None:
    for body in (BILLION_LAUGHS, b"<OAI-PMH><ListRecords><record>", b""):
        with pytest.raises(MalformedResponse):
            parse_oai_page(body)


def test_author_strings_split_on_commas_and_and() -> None:
    assert [a.name for a in split_authors("A. Smith, B. Jones and C. Wu (MIT)")] == ["A. Smith", "B. Jones", "C. Wu"]
