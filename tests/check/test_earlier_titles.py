"""Citations of an earlier version's title: the title check asks arXiv for the earlier versions.

The stand-in's synthetic 1509.99991 was "Sparse Attention by Spectral Sieving" in v1 and v2 and is
"Spectral Sieving: A Theory of Sparse Attention" since v3 (tests/arxiv_standin/corpus/README.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from app.check.findings import title_findings
from app.check.report import ReferenceReport, Report
from app.pipeline import check_text
from app.resolve.model import Resolution, VersionTitle
from app.resolve.versions import add_earlier_titles
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from clients.arxiv import Author, Paper
from tests.arxiv_standin.server import StandIn

V1_TITLE = "Sparse Attention by Spectral Sieving"
LATEST_TITLE = "Spectral Sieving: A Theory of Sparse Attention"
AUTHORS = "Synthetic, Ada and Fixture, Bram and Placeholder, Chen"


def _entry(key: str, title: str, arxiv_id: str, year: int = 2015) -> str:
    return (f"@article{{{key},\n  title = {{{title}}},\n  author = {{{AUTHORS}}},\n"
            f"  journal = {{arXiv preprint arXiv:{arxiv_id}}},\n  year = {{{year}}}\n}}\n")


async def _no_wait(_seconds: float) -> None:
    return None


def _check(runtime: Runtime, text: str) -> Report:
    async def run() -> Report:
        try:
            return await check_text(runtime, text, name="refs.bib", format="bibtex")
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(run())


def _codes(reference: ReferenceReport) -> dict[str, str]:
    return {f.code: f.severity for f in reference.findings}


def _versioned_asks(standin: StandIn) -> list[str]:
    return [i for r in standin.api_requests() for i in r.ids if "v" in i]


# -- the rule, on its own --------------------------------------------------------------------------

def _renamed() -> Paper:
    v1 = datetime(2015, 9, 15, 10, 0, tzinfo=UTC)
    return Paper(arxiv_id="1509.99991", version=3, title=LATEST_TITLE, abstract="",
                 authors=(Author("Ada Synthetic"),), published=v1,
                 updated=datetime(2016, 3, 2, 9, 15, tzinfo=UTC), primary_category="cs.LG",
                 categories=("cs.LG",))


EARLIER = (VersionTitle(1, V1_TITLE, datetime(2015, 9, 15, 10, 0, tzinfo=UTC)),
           VersionTitle(2, V1_TITLE, datetime(2015, 11, 16, 11, 0, tzinfo=UTC)))


def test_an_earlier_versions_title_is_the_papers_title() -> None:
    (finding,) = title_findings(V1_TITLE, _renamed(), earlier=EARLIER)
    assert finding.code == "earlier_title" and finding.severity == "info"
    assert "v2" in finding.message and LATEST_TITLE in finding.message  # the latest version that had it
    (pinned,) = title_findings(V1_TITLE, _renamed(), cited_version=1, earlier=EARLIER)
    assert "cites the title of v1" in pinned.message


def test_a_title_of_no_version_is_still_a_mismatch_and_names_the_pinned_versions_title() -> None:
    (finding,) = title_findings("Dense Retrieval with Learned Hashing", _renamed(), cited_version=1,
                                earlier=EARLIER)
    assert (finding.code, finding.severity) == ("title_mismatch", "broken")
    assert f"v1's \"{V1_TITLE}\"" in finding.message


def test_unreadable_earlier_versions_make_a_mismatch_a_warning_never_broken() -> None:
    (finding,) = title_findings(V1_TITLE, _renamed(), earlier_missing="arXiv could not be reached (HTTP 503)")
    assert (finding.code, finding.severity) == ("title_mismatch", "warning")
    assert "could not be read" in finding.message
    # Without them, the same citation would be broken: the latest title alone is far from it.
    assert title_findings(V1_TITLE, _renamed())[0].severity == "broken"


# -- against the stand-in ----------------------------------------------------------------------------

def test_a_pinned_v1_link_with_v1s_title_is_ok(runtime: Runtime, standin: StandIn) -> None:
    text = (_entry("pinned", V1_TITLE, "1509.99991v1") + _entry("bare", V1_TITLE, "1509.99991")
            + _entry("wrong", "Dense Retrieval with Learned Hashing", "1509.99991"))
    report = _check(runtime, text)
    pinned, bare, wrong = report.references
    assert pinned.status == "ok" and _codes(pinned) == {"earlier_title": "info", "outdated_version": "info"}
    assert "cites the title of v1" in next(f.message for f in pinned.findings if f.code == "earlier_title")
    assert bare.status == "ok" and _codes(bare) == {"earlier_title": "info", "duplicate": "info"}
    assert wrong.status == "broken" and _codes(wrong)["title_mismatch"] == "broken"
    # The main lookup answered v1 (the pinned link); v2 took one more request, for all three.
    assert len(standin.api_requests()) == 2
    assert sorted(_versioned_asks(standin)) == ["1509.99991v1", "1509.99991v2"]
    asked = len(standin.api_requests())
    again = _check(runtime, text)  # cached: arXiv is not asked again
    assert len(standin.api_requests()) == asked
    assert [r.status for r in again.references] == ["ok", "ok", "broken"]


def test_a_document_whose_titles_all_match_asks_for_no_versions(runtime: Runtime, standin: StandIn) -> None:
    text = (_entry("latest", LATEST_TITLE, "1509.99991", 2016)
            + _entry("simclr", "A Simple Framework for Contrastive Learning of Visual Representations",
                     "2002.05709", 2020).replace(AUTHORS, "Chen, Ting and Kornblith, Simon"))
    report = _check(runtime, text)
    assert [r.status for r in report.references] == ["ok", "ok"]
    assert len(standin.api_requests()) == 1
    assert _versioned_asks(standin) == []


def test_when_arxiv_fails_on_the_versions_the_title_is_a_warning_not_broken(
        settings_for: Callable[..., Settings], standin: StandIn) -> None:
    runtime = build_runtime(settings_for(), retry_sleep=_no_wait)
    try:
        _check(runtime, _entry("latest", LATEST_TITLE, "1509.99991", 2016))  # caches the paper
        standin.faults.push(*["http_503"] * 10)
        (reference,) = _check(runtime, _entry("old", V1_TITLE, "1509.99991")).references
    finally:
        runtime.close()
    assert reference.status == "warning"
    (finding,) = reference.findings
    assert (finding.code, finding.severity) == ("title_mismatch", "warning")
    assert "could not be read" in finding.message


def test_earlier_versions_past_the_requests_budget_are_not_asked_and_never_broken(
        runtime: Runtime, standin: StandIn) -> None:
    async def run() -> list[Resolution]:
        try:
            return await add_earlier_titles(["Dense Retrieval with Learned Hashing"],
                                            [Resolution("found", _renamed(), 1.0)], engine=runtime.engine,
                                            fetcher=runtime.upstream.get().fetcher, upstream_limit=1)
        finally:
            await runtime.upstream.aclose()

    (resolution,) = asyncio.run(run())
    assert _versioned_asks(standin) == ["1509.99991v1"]  # v2 was past the budget
    assert resolution.earlier_titles_missing is not None and "MAX_UPSTREAM_IDS" in resolution.earlier_titles_missing
    (finding,) = title_findings("Dense Retrieval with Learned Hashing", _renamed(),
                                earlier=resolution.earlier_titles,
                                earlier_missing=resolution.earlier_titles_missing)
    assert finding.severity == "warning"
