"""Contexts that make a bare id a reference beyond "arXiv:" itself: an argument named for arXiv,
DBLP's "CoRR, abs/…", LaTeX markup after "arXiv:", junk after a pdf link's ".pdf"."""

from __future__ import annotations

import pytest

from app.extract import extract


def ids(text: str, fmt: str = "text", name: str | None = None) -> list[str | None]:
    return [r.cited.arxiv_id for r in extract(text, format=fmt, name=name).references]  # type: ignore[arg-type]


RUBY = """\
entry!('ranzato2015sequence',
  arxiv(2015, '1511.06732'),
  title('Sequence level training with recurrent neural networks'),
)

entry!('kingma2014adam',
  #arxiv(2014, '1412.6980'),
  title('Adam: A method for stochastic optimization'),
)
"""


def test_an_id_passed_to_a_call_named_arxiv_is_cited_unless_the_line_is_commented_out() -> None:
    document = extract(RUBY, name="refs.rb")
    assert [(r.cited.arxiv_id, r.line, r.column) for r in document.references] == [("1511.06732", 2, 16)]


@pytest.mark.parametrize(
    "text",
    ['arxiv_id = "1511.06732"', "arxiv: 1511.06732", "arXiv 1511.06732", "arxiv id: 1511.06732"],
)
def test_an_id_named_as_arxiv_right_before_it_is_cited(text: str) -> None:
    assert ids(text) == ["1511.06732"]


@pytest.mark.parametrize(
    "text",
    [
        "version = '1511.06732'",
        "results(2015, '1511.06732')",
        "arXiv is great. Page 1511.06732 of the log.",
        "# arxiv(2015, '1511.06732')",
    ],
)
def test_an_id_without_arxiv_right_before_it_is_not(text: str) -> None:
    assert ids(text) == []


def test_dblp_corr_abs_ids_in_a_reading_list_and_in_a_bbl() -> None:
    line = '**[52]** Schulman, John, et al. "**Trust region policy optimization**." CoRR, abs/1502.05477 (2015).\n'
    document = extract(line, format="markdown")
    found = [r for r in document.references if r.cited.arxiv_id]
    assert [r.cited.arxiv_id for r in found] == ["1502.05477"]
    assert found[0].text == "1502.05477" and found[0].column == line.index("1502.05477") + 1
    bbl = (
        "\\bibitem[{Theano Development Team}(2016)]{theano}\n"
        "{Theano Development Team} 2016, arXiv e-prints, abs/1605.02688\n"
    )
    assert ids(bbl, "latex") == ["1605.02688"]
    assert ids("It lives at /home/abs/1605.02688 on disk.") == []


def test_a_corr_volume_with_the_journal_written_out() -> None:
    entry = """@article{raschka2014naive,
\tAuthor = {Sebastian Raschka},
\tJournal = {Computing Research Repository (CoRR)},
\tTitle = {Naive Bayes and Text Classification {I} - Introduction and Theory},
\tVolume = {abs/1410.5329},
\tYear = {2014}}
"""
    assert ids(entry, "bibtex") == ["1410.5329"]


def test_latex_markup_after_arxiv_is_not_a_malformed_id() -> None:
    entry = "@ARTICLE{Brochu2010,\n    journal = {ar{X}iv:{\\tt 1012.2599 [cs.LG]}},\n    year = 2010,\n}\n"
    (reference,) = extract(entry, format="bibtex").references
    assert (reference.cited.arxiv_id, reference.malformed_reason, reference.text) == ("1012.2599", None, "1012.2599")


def test_junk_after_a_pdf_links_suffix_is_not_part_of_the_id() -> None:
    text = "[[pdf]](http://arxiv.org/pdf/1112.6209.pdf&embed) **(Milestone)**\n"
    (reference,) = extract(text, format="markdown").references
    assert (reference.cited.arxiv_id, reference.malformed_reason) == ("1112.6209", None)
    assert reference.text == "http://arxiv.org/pdf/1112.6209.pdf"


def test_a_malformed_id_after_arxiv_stays_malformed() -> None:
    (reference,) = extract("ImageNet [arXiv:1411.07386]\n", format="markdown").references
    assert reference.cited.arxiv_id is None and reference.malformed_reason


DISTILL = """<!doctype html>
<html><head><title>Deconvolution</title></head>
<body>
<p>Artifacts appear in GANs <dt-cite key="radford2015unsupervised"></dt-cite>.</p>
<script type="text/bibliography">
@article{radford2015unsupervised,
  title={Unsupervised representation learning with deep convolutional generative adversarial networks},
  author={Radford, Alec and Metz, Luke and Chintala, Soumith},
  journal={arXiv preprint arXiv:1511.06434},
  year={2015},
  url={https://arxiv.org/pdf/1511.06434.pdf}
}
</script>
<script>var x = "arXiv:1606.00704";</script>
</body></html>
"""


def test_bibtex_in_a_bibliography_script_of_an_html_page() -> None:
    document = extract(DISTILL, name="index.html")
    (reference,) = [r for r in document.references if r.cited.arxiv_id]
    assert reference.cited.arxiv_id == "1511.06434"
    assert reference.cited.authors == ("Alec Radford", "Luke Metz", "Soumith Chintala")
    assert reference.cited.year == 2015
    line = DISTILL.splitlines()[reference.line - 1]
    assert line[reference.column - 1 :].startswith("arXiv:1511.06434")


def test_a_markdown_autolink_to_arxiv_is_a_reference() -> None:
    (reference,) = extract("Code for <https://arxiv.org/abs/1707.06347> is here.\n", format="markdown").references
    assert (reference.cited.arxiv_id, reference.column) == ("1707.06347", 11)
