"""The accuracy harness's own logic: label keys, id counting, and the planted errors' edits."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from app.check.report import CitedOut, Finding, PaperOut, ReferenceReport
from bench.accuracy_ids import base_id, commented_only, expected_ids, recall_precision
from bench.accuracy_labels import Label, judge, key_of, read_labels, write_labels
from bench.mutations import DETECTED_BY, KINDS, Edit, Pools, apply, copies, plan, propose


def paper(arxiv_id: str, title: str, authors: list[str], latest: int = 2) -> PaperOut:
    return PaperOut(arxiv_id=arxiv_id, latest_version=latest, title=title, authors=authors,
                    published=date(2015, 9, 22), updated=date(2015, 12, 8), primary_category="cs.LG",
                    categories=["cs.LG"], abs_url=f"https://arxiv.org/abs/{arxiv_id}",
                    pdf_url=f"https://arxiv.org/pdf/{arxiv_id}")


def reference(line: int, *, index: int = 0, status: str = "ok", title: str | None = None,
              authors: tuple[str, ...] = (), year: int | None = None, findings: tuple[Finding, ...] = (),
              arxiv_id: str = "1509.06461") -> ReferenceReport:
    return ReferenceReport(
        index=index, line=line, column=1, kind="arxiv_id", text=f"arXiv:{arxiv_id}",
        cited=CitedOut(arxiv_id=arxiv_id, title=title, authors=list(authors), year=year),
        status=status, arxiv_id=arxiv_id,  # type: ignore[arg-type]
        paper=paper(arxiv_id, "Deep Reinforcement Learning with Double Q-learning",
                    ["Hado van Hasselt", "Arthur Guez", "David Silver"]),
        findings=list(findings))


TITLE_BROKEN = Finding(code="title_mismatch", severity="broken", message="…")
AUTHORS_WARNING = Finding(code="author_mismatch", severity="warning", message="…")


# --- labels -------------------------------------------------------------------------------------

def test_a_label_key_names_document_line_code_and_the_cited_id_not_the_reference_index() -> None:
    first = reference(12, index=3, status="broken", findings=(TITLE_BROKEN,))
    shifted = reference(12, index=9, status="broken", findings=(TITLE_BROKEN,))
    assert key_of("list.md", first, TITLE_BROKEN) == ("list.md", 12, "title_mismatch", "1509.06461")
    assert key_of("list.md", first, TITLE_BROKEN) == key_of("list.md", shifted, TITLE_BROKEN)


def test_a_reference_without_an_id_is_known_by_its_cited_title() -> None:
    untitled = ReferenceReport(index=0, line=4, column=1, kind="title", text="Understanding  dropout",
                               cited=CitedOut(title="Understanding\n dropout"), status="warning")
    assert key_of("refs.bib", untitled, AUTHORS_WARNING)[3] == "Understanding dropout"


def test_labels_survive_a_round_trip_through_the_tsv(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    label = Label("refs.bib", 91, "date_mismatch", "1402.5836", "warning", "false",
                  "AISTATS 2014 (April), arXiv v1 Feb 2014")
    write_labels([label], path)
    assert read_labels(path) == {label.key: label}


def test_a_judgement_other_than_true_or_false_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text("document\tline\tcode\tcites\tseverity\tjudgement\treason\n"
                    "a.md\t3\tid_not_found\t1501.00001\tbroken\tmaybe\t?\n", encoding="utf-8")
    with pytest.raises(ValueError, match="true or false"):
        read_labels(path)


def test_a_verdict_is_judged_by_the_findings_that_set_its_status() -> None:
    ref = reference(7, status="broken", findings=(TITLE_BROKEN, AUTHORS_WARNING))
    broken_false = Label("a.md", 7, "title_mismatch", "1509.06461", "broken", "false", "label, not title")
    warning_true = Label("a.md", 7, "author_mismatch", "1509.06461", "warning", "true", "wrong authors")
    assert judge("a.md", ref, {}) is None
    # The broken status comes from the title finding: the warning's judgement does not decide it.
    assert judge("a.md", ref, {broken_false.key: broken_false, warning_true.key: warning_true}) == "false"
    broken_true = Label(*[*broken_false.key, "broken", "true", "really another paper"])
    assert judge("a.md", ref, {broken_true.key: broken_true}) == "true"


# --- ids -----------------------------------------------------------------------------------------

RUBY = """entry!('kingma14adam', arxiv(2014, '1412.6980v9'), title('Adam'))
#entry!('old', arxiv(2018, '1805.01042'), title('Gone'))
entry!('x', arxiv(2016, '1611.09321'))
"""


def test_ids_only_in_commented_out_lines_are_not_expected() -> None:
    assert commented_only("db.rb", RUBY, "1805.01042")
    assert not commented_only("db.rb", RUBY, "1611.09321")
    assert not commented_only("README.md", "# 1805.01042 is a heading here", "1805.01042")
    listed = ["1412.6980", "1805.01042", "1611.09321"]
    assert expected_ids("db.rb", RUBY, listed) == {"1412.6980", "1611.09321"}


def test_id_counting_ignores_versions() -> None:
    assert base_id("1412.6980v9") == "1412.6980"
    assert base_id("hep-ph/0312378") == "hep-ph/0312378"
    assert recall_precision({"1412.6980", "1611.09321"}, {"1412.6980", "1502.03167"}) == (1, 2, 2)


# --- mutations -----------------------------------------------------------------------------------

BIB = (
    "@article{vanhasselt2015,\r\n"
    "  author = {van Hasselt, Hado and Guez, Arthur and Silver, David},\r\n"
    "  title = {Deep Reinforcement Learning with Double Q-learning},\r\n"
    "  journal = {arXiv preprint arXiv:1509.06461},\r\n"
    "  year = {2015},\r\n"
    "  timestamp = {2015-12-01},\r\n"
    "}\r\n"
    "@article{next2016,\r\n"
    "  author = {Silver, David},\r\n"
    "  year = {2015},\r\n"
    "}\r\n"
)
MD = ("Intro line.\n"
      "- [Deep Reinforcement Learning with Double Q-learning](https://arxiv.org/abs/1509.06461), 2015.\n"
      "- Another line citing nothing.\n")
POOLS = Pools(real=[("1509.06461", "Deep Reinforcement Learning with Double Q-learning"),
                    ("1511.05952", "Prioritized Experience Replay")],
              withdrawn=["1507.99999"], known=frozenset({"1509.06461", "1511.05952", "1507.99999"}))


def bib_reference() -> ReferenceReport:
    return reference(4, title="Deep Reinforcement Learning with Double Q-learning",
                     authors=("Hado van Hasselt", "Arthur Guez", "David Silver"), year=2015)


def outside_edits(before: str, after: str, edits: tuple[Edit, ...]) -> tuple[str, str]:
    """The text before the first edit and after the last one, in both versions."""
    first, last = min(e.start for e in edits), max(e.end for e in edits)
    tail = len(before) - last
    return before[:first] + "|" + before[last:], after[:first] + "|" + after[len(after) - tail:]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_edits_only_the_reference_it_targets(kind: str) -> None:
    mutation = propose(kind, "refs.bib", BIB, bib_reference(), None, POOLS, random.Random(1))
    assert mutation is not None and mutation.kind == kind and mutation.line == 4
    mutated = apply(BIB, mutation.edits)
    assert mutated != BIB
    before, after = outside_edits(BIB, mutated, mutation.edits)
    assert before == after  # everything outside the edited span is byte-identical, CRLF included
    entry_end = BIB.index("@article{next2016")
    assert all(e.end <= entry_end for e in mutation.edits)  # the next entry is never touched
    assert "vanhasselt2015" in mutated  # nor the entry's key
    assert mutated.count("\r\n") == BIB.count("\r\n")


def test_the_edits_say_what_each_kind_plants() -> None:
    rng = random.Random(1)
    ref = bib_reference()

    def mutated(kind: str) -> str:
        mutation = propose(kind, "refs.bib", BIB, ref, None, POOLS, rng)
        assert mutation is not None
        return apply(BIB, mutation.edits)

    assert "arXiv:1511.05952" in mutated("swapped_id")
    assert "arXiv:1509.99999" in mutated("nonexistent_id")
    assert "arXiv:1509.06461v5" in mutated("nonexistent_version")  # latest is v2
    assert "arXiv:1507.99999" in mutated("withdrawn")
    year = mutated("wrong_year")
    assert "year = {2011}" in year and "timestamp = {2015-12-01}" in year
    assert "title = {Prioritized Experience Replay}" in mutated("other_title")
    assert "Double Q-learning}" not in mutated("invented_title").split("journal")[0]
    authors = mutated("invented_authors").splitlines()[1]
    assert not any(name in authors for name in ("Hasselt", "Guez", "Silver"))


def test_a_claim_the_reference_does_not_state_is_not_planted() -> None:
    bare = reference(2)  # a link with no title, authors or year read from it
    for kind in ("invented_authors", "invented_title", "wrong_year", "other_title", "swapped_id"):
        assert propose(kind, "list.md", MD, bare, 3, POOLS, random.Random(1)) is None


def test_markdown_titles_are_edited_on_the_reference_line_only() -> None:
    ref = reference(2, title="Deep Reinforcement Learning with Double Q-learning", year=2015)
    mutation = propose("invented_title", "list.md", MD, ref, 3, POOLS, random.Random(2))
    assert mutation is not None
    lines = apply(MD, mutation.edits).split("\n")
    assert lines[0] == "Intro line." and lines[2] == "- Another line citing nothing."
    assert "(https://arxiv.org/abs/1509.06461), 2015." in lines[1]


def test_a_year_is_planted_in_the_entry_of_a_pages_bibliography_script_not_the_next_one() -> None:
    page = (
        "<p>Double Q-learning <dt-cite key=\"vanhasselt2015\"></dt-cite>.</p>\n"
        "<script type=\"text/bibliography\">\n"
        "@article{vanhasselt2015,\n"
        "  title={Deep Reinforcement Learning with Double Q-learning},\n"
        "  journal={arXiv preprint arXiv:1509.06461},\n"
        "  year={2015},\n"
        "}\n"
        "@article{schaul2015,\n"
        "  title={Prioritized Experience Replay},\n"
        "  year={2015},\n"
        "  url={https://arxiv.org/pdf/1511.05952.pdf}\n"
        "}\n"
        "</script>\n"
    )
    ref = reference(5, title="Deep Reinforcement Learning with Double Q-learning", year=2015)
    mutation = propose("wrong_year", "index.html", page, ref, 11, POOLS, random.Random(1))
    assert mutation is not None
    lines = apply(page, mutation.edits).split("\n")
    assert lines[5] == "  year={2011}," and lines[9] == "  year={2015},"


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        apply("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_the_plan_is_deterministic_and_spreads_mutations_apart() -> None:
    refs = [bib_reference()]
    documents = {"refs.bib": (BIB, refs), "list.md": (MD, [reference(2, title=refs[0].cited.title)])}
    first = plan(documents, POOLS, per_kind=3)
    assert first == plan(documents, POOLS, per_kind=3)
    assert {m.kind for m in first} <= set(DETECTED_BY)
    for group in copies(first):
        assert len({m.document for m in group}) == 1
        assert len({m.cites for m in group}) == len(group)  # one mutation per paper in a copy


# --- outside the stand-in ------------------------------------------------------------------------

def test_verdicts_the_stand_in_cannot_give_as_arxiv_would_are_outside_it() -> None:
    from datetime import UTC, datetime

    from bench.accuracy import outside
    from tests.arxiv_standin.corpus import Corpus, StandinPaper

    def record(arxiv_id: str, listed: bool) -> StandinPaper:
        return StandinPaper(arxiv_id=arxiv_id, title="T", abstract="", authors=[("A B", ())],
                            categories=["cs.LG"], version_dates=[datetime(2015, 9, 22, tzinfo=UTC)] * 2,
                            versions_listed=listed)

    corpus = Corpus([record("1509.06461", listed=False), record("1511.05952", listed=True)])
    version = Finding(code="version_not_found", severity="broken", message="v3 does not exist")
    missing = Finding(code="id_not_found", severity="broken", message="no such id")

    unknown = reference(3, status="broken", findings=(missing,), arxiv_id="1707.06347").model_copy(
        update={"paper": None})
    assert outside(unknown, corpus)  # real arXiv has 1707.06347; the stand-in's corpus does not
    assert outside(reference(3, status="broken", findings=(version,)), corpus)  # no version history
    listed = reference(3, status="broken", findings=(version,), arxiv_id="1511.05952")
    assert not outside(listed, corpus)  # its versions are known: the verdict counts
    assert not outside(reference(3, status="broken", findings=(version, TITLE_BROKEN)), corpus)
