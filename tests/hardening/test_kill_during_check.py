"""SIGKILL in the middle of a check leaves the database consistent, and a rerun completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import DocumentRow, PaperRow, ReportRow
from tests.arxiv_standin.faults import Fault
from tests.arxiv_standin.server import StandIn

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))


@pytest.mark.shared_corpus
def test_a_check_killed_mid_run_leaves_whole_rows_and_reruns_cleanly(
    db_url: str, engine: Engine, standin: StandIn, standin_papers: list, tmp_path: Path  # type: ignore[type-arg]
) -> None:
    ids = [p.arxiv_id for p in standin_papers[:300]]
    document = tmp_path / "many.md"
    document.write_text("\n".join(f"- https://arxiv.org/abs/{i}" for i in ids) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "ARXIV_API_URL": standin.url, "ARXIV_MIN_INTERVAL": "0",
                "ARXIV_BATCH_SIZE": "50", "ARXIV_TIMEOUT": "10"})
    standin.faults.set_rates([(Fault("slow", delay=0.4), 1.0)])
    process = subprocess.Popen([EXE, "check", str(document), "--format", "json"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(standin.api_requests()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    standin.faults.clear()

    with Session(engine) as session:
        stored = session.execute(select(func.count()).select_from(PaperRow)).scalar_one()
        # Each batch's answers are written in one transaction: whole batches or none.
        assert stored % 50 == 0
        assert session.execute(select(func.count()).select_from(PaperRow).where(PaperRow.title == "")).scalar_one() \
            == 0
        assert session.execute(select(func.count()).select_from(DocumentRow)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(ReportRow)).scalar_one() == 0
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"

    rerun = subprocess.run([EXE, "check", str(document), "--format", "json"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["summary"]["ok"] == len(ids)
