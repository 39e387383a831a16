"""A large document read in pieces gives exactly the references it gives read whole.

The piece size is made tiny here, so that every document is cut many times: next to fences,
headings and their metadata lines, year headings, "References" sections, "arXiv" at a line's end,
CRLF line ends, multi-byte characters, mojibake.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.extract import extract, pieces

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(autouse=True)
def tiny_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 64)


def assert_same_as_whole(data: bytes, format: str = "auto", name: str | None = None, *, cut: bool = True) -> None:
    in_pieces = extract(data, name=name, format=format)  # type: ignore[arg-type]
    whole = extract(data.decode("utf-8-sig"), name=name, format=format)  # type: ignore[arg-type]
    assert in_pieces.references == whole.references
    assert in_pieces.format == whole.format
    assert in_pieces.text == whole.text
    assert isinstance(in_pieces.source, bytes) is cut


def seed_texts() -> list[str]:
    found = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    found += [p for p in (FIXTURES / "documents").iterdir() if p.suffix in (".md", ".txt")]
    return [path.read_text(encoding="utf-8") for path in found]


@pytest.mark.parametrize("format", ["markdown", "text", "auto"])
def test_seeds_and_documents_cut_many_times(format: str) -> None:
    for text in seed_texts():
        assert_same_as_whole(text.encode(), format)


def test_seeds_glued_together_crlf_and_bom() -> None:
    text = "\n\n".join(seed_texts())
    assert_same_as_whole(text.encode(), "markdown")
    assert_same_as_whole(text.replace("\n", "\r\n").encode(), "markdown")
    assert_same_as_whole(b"\xef\xbb\xbf" + text.encode(), "text")


def test_fences_front_matter_and_metadata_across_cuts() -> None:
    document = (
        "---\ntitle: arXiv:2002.05709\n\nstill front matter\n---\n\n"
        "Intro with arXiv:1810.04805 here.\n\n"
        "```python\n# arXiv:1111.11111 is code\n\nStill code arXiv:1211.11111\n\nMore code\n```\n\n"
        "## Attention Is All You Need\n\nAuthors: Ashish Vaswani, Noam Shazeer\n\n"
        "Link: https://arxiv.org/abs/1706.03762\n\nReleased in: June 2017\n\n"
        "## Deep Residual Learning\n\nKaiming He, Xiangyu Zhang\n\n"
        "Paper: https://arxiv.org/abs/1512.03385\n\n"
        "2015\n\n## Batch Normalization Accelerates Deep Network Training\n\n"
        "See [the paper](https://arxiv.org/abs/1502.03167).\n\n"
        "Text before arXiv\n\npreprint 2002.05709 is cited only after arXiv\n\n"
        "A bracket [\n\nhep-th/99999999] here\n\n"
        "## References\n\n- Attention Is All You Need\n\nSomething 1706.03762 cited in a bibliography\n\n"
        "~~~\nunterminated fence arXiv:2002.12345\n\nNothing after this counts arXiv:2003.00001\n"
    )
    assert_same_as_whole(document.encode(), "markdown")
    assert_same_as_whole(document.encode(), "text")


def test_long_paragraphs_multibyte_and_references_sections_in_text() -> None:
    rng = random.Random(7)
    lines = []
    for number in range(400):
        words = " ".join(
            rng.choice(["Härkönen", "naïve", "—", "🎉", "word", "arXiv:2002.05709", "[1810.04805]"])
            for _ in range(rng.randint(1, 60))
        )
        lines.append(f"Line {number} {words}")
        if rng.random() < 0.5:
            lines.append("")
        if number == 200:
            lines += ["", "References", "", "Entry 1810.04805 in a bibliography"]
    document = "\n".join(lines)
    assert_same_as_whole(document.encode(), "text")
    assert_same_as_whole(document.encode(), "markdown")


def test_mojibake_found_late_repairs_the_headings_read_before() -> None:
    head = "".join(
        f"## Paper Number {n} On Learning\n\nAuthors: Erik H√§rk√∂nen, Ting Chen\n\n"
        f"Link: https://arxiv.org/abs/2004.0{n:04d}\n\n"
        for n in range(40)
    )
    assert_same_as_whole((head + "Ends with ‚Äô damage\n").encode(), "markdown")
    assert_same_as_whole((head + "Ends with ‚Äô damage\n").encode(), "text")


def test_a_document_without_clean_cuts_is_one_piece() -> None:
    document = "\n".join(f"- item arXiv:2002.{n:05d}" for n in range(300))
    assert_same_as_whole(document.encode(), "markdown")


def test_invalid_utf8_is_read_whole() -> None:
    data = ("Café arXiv:2002.05709\n\n" * 20).encode() + b"Bad \xff byte arXiv:1810.04805\n"
    document = extract(data, format="text")
    assert isinstance(document.source, str)
    assert "\ufffd" in document.text
    assert [r.cited.arxiv_id for r in document.references][-1] == "1810.04805"


def test_binary_data_is_still_refused() -> None:
    with pytest.raises(ValueError, match="NUL"):
        extract(b"text\n\n" * 100 + b"\x00" * 10)


def test_reading_list_cut_between_items() -> None:
    lines = [
        f"- [Paper {n} On Learning](https://arxiv.org/abs/2004.{n:05d}) — Ting Chen, Kaiming He (2020)"
        for n in range(200)
    ]
    lines[50:50] = ["- a line ending in arXiv", "- hep-th/99999999 malformed, cited only after arXiv", "- see ["]
    lines[120:120] = [
        "## Heading Over Items",
        "- Authors: Ting Chen, Kaiming He",
        "- [x](https://arxiv.org/abs/1706.03762)",
    ]
    document = "\n".join(lines) + "\n"
    assert len(list(pieces.PieceReader(document.encode(), 0, markdown=True).read())) > 50
    assert_same_as_whole(document.encode(), "markdown")
    assert_same_as_whole(document.encode(), "text")


def test_bibtex_read_in_pieces_like_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.extract import bibtex

    monkeypatch.setattr(bibtex, "_CHUNK", 300)
    library = (FIXTURES / "documents" / "library.bib").read_text(encoding="utf-8")
    entries = "".join(
        f"@article{{key{n},\n  title = {{Härkönen 🎉 Learning {n}}},\n  author = {{Chen, Ting and He, Kaiming}},\n"
        f"  eprint = {{2002.{n:05d}}},\n  journal = {{IEEE Access}},\n  year = {{2020}}\n}}\n\n"
        for n in range(60)
    )
    for document in (library * 3 + entries, entries + "@article{open,\n  title = {Never closed arXiv:2002.05709\n"):
        assert len(bibtex.byte_chunks(document.encode())) > 5
        assert_same_as_whole(document.encode(), "bibtex")
        assert_same_as_whole(b"\xef\xbb\xbf" + document.encode(), "auto", "library.bib")
    damaged = (entries + "@misc{m, title = {H√§rk√∂nen ‚Äô}}\n").encode()
    assert_same_as_whole(damaged, "bibtex")
    assert extract(damaged, format="bibtex").references[-1].cited.title == "Härkönen ’"


def test_equal_claims_share_one_object() -> None:
    entries = "".join(
        f"@article{{k{n}, title = {{T {n}}}, author = {{Chen, Ting and He, Kaiming}}, journal = {{IEEE Access}},"
        f" doi = {{10.1109/ACCESS.2020.1}}, eprint = {{2002.{n + 1:05d}}}}}\n"
        for n in range(3)
    )
    first, second, _ = extract(entries, format="bibtex").references
    assert first.cited.authors is second.cited.authors
    assert first.cited.venue is second.cited.venue
    assert first.text is first.cited.arxiv_id
