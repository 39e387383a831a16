"""Atom parsing on arXiv's real recorded answers, and the stand-in writing them byte for byte."""

from __future__ import annotations

import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clients.arxiv import ArxivApiError, MalformedResponse
from clients.arxiv import __all__ as public
from clients.arxiv.atom import parse_feed
from tests.arxiv_standin import atom_writer
from tests.arxiv_standin.corpus import StandinPaper
from tests.arxiv_standin.faults import BILLION_LAUGHS, EXTERNAL_ENTITY


def _recorded(shared_dir: Path, name: str) -> bytes:
    return (shared_dir / "data" / "arxiv-responses" / name).read_bytes()


def test_authors_keep_their_own_affiliations(shared_dir: Path) -> None:
    feed = parse_feed(_recorded(shared_dir, "current__id_list-astro-ph_0601001__arxiv.py.atom.xml"))
    (paper,) = feed.papers
    assert paper.arxiv_id == "astro-ph/0601001"
    assert paper.version == 1
    assert [(a.name, a.affiliations) for a in paper.authors][2] == ("B. Scott Gaudi", ("CfA",))
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    assert paper.abstract.startswith("We derive the frequencies")  # leading spaces collapsed
    assert "Gould & Morgan" in paper.abstract


def test_many_authors_non_ascii_and_a_missing_id(shared_dir: Path) -> None:
    name = "current__id_list-0808.05394+1707.08567__nonexistent-plus-real__arxiv.py.atom.xml"
    feed = parse_feed(_recorded(shared_dir, name))
    (paper,) = feed.papers
    assert paper.arxiv_id == "1707.08567"
    assert len(paper.authors) == 34
    assert any("Wübben" in a.name for a in paper.authors)


def test_a_paper_titled_0_and_the_transformer(shared_dir: Path) -> None:
    zero = parse_feed(_recorded(shared_dir, "current__id_list-2104.12255v1__versioned__arxiv.py.atom.xml"))
    assert zero.papers[0].title == "0"
    attention = parse_feed(_recorded(shared_dir, "current__id_list-1706.03762__zotero-validate.atom.xml"))
    paper = attention.papers[0]
    assert (paper.arxiv_id, paper.version, paper.title) == ("1706.03762", 7, "Attention Is All You Need")
    assert paper.published == datetime(2017, 6, 12, 17, 57, 34, tzinfo=UTC)
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.comment == "15 pages, 5 figures"


def test_the_error_feed_is_a_typed_error_with_arxivs_message(shared_dir: Path) -> None:
    with pytest.raises(ArxivApiError) as caught:
        parse_feed(_recorded(shared_dir, "current__id_list-abc__error-400__arxiv.py.atom.xml"), status=400)
    assert caught.value.message == "incorrect id format for abc"


def test_legacy_phantom_entries_are_not_papers(shared_dir: Path) -> None:
    feed = parse_feed(_recorded(shared_dir, "legacy__id_list-4ids-3-nonexistent__phantom-entries__rsxiv.atom.xml"))
    assert [p.arxiv_id for p in feed.papers] == ["2201.13452"]


def test_every_recorded_response_parses(shared_dir: Path) -> None:
    archive = shared_dir / "data" / "arxiv-corpus" / "raw" / "arxiv-api-atom-responses.tar.xz"
    parsed = 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            handle = tar.extractfile(member)
            assert handle is not None
            recorded = json.loads(handle.read())
            body = recorded["body"].encode("latin-1")
            if recorded["status_code"] == 400:
                with pytest.raises(ArxivApiError):
                    parse_feed(body, status=400)
                continue
            feed = parse_feed(body)
            assert all(p.title is not None and p.primary_category for p in feed.papers)
            parsed += 1
    assert parsed == 19


@pytest.mark.parametrize("body", [b"", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry>",
                                  b"<!DOCTYPE html><html><body>Access Denied</body></html>",
                                  BILLION_LAUGHS, EXTERNAL_ENTITY])
@pytest.mark.timeout(10)
def test_bodies_that_are_not_a_complete_safe_feed_are_malformed(body: bytes) -> None:
    with pytest.raises(MalformedResponse):
        parse_feed(body)


def _paper_from_recording(shared_dir: Path) -> StandinPaper:
    paper = parse_feed(_recorded(shared_dir, "current__id_list-astro-ph_0601001__arxiv.py.atom.xml")).papers[0]
    return StandinPaper(arxiv_id=paper.arxiv_id, title=paper.title,
                        abstract=_raw_summary(shared_dir),
                        authors=[(a.name, a.affiliations) for a in paper.authors],
                        categories=list(paper.categories), version_dates=[paper.published],
                        comment=paper.comment, journal_ref=paper.journal_ref, doi=paper.doi)


def _raw_summary(shared_dir: Path) -> str:
    text = _recorded(shared_dir, "current__id_list-astro-ph_0601001__arxiv.py.atom.xml").decode()
    raw = text.split("<summary>", 1)[1].split("</summary>", 1)[0]
    return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize(
    ("name", "ids", "max_results", "with_entry"),
    [
        ("current__id_list-0000.0000__empty-feed__arxiv.py.atom.xml", ["0000.0000"], 100, False),
        ("current__id_list-astro-ph_0601001__arxiv.py.atom.xml", ["astro-ph/0601001"], 100, True),
    ],
)
def test_the_stand_in_writes_the_current_format_byte_for_byte(
    shared_dir: Path, name: str, ids: list[str], max_results: int, with_entry: bool
) -> None:
    recorded = _recorded(shared_dir, name)
    stamp = recorded.decode().split("<updated>", 1)[1].split("</updated>", 1)[0]
    now = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    entries = [(_paper_from_recording(shared_dir), 1)] if with_entry else []
    written = atom_writer.feed_xml(query="", ids=ids, start=0, max_results=max_results,
                                   total=len(entries), entries=entries, now=now)
    assert written == recorded


def test_the_stand_in_error_feed_matches_the_recording(shared_dir: Path) -> None:
    recorded = _recorded(shared_dir, "current__id_list-abc__error-400__arxiv.py.atom.xml")
    stamp = recorded.decode().split("<updated>", 1)[1].split("</updated>", 1)[0]
    now = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    written = atom_writer.error_feed("incorrect id format for abc", fragment="incorrect_id_format_for_abc", now=now)
    assert written == recorded


def test_the_public_names_are_pinned_and_clients_never_import_app() -> None:
    assert sorted(public) == sorted([
        "ARXIV_DOI_PREFIX", "ARXIV_DOI_REGISTRANT",
        "ArxivApiError", "ArxivClient", "ArxivError", "ArxivId", "Author", "ClientConfig", "ClientHooks",
        "Found", "IdSpan", "IntervalGate", "Lookup", "MalformedIdError", "MalformedResponse", "NotFound",
        "OaiError", "OaiPage", "Paper", "PaperVersion", "PartialLookup", "RequestGate", "SearchPage",
        "SyncArxivClient", "UpstreamUnavailable", "VersionNotFound", "all_of", "any_of", "find_id_spans",
        "parse_id", "phrase",
        # what app/ needs beyond the client itself (the import contract allows app no other names)
        "IdSpanFields", "UNKNOWN_VERSION", "fold", "id_span_fields", "is_withdrawal_comment", "parse_oai_page",
        "split_authors"])
    root = Path(__file__).resolve().parents[3] / "clients"
    for source in root.rglob("*.py"):
        text = source.read_text()
        assert "from app" not in text
        assert "import app" not in text, source
