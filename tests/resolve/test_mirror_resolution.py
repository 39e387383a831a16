"""Mirror-aware resolution: with a complete, current mirror a check asks arXiv nothing for what the
mirror covers and reports exactly what it reports without one (docs/MIRROR-RESOLUTION.md).

The mirror is the stand-in's records harvested over OAI-PMH (arXivRaw) with a finished full window
recorded (tests/mirror.py). Requests are counted from the stand-in's log.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from app.api import create_app
from app.check.report import Report
from app.db import session_scope
from app.models import LookupCacheRow, MirrorStateRow, PaperRow
from app.pipeline import check_text
from app.resolve.mirror import Mirror
from app.resolve.mirror_coverage import MirrorCoverage
from app.resolve.store import utcnow
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from clients.arxiv import parse_id
from tests.arxiv_standin.corpus import StandinPaper, fixture_papers, shared_papers
from tests.arxiv_standin.server import StandIn
from tests.mirror import make_mirror

pytestmark = pytest.mark.shared_corpus
EXE = str(Path(sys.executable).with_name("arxiv-enrich"))

# Held ids (one pinned to a version it has), absent ids that cannot be newer than any mirror (a
# new-style id of January 2015, an old-style one), a held title, a title on no arXiv paper.
DOCUMENT = """\
@article{attention, title={Attention Is All You Need}, author={Vaswani, Ashish and Shazeer, Noam},
  year={2017}, eprint={1706.03762}, archivePrefix={arXiv}}
@article{simclr, title={A Simple Framework for Contrastive Learning of Visual Representations},
  author={Chen, Ting and Kornblith, Simon}, year={2020}, eprint={2002.05709v1}, archivePrefix={arXiv}}
@misc{invented, title={Sparse Lattice Priors for Quantum Gerbil Herding}, author={Doe, Jane}, year={2015},
  eprint={1501.99999}, archivePrefix={arXiv}}
@misc{oldstyle, title={Dualities of Imaginary Branes}, author={Roe, Richard}, year={1999},
  eprint={hep-th/9901999}, archivePrefix={arXiv}}
@inproceedings{gan, title={Generative Adversarial Networks}, author={Goodfellow, Ian and Bengio, Yoshua},
  year={2014}}
@book{absent, title={A Field Guide to Hyperbolic Hay and Its Gerbils}, author={Doe, Jane}, year={2016}}
"""


def _check(runtime: Runtime, text: str, name: str = "refs.bib") -> Report:
    async def run() -> Report:
        try:
            return await check_text(runtime, text, name=name)
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(run())


def _verdicts(report: Report) -> list[dict[str, Any]]:
    """The report's references as a user reads them (the confidence of a title match aside)."""
    return [r.model_dump(exclude={"confidence"}) for r in report.references]


def _forget_everything(runtime: Runtime) -> None:
    """Back to an empty database: no mirror, no papers, no cached answers."""
    with session_scope(runtime.engine) as session:
        session.execute(delete(MirrorStateRow))
        session.execute(delete(LookupCacheRow))
        session.execute(delete(PaperRow))


@pytest.fixture(scope="module")
def standin_papers() -> list[StandinPaper]:
    """The records the seeds and the document cite (the shared corpus's and ours), not the usual
    3,000 more: every test harvests the whole stand-in, and the papers nobody cites only slow it."""
    return shared_papers(0) + fixture_papers()


@pytest.fixture
def mirrored(runtime: Runtime, standin: StandIn) -> Callable[..., None]:
    """Make the stand-in's records a mirror of the given age, then forget the harvest's requests."""

    def make(age: timedelta = timedelta(0)) -> None:
        standin.state.oai_page_size = 1000
        make_mirror(runtime.engine, standin.oai_url, age=age)
        standin.log.clear()

    return make


def test_a_check_from_a_current_mirror_asks_arxiv_nothing_and_reports_the_same(
        runtime: Runtime, standin: StandIn, mirrored: Callable[..., None]) -> None:
    mirrored()
    from_mirror = _check(runtime, DOCUMENT)
    assert standin.api_requests() == []
    by_key = {r.cited.arxiv_id or r.cited.title: r for r in from_mirror.references}
    assert by_key["1706.03762"].status == "ok"
    assert by_key["1501.99999"].status == "broken"
    assert {f.code for f in by_key["hep-th/9901999"].findings} == {"id_not_found"}
    assert by_key["Generative Adversarial Networks"].arxiv_id == "1406.2661"
    assert by_key["A Field Guide to Hyperbolic Hay and Its Gerbils"].status == "unresolved"

    _forget_everything(runtime)
    from_arxiv = _check(runtime, DOCUMENT)
    asked = standin.api_requests()
    assert any("1501.99999" in r.ids for r in asked)
    assert any("search_query" in r.params for r in asked)
    assert _verdicts(from_mirror) == _verdicts(from_arxiv)


@pytest.mark.parametrize("seed", ["000_8d43cf46a157c8d8.txt", "002_af388bb998aa40c7.txt",
                                  "004_982281470ab976d1.txt"])
def test_the_seeds_from_a_current_mirror_ask_arxiv_nothing_and_report_the_same(
        runtime: Runtime, standin: StandIn, mirrored: Callable[..., None], shared_dir: Path, seed: str) -> None:
    text = (shared_dir / "seeds" / seed).read_text()
    mirrored()
    from_mirror = _check(runtime, text, seed)
    # Only a title that is not its paper's latest asks for the earlier versions' titles (arXivRaw
    # holds the latest title alone): seed 002's line 71 cites another paper's title.
    asked = {i.split("v")[0] for r in standin.api_requests() for i in r.ids}
    mismatched = {r.arxiv_id for r in from_mirror.references
                  if {f.code for f in r.findings} & {"title_mismatch", "earlier_title"}}
    assert asked == ({"2102.06810"} if seed.startswith("002") else set())
    assert asked <= mismatched
    _forget_everything(runtime)
    from_arxiv = _check(runtime, text, seed)
    assert _verdicts(from_mirror) == _verdicts(from_arxiv)


def test_an_id_of_the_month_the_mirror_reaches_still_goes_upstream(
        runtime: Runtime, standin: StandIn, mirrored: Callable[..., None]) -> None:
    mirrored()
    with session_scope(runtime.engine) as session:
        through = session.get(MirrorStateRow, "arxiv").complete_through  # type: ignore[union-attr]
    recent = f"{through.year % 100:02d}{through.month:02d}.00001"
    report = _check(runtime, f"New: https://arxiv.org/abs/{recent}\nOld: https://arxiv.org/abs/1501.99999\n",
                    "new.md")
    # arXiv is asked about the recent id alone (and again, to confirm an absence); the old absent
    # id is proven absent by the mirror.
    assert {i for r in standin.api_requests() for i in r.ids} == {recent}
    assert [r.status for r in report.references] == ["broken", "broken"]


def test_a_version_past_the_held_latest_still_goes_upstream(
        runtime: Runtime, standin: StandIn, mirrored: Callable[..., None]) -> None:
    mirrored()
    report = _check(runtime, "Pinned: https://arxiv.org/abs/1706.03762v99\n", "pinned.md")
    # The version, and the paper's latest with it (the client's way of telling the two apart).
    assert {i for r in standin.api_requests() for i in r.ids} == {"1706.03762v99", "1706.03762"}
    assert {f.code for f in report.references[0].findings} == {"version_not_found"}


def test_a_stale_mirror_is_not_trusted(runtime: Runtime, standin: StandIn, mirrored: Callable[..., None]) -> None:
    mirrored(age=timedelta(hours=runtime.settings.mirror_max_age_hours + 1))
    # Held papers are as fresh as any cached answer (just harvested); what the mirror alone could
    # answer goes to arXiv, as without a mirror.
    with session_scope(runtime.engine) as session:
        session.execute(update(PaperRow).values(fetched_at=utcnow() - timedelta(days=30)))
    _check(runtime, DOCUMENT)
    asked = standin.api_requests()
    ids = {i for r in asked for i in r.ids}
    assert {"1706.03762", "2002.05709v1", "1501.99999", "hep-th/9901999"} <= ids
    assert any("search_query" in r.params for r in asked)


def test_post_check_from_a_current_mirror_asks_arxiv_nothing(
        settings_for: Callable[..., Settings], standin: StandIn, runtime: Runtime,
        mirrored: Callable[..., None]) -> None:
    mirrored()
    with TestClient(create_app(lambda: build_runtime(settings_for()))) as client:
        response = client.post("/v1/check", json={"text": DOCUMENT, "format": "bibtex", "name": "refs.bib"})
        lookup = client.get("/v1/papers", params={"ids": "1706.03762,1501.99999,hep-th/9901999"})
    assert response.status_code == 200
    assert standin.api_requests() == []
    assert response.json()["summary"]["broken"] == 2
    assert [p["status"] for p in lookup.json()["papers"]] == ["found", "not_found", "not_found"]


def test_cli_check_from_a_current_mirror_asks_arxiv_nothing(
        db_url: str, standin: StandIn, mirrored: Callable[..., None], tmp_path: Path) -> None:
    mirrored()
    path = tmp_path / "refs.bib"
    path.write_text(DOCUMENT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL", "MIRROR_"))}
    env.update({"DATABASE_URL": db_url, "ARXIV_API_URL": standin.url, "ARXIV_OAI_URL": standin.oai_url,
                "ARXIV_MIN_INTERVAL": "0", "ARXIV_MAX_RETRIES": "1", "ARXIV_TIMEOUT": "5"})
    done = subprocess.run([EXE, "check", str(path), "--format", "json"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the two absent ids are broken
    assert standin.api_requests() == []
    assert json.loads(done.stdout)["summary"]["broken"] == 2


def test_offline_a_current_mirror_answers_what_it_covers(
        runtime: Runtime, standin: StandIn, mirrored: Callable[..., None]) -> None:
    mirrored()
    with session_scope(runtime.engine) as session:
        through = session.get(MirrorStateRow, "arxiv").complete_through  # type: ignore[union-attr]
    recent = f"{through.year % 100:02d}{through.month:02d}.00001"

    async def run() -> Report:
        return await check_text(runtime, DOCUMENT + f"@misc{{recent, eprint={{{recent}}}, archivePrefix={{arXiv}}}}\n",
                                name="refs.bib", offline=True)

    report = asyncio.run(run())
    by_key = {r.cited.arxiv_id or r.cited.title: r.status for r in report.references}
    assert by_key == {"1706.03762": "ok", "2002.05709": "ok", "1501.99999": "broken", "hep-th/9901999": "broken",
                      "Generative Adversarial Networks": "ok",
                      "A Field Guide to Hyperbolic Hay and Its Gerbils": "unresolved", recent: "unverified"}
    assert standin.log == []


@pytest.mark.parametrize(("arxiv_id", "through", "absent"), [
    ("hep-th/9901999", "2007-04-01", True),
    ("2410.12345", "2024-11-08T00:00:00+00:00", True),    # October ended 7 days before
    ("2410.12345", "2024-11-07T23:59:00+00:00", False),   # may be announced in November still
    ("2411.00001", "2024-11-30T00:00:00+00:00", False),   # the covered month
    ("2412.00001", "2024-11-30T00:00:00+00:00", False),   # after it
    ("2312.00001", "2024-01-08T00:00:00+00:00", True),    # across a year
])
def test_an_absent_id_is_proven_absent_only_when_it_cannot_be_newer_than_the_mirror(
        arxiv_id: str, through: str, absent: bool) -> None:
    moment = datetime.fromisoformat(through)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    mirror = Mirror(MirrorCoverage(moment, moment, 0))
    assert mirror.proves_absent(parse_id(arxiv_id)) is absent


def test_a_title_cited_after_the_mirrors_year_may_be_newer() -> None:
    moment = datetime(2024, 11, 30, tzinfo=UTC)
    mirror = Mirror(MirrorCoverage(moment, moment, 0))
    assert mirror.decides_title(None)
    assert mirror.decides_title(2024)
    assert not mirror.decides_title(2025)
