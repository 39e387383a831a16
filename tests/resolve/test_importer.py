"""`arxiv-enrich import`: the Kaggle snapshot and OAI-PMH pages, streamed, idempotent, on both databases."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import PaperRow
from app.resolve.importer import import_file
from app.resolve.store import get_papers
from app.resolve.title_index import title_candidates

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(PaperRow)).scalar_one())


def _sample(shared_dir: Path, tmp_path: Path, n: int = 3000) -> Path:
    """The first records of the merged corpus plus one of each other layout, gzipped."""
    source = shared_dir / "data" / "arxiv-corpus" / "arxiv-metadata.jsonl.gz"
    lines: list[str] = []
    layouts: set[str] = set()
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            layout = json.loads(line)["_source"]
            if len(lines) < n or layout not in layouts:
                lines.append(line)
                layouts.add(layout)
            if len(lines) >= n and len(layouts) == 5:
                break
    path = tmp_path / "sample.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(lines)
    return path


def test_kaggle_import_is_idempotent_and_indexed(engine: Engine, shared_dir: Path, tmp_path: Path) -> None:
    sample = _sample(shared_dir, tmp_path)
    first = import_file(engine, sample)
    again = import_file(engine, sample)
    assert first.imported == again.imported == _count(engine)
    assert first.imported > 3000
    with Session(engine) as session:
        papers = get_papers(session, ["hep-th/9108002"])
        paper, _ = papers["hep-th/9108002"]
        assert paper.title == "Hamiltonian construction of W-gravity actions"
        assert paper.authors[0].name == "A. Mikovic"
        found = title_candidates(session, "Hamiltonian construction of W-gravity actions")
        assert found[0].arxiv_id == "hep-th/9108002"


def test_each_layout_gives_what_it_has(engine: Engine, tmp_path: Path) -> None:
    records = [
        {"id": "0704.0001", "authors": "C. Bal\\'azs, E. L. Berger", "title": "Diphoton  production",
         "categories": "hep-ph", "abstract": "  x ", "versions": [
             {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
             {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}],
         "authors_parsed": [["Balázs", "C.", ""], ["Berger", "E. L.", ""]]},
        {"id": "0704.0201", "title": "Hecke", "categories": "math.RT math.QA", "abstract": "a",
         "created": "2007-04-02", "updated": "2007-10-16", "authors_parsed": [["Khongsap", "Ta", ""]]},
        {"id": "hep-th/9109033", "title": "SU(3)", "abstract": "b", "comments": "9pp",
         "oai_dc": {"date": ["1991-09-19"], "creator": ["Wheeler, James T."]}},
        {"id": "not-an-id"},
        "garbage",
    ]
    path = tmp_path / "layouts.jsonl"
    path.write_text("\n".join(json.dumps(r) if isinstance(r, dict) else r for r in records) + "\n")
    stats = import_file(engine, path)
    assert stats.imported == 3
    assert sum(stats.skipped.values()) == 2
    with Session(engine) as session:
        papers = {k: v[0] for k, v in get_papers(session, ["0704.0001", "0704.0201", "hep-th/9109033"]).items()}
    assert papers["0704.0001"].version == 2
    assert papers["0704.0001"].authors[0].name == "C. Balázs"
    assert papers["0704.0001"].title == "Diphoton production"
    assert papers["0704.0201"].version == 0  # updated, but how many versions the format does not say
    assert papers["0704.0201"].categories == ("math.RT", "math.QA")
    assert papers["hep-th/9109033"].authors[0].name == "James T. Wheeler"
    assert papers["hep-th/9109033"].categories == ()  # oai_dc has subject names, not codes: none invented


def test_oai_pages_import_with_version_history(engine: Engine, shared_dir: Path) -> None:
    raw = shared_dir / "data" / "arxiv-responses"
    page = raw / "oai-legacy__ListRecords-arXivRaw-from-2014-10-01__6-records-resumptionToken__arXivOAIHarvester.xml"
    stats = import_file(engine, page)
    assert stats.imported == 6
    with Session(engine) as session:
        paper, _ = get_papers(session, ["0704.0471"])["0704.0471"]
    assert paper.versions[0].submitted.year == 2007
    assert paper.doi == "10.1103/PhysRevC.76.024606"
    tarball = shared_dir / "data" / "arxiv-corpus" / "raw" / "oai-pmh-arXiv-ListRecords-2018-06-17.tar.xz"
    assert import_file(engine, tarball).imported == 15000


def test_cli_import_summarises_and_refuses_what_it_cannot_read(db_url: str, tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}, "DATABASE_URL": db_url}
    good = tmp_path / "one.jsonl"
    good.write_text(json.dumps({"id": "0704.0002", "title": "T", "abstract": "A", "categories": "math.CO",
                                "versions": [{"version": "v1", "created": "Sat, 31 Mar 2007 02:26:18 GMT"}]})
                    + "\n")
    done = subprocess.run([EXE, "import", str(good)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "imported 1 records" in done.stdout + done.stderr
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)))
    for path in (tmp_path / "missing.jsonl", binary):
        bad = subprocess.run([EXE, "import", str(path)], env=env, capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2
        assert bad.stderr.count("\n") == 1


def test_a_killed_import_leaves_whole_batches_and_a_rerun_completes(
    db_url: str, engine: Engine, shared_dir: Path, tmp_path: Path
) -> None:
    import signal
    import time

    sample = _sample(shared_dir, tmp_path, n=30000)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}, "DATABASE_URL": db_url}
    process = subprocess.Popen([EXE, "import", str(sample)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(engine) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    partial = _count(engine)
    assert partial % 2000 == 0 or partial == 30000 + 4  # whole batches only
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    rerun = import_file(engine, sample)
    assert _count(engine) == rerun.imported


def _kaggle_file(path: Path, titles: dict[str, str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for arxiv_id, title in titles.items():
            out.write(json.dumps({"id": arxiv_id, "title": title, "authors": "A. Author", "abstract": "x",
                                  "categories": "cs.LG", "versions": [{"version": "v1",
                                  "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]}) + "\n")
    return path


def test_an_import_leaves_postgresql_title_searches_nothing_unsorted_to_read(engine: Engine,
                                                                          tmp_path: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("GIN's pending list and ANALYZE's statistics are PostgreSQL's")
    titles = {f"0704.{n:04d}": f"Study number {n} of lattice gauge fields" for n in range(1, 3001)}
    import_file(engine, _kaggle_file(tmp_path / "a.jsonl.gz", titles))
    with engine.begin() as connection:
        # The number of pending pages it merged: none left by the import.
        assert connection.exec_driver_sql(
            "SELECT gin_clean_pending_list('ix_papers_title_fts'::regclass)").scalar_one() == 0
        common = connection.exec_driver_sql(
            "SELECT most_common_elems::text::text[] FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'ix_papers_title_fts'").scalar_one()
        assert "lattice" in common  # the statistics title lookups order their words by


def test_a_reimport_keeps_the_title_index_in_step_with_the_titles(engine: Engine, tmp_path: Path) -> None:
    # The SQLite importer keeps the full-text index itself, batch by batch, instead of by triggers.
    first = {f"0704.{n:04d}": f"Original study number {n} of lattice gauge fields" for n in range(1, 2501)}
    import_file(engine, _kaggle_file(tmp_path / "a.jsonl.gz", first))
    second = dict(first, **{"0704.0007": "Completely renamed quantum chromodynamics survey",
                            "0704.2600": "A newcomer on sparse transformers"})
    import_file(engine, _kaggle_file(tmp_path / "b.jsonl.gz", second))
    with Session(engine) as session:
        assert title_candidates(session, "Completely renamed quantum chromodynamics survey")[0].arxiv_id == "0704.0007"
        assert title_candidates(session, "A newcomer on sparse transformers")[0].arxiv_id == "0704.2600"
        if engine.dialect.name == "sqlite":
            # Raises when the index holds a title the papers table does not, or lacks one it does.
            session.execute(text("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)"))
            triggers = session.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'papers_fts_%'")).scalars()
            assert sorted(triggers) == ["papers_fts_ad", "papers_fts_ai", "papers_fts_au"]
    assert _count(engine) == 2501


def test_the_sqlite_fast_path_gives_the_rows_of_the_plain_path_on_the_whole_corpus(shared_dir: Path) -> None:
    # SQLite rows are built straight from each record (kaggle_sqlite_row); PostgreSQL's, and this
    # reference, go through Paper and paper_values. Every record of every layout must agree.
    from datetime import UTC, datetime

    from app.resolve.importer import _JSON_COLUMNS, parse_kaggle_lines, sqlite_rows

    moment = datetime(2026, 12, 1, 12, 30, 15, 123456, tzinfo=UTC)
    source = shared_dir / "data" / "arxiv-corpus" / "arxiv-metadata.jsonl.gz"
    layouts: set[str] = set()
    compared = 0

    def decoded(names: list[str], row: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(json.loads(str(v)) if n in _JSON_COLUMNS else v for n, v in zip(names, row, strict=True))

    def compare(lines: list[bytes]) -> None:
        nonlocal compared
        fast, fast_skipped = parse_kaggle_lines(lines, moment, form="sqlite")
        plain, plain_skipped = parse_kaggle_lines(lines, moment, form="dicts")
        reference = sqlite_rows(plain)  # type: ignore[arg-type]
        assert fast_skipped == plain_skipped
        assert fast.names == reference.names  # type: ignore[union-attr]
        for got, want in zip(fast, reference, strict=True):
            assert decoded(reference.names, got) == decoded(reference.names, want)  # type: ignore[arg-type]
            assert [type(v) for v in got] == [type(v) for v in want]
        compared += len(fast)

    chunk: list[bytes] = []
    with gzip.open(source, "rb") as handle:
        for line in handle:
            layouts.add(json.loads(line)["_source"])
            chunk.append(line)
            if len(chunk) == 5000:
                compare(chunk)
                chunk = []
    compare([*chunk, b"garbage\n", json.dumps({"id": "not-an-id"}).encode(), json.dumps({"id": "0704.0001"}).encode()])
    assert compared == 89268
    assert layouts == {"kaggle_head", "oai_arXiv", "arxiv_browse_abs", "arxiv_api_atom", "oai_dc"}


def test_an_unreadable_tail_stops_the_import_after_whole_batches(engine: Engine, shared_dir: Path,
                                                                 tmp_path: Path) -> None:
    # The batches handed to the writer thread before the damage are written, whole; then the damage
    # is reported as the file's. (Batches still with the parsers, up to four, are not.)
    from app.resolve.importer import SnapshotError

    sample = _sample(shared_dir, tmp_path, n=20000)
    data = sample.read_bytes()
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(SnapshotError, match="cannot read"):
        import_file(engine, broken)
    assert _count(engine) % 2000 == 0
    assert _count(engine) >= 2000


# The parsers' pool is shut down on this thread when the import stops early: finalising the
# abandoned generator on the pool's own thread raised "cannot join current thread" (unraisable).
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_failed_write_stops_the_import_and_is_raised(engine: Engine, shared_dir: Path, tmp_path: Path,
                                                       monkeypatch: object) -> None:
    import app.resolve.importer as importer

    calls = {"n": 0}
    real_write = importer._write

    def failing_write(engine: Engine, rows: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        real_write(engine, rows)  # type: ignore[arg-type]

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(importer, "_write", failing_write)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_file(engine, _sample(shared_dir, tmp_path, n=9000))
    assert _count(engine) == 2000
    assert calls["n"] == 2  # nothing written after the failure


def test_a_batch_of_new_papers_that_ends_on_a_held_one_updates_it(engine: Engine, tmp_path: Path) -> None:
    # PostgreSQL copies a batch straight into papers and, at the first id already held, rolls the
    # batch back and upserts it: the new rows written before that id must be neither lost nor doubled.
    import_file(engine, _kaggle_file(tmp_path / "a.jsonl.gz", {"0704.0001": "A study of lattice gauge fields"}))
    second = {f"0705.{n:04d}": f"Fresh paper number {n} on sparse transformers" for n in range(1, 1500)}
    second["0704.0001"] = "A renamed study of lattice gauge fields"
    assert import_file(engine, _kaggle_file(tmp_path / "b.jsonl.gz", second)).imported == 1500
    with Session(engine) as session:
        assert title_candidates(session, "A renamed study of lattice gauge fields")[0].arxiv_id == "0704.0001"
        assert title_candidates(session, "Fresh paper number 1234 on sparse transformers")[0].arxiv_id == "0705.1234"
    assert _count(engine) == 1500


def test_the_title_index_is_exact_when_a_batch_names_an_id_twice(engine: Engine, tmp_path: Path) -> None:
    # New rows are indexed by rowid range after the batch's upsert: a record repeated in the same
    # batch (the second one updates the row the first one inserted) must leave one entry, the last title.
    path = tmp_path / "twice.jsonl"
    lines = []
    for arxiv_id, title in [("0704.0001", "First wording of a repeated record"), ("0704.0002", "An unrelated paper"),
                            ("0704.0001", "Second wording of a repeated record")]:
        lines.append(json.dumps({"id": arxiv_id, "title": title, "abstract": "x", "categories": "cs.LG",
                                 "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]}))
    path.write_text("\n".join(lines) + "\n")
    import_file(engine, path)
    import_file(engine, path)
    with Session(engine) as session:
        assert title_candidates(session, "Second wording of a repeated record")[0].arxiv_id == "0704.0001"
        if engine.dialect.name == "sqlite":
            session.execute(text("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)"))
            stale = text("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'first'")
            assert session.execute(stale).scalar_one() == 0
    assert _count(engine) == 2


def test_an_import_leaves_every_pooled_sqlite_connection_synchronous_normal(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "sqlite":
        return
    import_file(engine, _kaggle_file(tmp_path / "a.jsonl.gz", {"0704.0001": "A study of lattice gauge fields"}))
    # The pool hands back the connection the import used: it must be durable again (1 = NORMAL).
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
