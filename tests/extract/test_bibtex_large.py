"""A large BibTeX file is read piece by piece; every entry is still found, at its own position."""

from __future__ import annotations

import pytest

from app.extract import extract
from tests.extract.expectations import text_at


@pytest.mark.timeout(60)
def test_every_entry_of_a_multi_megabyte_bibtex_file_is_found_where_it_is() -> None:
    entries = [
        f"@article{{key{n},\n  title = {{Paper {n}}},\n  author = {{Chen, Ting}},\n"
        f"  eprint = {{2002.{n + 1:05d}}},\n  archivePrefix = {{arXiv}},\n  year = {{2020}}\n}}\n\n"
        for n in range(15_000)
    ]
    document = extract("".join(entries), name="big.bib")
    assert [r.cited.arxiv_id for r in document.references] == [f"2002.{n + 1:05d}" for n in range(15_000)]
    assert all(text_at(document, r) == r.text for r in document.references[::997])
    assert document.references[-1].line == 8 * 14_999 + 4  # eight lines an entry, eprint on the fourth
