"""`arxiv-enrich check` and `resolve` as a CI job runs them: real processes, the stand-in, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.arxiv_standin.server import StandIn

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))
WRONG = "- [A Simple Framework for Contrastive Learning of Visual Representations](https://arxiv.org/abs/2002.05709)" \
        " by Jonathan Frankle, Michael Carbin\n- Fine: https://arxiv.org/abs/1706.03762\n"


@pytest.fixture
def run(db_url: str, standin: StandIn, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "ARXIV_API_URL": standin.url, "ARXIV_OAI_URL": standin.oai_url,
                "ARXIV_MIN_INTERVAL": "0", "ARXIV_MAX_RETRIES": "1", "ARXIV_TIMEOUT": "5"})

    def go(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([EXE, *args], env=env, cwd=tmp_path, input=stdin, capture_output=True,
                              text=True, timeout=120)

    return go


@pytest.fixture
def wrong_doc(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(WRONG)
    return path


def test_a_broken_reference_fails_the_check(run, wrong_doc: Path) -> None:  # type: ignore[no-untyped-def]
    done = run("check", str(wrong_doc))
    assert done.returncode == 1, done.stderr
    assert "author_mismatch" in done.stdout
    assert "Broken (1)" in done.stdout
    assert run("check", str(wrong_doc), "--fail-on", "never").returncode == 0


def test_json_and_sarif_reports(run, wrong_doc: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = json.loads(run("check", str(wrong_doc), "--format", "json").stdout)
    assert report["summary"]["broken"] == 1
    both = json.loads(run("check", str(wrong_doc), str(wrong_doc), "--format", "json").stdout)
    assert isinstance(both, list)
    assert len(both) == 2
    out = tmp_path / "out.sarif"
    done = run("check", str(wrong_doc), "--format", "sarif", "--output", str(out))
    assert done.returncode == 1
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "author_mismatch"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == str(wrong_doc)
    assert location["region"]["startLine"] == 1


def test_html_and_markdown_reports(run, wrong_doc: Path) -> None:  # type: ignore[no-untyped-def]
    html = run("check", str(wrong_doc), "--format", "html").stdout
    markdown = run("check", str(wrong_doc), "--format", "markdown").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "author_mismatch" in html
    assert "<script" not in html
    assert "| Line | Reference |" in markdown


def test_standard_input_is_a_document(run) -> None:  # type: ignore[no-untyped-def]
    done = run("check", "-", "--format", "json", stdin="See arXiv:2002.99999.\n")
    assert done.returncode == 1
    assert json.loads(done.stdout)["references"][0]["findings"][0]["code"] == "id_not_found"


def test_unreadable_input_exits_2_with_one_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = run("check", str(tmp_path / "nope.md"))
    binary = tmp_path / "blob.md"
    binary.write_bytes(bytes(range(256)) * 50)
    garbage = run("check", str(binary))
    for done in (missing, garbage):
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr


def test_offline_never_calls_arxiv_and_reports_unverified(run, wrong_doc: Path,  # type: ignore[no-untyped-def]
                                                           standin: StandIn) -> None:
    done = run("check", str(wrong_doc), "--offline", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["summary"]["unverified"] == 2
    assert standin.api_requests() == []


def test_resolve_prints_ids_and_titles_and_refuses_malformed(run) -> None:  # type: ignore[no-untyped-def]
    found = run("resolve", "arXiv:2002.05709", "Attention Is All You Need", "--format", "json")
    assert found.returncode == 0, found.stderr
    answers = json.loads(found.stdout)
    assert [a["candidates"][0]["arxiv_id"] for a in answers] == ["2002.05709", "1706.03762"]
    text = run("resolve", "https://arxiv.org/abs/hep-th/9901001v2")
    assert "hep-th/9901001" in text.stdout
    bad = run("resolve", "arXiv:1713.00001")
    assert bad.returncode == 2
    assert "malformed" in bad.stderr
    assert "month 13" in bad.stderr


@pytest.mark.shared_corpus  # hep-th/9901001 is a shared record
def test_resolve_asks_arxiv_once_for_many_ids_and_prints_the_valid_ones_beside_a_malformed_one(
        run, standin: StandIn) -> None:  # type: ignore[no-untyped-def]
    ids = ["2002.05709", "1706.03762", "hep-th/9901001"]
    found = run("resolve", *ids, "--format", "json")
    assert found.returncode == 0, found.stderr
    assert [a["candidates"][0]["arxiv_id"] for a in json.loads(found.stdout)] == ids
    # One batch for the three, not a request each.
    assert len(standin.api_requests()) == 1
    mixed = run("resolve", "2002.05709", "arXiv:1713.00001", "1706.03762")
    assert mixed.returncode == 2
    assert "month 13" in mixed.stderr
    assert "A Simple Framework for Contrastive Learning" in mixed.stdout
    assert "Attention Is All You Need" in mixed.stdout
    assert "arXiv:1713.00001\n  malformed" in mixed.stdout
