"""The columns a document's references are kept in read back as the references that went in."""

from __future__ import annotations

import random

import pytest

from app.extract import Cited, CitedReference, extract
from app.extract.reference_table import ReferenceTable


def _references(count: int) -> list[CitedReference]:
    rng = random.Random(7)
    out = []
    for index in range(count):
        arxiv_id = rng.choice([None, f"2002.{index:05d}", "hep-th/9901001"])
        shape = index % 5
        text = {
            0: f"https://arxiv.org/abs/{arxiv_id}",
            1: arxiv_id or "Härkönen’s 🎉 Title",
            2: "Attention Is All You Need",
            3: f"@article{{key{index},",
            4: "",
        }[shape]
        title = {0: None, 1: None, 2: text, 3: f"Title {index} “quoted”", 4: "x" * (index % 300)}[shape]
        cited = Cited(
            arxiv_id,
            rng.choice([None, 1, 12]),
            rng.choice([None, f"10.48550/arXiv.{index}"]),
            title,
            rng.choice([(), ("Ting Chen", "Kaiming He"), ("Erik Härkönen",)]),
            # years and months are two-byte columns: values that do not fit are kept aside
            rng.choice([None, 2020, 1, 65535, 0, -3, 65536, 10**30]),
            rng.choice([None, 11, 0, 70000]),
            rng.choice([None, "NeurIPS 2020"]),
        )
        kind = rng.choice(["arxiv_url", "arxiv_id", "doi", "title", "bib_entry"])
        reason = rng.choice([None, "a version is v1 or later"])
        out.append(CitedReference(kind, text, index + 1, index % 80 + 1, cited, reason))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 3000])
def test_every_field_reads_back_across_the_joined_blocks(count: int) -> None:
    references = _references(count)
    table = ReferenceTable()
    for reference in references:
        table.append(reference)
    assert len(table) == count
    assert list(table) == references
    assert table == tuple(references) and table == references
    assert [table[i] for i in range(count)] == references


def test_reads_like_a_tuple() -> None:
    references = _references(2100)
    table = ReferenceTable()
    for reference in references:
        table.append(reference)
    assert table[-1] == references[-1]
    assert table[1020:1030] == tuple(references[1020:1030])
    assert table[::997] == tuple(references[::997])
    with pytest.raises(IndexError):
        table[2100]
    with pytest.raises(IndexError):
        table[-2101]
    assert references[5] in table
    assert table.index(references[1500]) == 1500
    assert table != references[:-1]
    assert ReferenceTable() == ()
    assert hash(ReferenceTable()) == hash(())


def test_a_documents_references_are_equal_however_often_they_are_read() -> None:
    lines = "".join(
        f"- [Some Paper Title {i}](https://arxiv.org/abs/2002.{i:05d}) — Ting Chen (2020)\n" for i in range(3000)
    )
    document = extract(lines.encode(), name="list.md")
    first = list(document.references)
    assert len(first) == 3000
    assert list(document.references) == first
    assert first[2999].cited.arxiv_id == "2002.02999" and first[2999].line == 3000
    assert first[2999].cited.title == "Some Paper Title 2999"
