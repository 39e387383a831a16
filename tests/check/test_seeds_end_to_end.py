"""The three seed posts, checked end to end against the stand-in: what users come for."""

from __future__ import annotations

from pathlib import Path

from app.check.report import ReferenceReport, Report
from app.pipeline import check_text
from app.runtime import Runtime
from tests.arxiv_standin.server import StandIn


def _check(runtime: Runtime, path: Path) -> Report:
    import asyncio

    async def run() -> Report:
        try:
            return await check_text(runtime, path.read_bytes(), name=path.name)
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(run())


def _at(report: Report, line: int) -> list[ReferenceReport]:
    return [r for r in report.references if r.line == line]


def _codes(ref: ReferenceReport) -> set[str]:
    return {f.code for f in ref.findings}


def test_seed_000_flags_the_simclr_citation_with_the_wrong_authors(
    runtime: Runtime, shared_dir: Path
) -> None:
    report = _check(runtime, shared_dir / "seeds" / "000_8d43cf46a157c8d8.txt")
    (simclr,) = _at(report, 115)
    assert simclr.arxiv_id == "2002.05709"
    assert simclr.status == "broken"
    assert _codes(simclr) == {"author_mismatch"}
    assert report.summary.broken == 1
    others = [r for r in report.references if r.line != 115]
    assert others and all(r.status == "ok" for r in others)
    assert "duplicate" in _codes(_at(report, 43)[0])


def test_seed_002_flags_the_link_cited_under_another_title(runtime: Runtime, shared_dir: Path) -> None:
    report = _check(runtime, shared_dir / "seeds" / "002_af388bb998aa40c7.txt")
    (link,) = _at(report, 71)
    assert link.arxiv_id == "2102.06810"
    assert "title_mismatch" in _codes(link)
    assert link.status != "ok"
    assert all(r.status == "ok" for r in report.references if r.line != 71)


def test_seed_004_classics_are_unresolved_never_broken(runtime: Runtime, shared_dir: Path) -> None:
    report = _check(runtime, shared_dir / "seeds" / "004_982281470ab976d1.txt")
    by_title = {r.cited.title: r for r in report.references}
    assert report.summary.broken == 0
    for classic in ("Language Models are Unsupervised Multitask Learners",
                    "Gradient-Based Learning Applied to Document Recognition",
                    "ImageNet Classification with Deep Convolutional Neural Networks"):
        assert by_title[classic].status == "unresolved"
        assert _codes(by_title[classic]) == {"not_on_arxiv"}
    assert by_title["Generative Adversarial Networks"].arxiv_id == "1406.2661"
    assert by_title["Instance Normalization"].arxiv_id == "1607.08022"
    assert by_title["Attention Is All You Need"].arxiv_id == "1706.03762"


def test_a_warm_rerun_asks_arxiv_nothing(runtime: Runtime, shared_dir: Path, standin: StandIn) -> None:
    seed = shared_dir / "seeds" / "000_8d43cf46a157c8d8.txt"
    first = _check(runtime, seed)
    cold = len(standin.api_requests())
    second = _check(runtime, seed)
    assert cold == 1  # 11 unique ids, one batch
    assert len(standin.api_requests()) == cold
    assert second.model_dump(exclude={"references": {"__all__": {"confidence"}}}) == \
        first.model_dump(exclude={"references": {"__all__": {"confidence"}}})


def test_faults_make_references_unverified_never_broken(runtime: Runtime, shared_dir: Path,
                                                          standin: StandIn) -> None:
    standin.faults.push(*["http_503"] * 20)
    report = _check(runtime, shared_dir / "seeds" / "000_8d43cf46a157c8d8.txt")
    assert report.summary.broken == 0
    assert report.summary.unverified == report.summary.references
    assert all(_codes(r) == {"upstream_unavailable"} for r in report.references)
