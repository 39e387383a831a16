"""arXiv misbehaving as it really does: the seeds' reports stay the same, or say unverified; never broken."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from app.check.report import Report
from app.pipeline import check_text
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests.arxiv_standin.server import StandIn

SEEDS = ("000_8d43cf46a157c8d8.txt", "002_af388bb998aa40c7.txt", "004_982281470ab976d1.txt")


async def _no_wait(_seconds: float) -> None:
    return None


def _check_all(runtime: Runtime, shared_dir: Path) -> list[Report]:
    async def run() -> list[Report]:
        try:
            return [await check_text(runtime, (shared_dir / "seeds" / name).read_bytes(), name=name)
                    for name in SEEDS]
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(run())


def test_seeds_under_faults_match_the_clean_reports_or_say_unverified(
    settings_for: Callable[..., Settings], standin: StandIn, shared_dir: Path, tmp_path: Path
) -> None:
    clean_runtime = build_runtime(settings_for())
    clean = _check_all(clean_runtime, shared_dir)
    clean_runtime.close()

    standin.faults.set_rates({"http_503": 0.20, "http_429": 0.10, "transient_empty": 0.10,
                              "truncated": 0.05}, seed=7)
    faulty_settings = settings_for(database_url=f"sqlite:///{tmp_path / 'faulty.db'}", arxiv_max_retries=10)
    faulty_runtime = build_runtime(faulty_settings, retry_sleep=_no_wait)
    faulty = _check_all(faulty_runtime, shared_dir)
    faulty_runtime.close()

    assert sum(r.fault is not None for r in standin.log) > 5  # the faults really happened
    for before, after in zip(clean, faulty, strict=True):
        assert len(before.references) == len(after.references)
        for a, b in zip(before.references, after.references, strict=True):
            assert b.status in (a.status, "unverified"), (a.text, a.status, b.status, b.findings)
            assert "id_not_found" not in {f.code for f in b.findings} or a.status == "broken"
    assert sum(r.summary.unverified for r in faulty) < sum(r.summary.references for r in faulty) / 2
