"""A label (a name the document calls a paper by) is never checked as a title: at most info."""

from __future__ import annotations

from datetime import UTC, datetime

from app.check.findings import label_findings, paper_findings
from app.extract import Cited, CitedReference
from app.resolve.model import Resolution
from clients.arxiv import Author, Paper

PPO = Paper(
    arxiv_id="1707.06347", version=2, title="Proximal Policy Optimization Algorithms", abstract="",
    authors=(Author("John Schulman"), Author("Filip Wolski")), published=datetime(2017, 7, 20, tzinfo=UTC),
    updated=datetime(2017, 8, 28, tzinfo=UTC), primary_category="cs.LG", categories=("cs.LG",),
)
EQUILIBRATED = Paper(
    arxiv_id="1502.04390", version=2,
    title="Equilibrated adaptive learning rates for non-convex optimization", abstract="",
    authors=(Author("Yann N. Dauphin"),), published=datetime(2015, 2, 15, tzinfo=UTC),
    updated=datetime(2015, 8, 29, tzinfo=UTC), primary_category="cs.LG", categories=("cs.LG",),
)


def _findings(cited: Cited, paper: Paper) -> list[tuple[str, str]]:
    reference = CitedReference("arxiv_url", f"https://arxiv.org/abs/{paper.arxiv_id}", 1, 1, cited)
    return [(f.code, f.severity) for f in paper_findings(reference, Resolution("found", paper, 1.0), paper)]


def test_a_name_from_the_title_or_its_initials_gives_no_finding() -> None:
    for label in ("PPO", "Proximal Policy Optimization", "PPO-Clip"):
        assert label_findings(label, PPO) == [] or label == "PPO-Clip"
    assert _findings(Cited(arxiv_id="1707.06347", label="Proximal Policy Optimization"), PPO) == []


def test_a_name_the_title_does_not_hold_is_info_never_broken() -> None:
    # karpathy's post links "RMSProp" to Dauphin et al.'s paper, which discusses RMSProp
    assert _findings(Cited(arxiv_id="1502.04390", label="RMSProp"), EQUILIBRATED) == [("label_mismatch", "info")]


def test_the_same_text_as_a_title_is_still_checked_as_a_title() -> None:
    assert _findings(Cited(arxiv_id="1502.04390", title="RMSProp"), EQUILIBRATED) == [("title_mismatch", "broken")]


def test_a_label_finding_renders_in_every_report_format() -> None:
    from app.check import check_reference
    from app.check.render import render
    from app.check.report import DocumentInfo, Report, Summary

    reference = CitedReference("arxiv_url", "http://arxiv.org/abs/1502.04390", 92, 261,
                               Cited(arxiv_id="1502.04390", label="RMSProp"))
    checked = check_reference(0, reference, Resolution("found", EQUILIBRATED, 1.0), {})
    assert checked.status == "ok"
    assert checked.cited.label == "RMSProp"
    report = Report(document=DocumentInfo(name="post.md", format="markdown", sha256="0" * 64),
                    summary=Summary(references=1, ok=1), references=[checked])
    for fmt in ("text", "json", "markdown", "html", "sarif"):
        assert "RMSProp" in render([report], fmt) or fmt == "sarif"
    assert "label_mismatch" in render([report], "sarif")
