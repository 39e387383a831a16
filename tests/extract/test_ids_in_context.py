"""Which id-like strings are references: the document's own marks decide, not the digits."""

from __future__ import annotations

import pytest

from app.extract import extract


def ids(text: str, fmt: str = "text") -> list[str | None]:
    return [r.cited.arxiv_id for r in extract(text, format=fmt).references]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "See arXiv:2002.05709.",
        "See ARXIV:2002.05709.",
        "arXiv preprint 2002.05709, 2020.",
        "in [2002.05709] they show",
        "https://arxiv.org/abs/2002.05709",
        "doi:10.48550/arXiv.2002.05709",
    ],
)
def test_marked_ids_are_references(text: str) -> None:
    assert ids(text) == ["2002.05709"]


@pytest.mark.parametrize(
    "text",
    [
        "pip install tool==2004.07871",
        "It costs $2004.07 per run, version 2004.07871 of the data.",
        "See https://example.com/papers/2004.07871 for the slides.",
        "doi = 10.1109/ACCESS.2020.2004.07871",
        "https://img.shields.io/badge/arXiv-2004.07871-b31b1b.svg",
    ],
)
def test_numbers_that_merely_look_like_ids_are_not_references(text: str) -> None:
    assert ids(text) == []


def test_old_style_ids_with_their_archive_are_references() -> None:
    assert ids("as shown in hep-th/9901001 and [hep-ph/9805268]") == ["hep-th/9901001", "hep-ph/9805268"]


def test_a_version_is_kept_apart_from_the_base_id() -> None:
    (reference,) = extract("arXiv:1706.03762v5", format="text").references
    assert (reference.cited.arxiv_id, reference.cited.version, reference.text) == (
        "1706.03762",
        5,
        "arXiv:1706.03762v5",
    )


def test_an_invalid_id_is_a_malformed_reference() -> None:
    (reference,) = extract("see https://arxiv.org/abs/2013.12345", format="text").references
    assert reference.kind == "arxiv_url"
    assert reference.cited.arxiv_id is None
    assert reference.malformed_reason


def test_ids_in_code_blocks_are_ignored_but_inline_code_counts() -> None:
    text = "```\narXiv:1111.11111\n```\n\n    arXiv:1212.12121\n\nUse `arXiv:2002.05709`.\n"
    assert ids(text, "markdown") == ["2002.05709"]


def test_an_arxiv_doi_is_a_doi_reference_with_both_ids() -> None:
    (reference,) = extract("https://doi.org/10.48550/arXiv.2002.05709", format="text").references
    assert reference.kind == "doi"
    assert (reference.cited.arxiv_id, reference.cited.doi) == ("2002.05709", "10.48550/arXiv.2002.05709")


@pytest.mark.parametrize(
    ("text", "fmt", "cited_text"),
    [
        (
            "\\bibitem{k} \\href{https://arxiv.org/abs/2001.08361}{arXiv:2001.08361 [cs.LG]}",
            "latex",
            "https://arxiv.org/abs/2001.08361",
        ),
        ("Read **https://arxiv.org/abs/1706.03762** first.", "markdown", "https://arxiv.org/abs/1706.03762"),
        ("arXiv preprint arXiv:1810.04805, 2018.", "text", "arXiv:1810.04805"),
        ("arXiv preprint 1810.04805, 2018.", "text", "1810.04805"),
    ],
)
def test_a_reference_text_is_the_id_without_glued_markup_or_wording(text: str, fmt: str, cited_text: str) -> None:
    (reference,) = extract(text, format=fmt).references  # type: ignore[arg-type]
    assert (reference.text, reference.malformed_reason) == (cited_text, None)


@pytest.mark.parametrize(("eprint", "reason"), [("1713.00001", "month 13"), ("2002.0570", "5 digits")])
def test_an_arxiv_eprint_that_is_no_valid_id_is_malformed_not_a_title(eprint: str, reason: str) -> None:
    text = f"@misc{{x, title = {{Something}}, eprint = {{{eprint}}}, archivePrefix = {{arXiv}}}}\n"
    (reference,) = extract(text, format="bibtex").references
    assert reference.malformed_reason is not None and reason in reference.malformed_reason
    assert reference.text == eprint
    assert reference.column == text.index(eprint) + 1


def test_an_unterminated_bibtex_entry_leaves_no_noise_on_stderr(caplog: pytest.LogCaptureFixture) -> None:
    # bibtexparser's own warning reached the terminal through the root logger as a stray line.
    text = "@misc{a, title={A}, eprint={2002.05709}}\n@article{b, title={Oops\n"
    assert ids(text, "bibtex") == ["2002.05709"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bibtexparser")] == []


def test_a_biblatex_eprint_that_is_no_valid_id_is_malformed_too() -> None:
    text = ("\\entry{x}{article}{}\n  \\field{title}{Something}\n  \\verb{eprint}\n  \\verb 1713.00001\n"
            "  \\endverb\n  \\field{eprinttype}{arxiv}\n\\endentry\n")
    (reference,) = extract(text, name="refs.bbl").references
    assert reference.malformed_reason is not None and "month 13" in reference.malformed_reason
    assert reference.text == "1713.00001"


@pytest.mark.parametrize(("text", "written"), [
    ("We use arXiv:２００２.０５７０９ here.", "arXiv:２００２.０５７０９"),
    ("本文 ａｒＸｉｖ：２００２．０５７０９ を参照", "ａｒＸｉｖ：２００２．０５７０９"),
    ("見よ https://arxiv.org/abs/２００２.０５７０９v２ です", "https://arxiv.org/abs/２００２.０５７０９v２"),
])
def test_full_width_ids_are_ids_and_keep_their_place_in_the_original(text: str, written: str) -> None:
    # Typed with an East Asian input method: the same id, not one that "arXiv does not have".
    for fmt in ("text", "markdown"):
        (reference,) = extract("# 論文\n\n" + text + "\n", format=fmt).references
        assert reference.cited.arxiv_id == "2002.05709"
        assert reference.text == written
        assert (reference.line, reference.column) == (3, text.index(written) + 1)
