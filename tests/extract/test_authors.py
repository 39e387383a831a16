"""Author lists in every common order and form, wherever a document states them."""

from __future__ import annotations

import pytest

from app.extract import extract
from app.extract.bibliography import parse_entry
from app.extract.claims_authors import bibtex_authors, parse_authors


@pytest.mark.parametrize(
    ("written", "names"),
    [
        # Google Scholar's MLA: only the first author inverted
        ("Schulman, John, et al.", ("John Schulman", "et al.")),
        ("Simonyan, Karen, and Andrew Zisserman", ("Karen Simonyan", "Andrew Zisserman")),
        ("Ba, Jimmy Lei, Jamie Ryan Kiros, and Geoffrey E. Hinton",
         ("Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E. Hinton")),
        ("Hinton, Geoffrey E., et al.", ("Geoffrey E. Hinton", "et al.")),
        ("Sak, Haşim, et al.", ("Haşim Sak", "et al.")),
        ("van Hasselt, Hado, Arthur Guez, and David Silver", ("Hado van Hasselt", "Arthur Guez", "David Silver")),
        ("Graves, Alex", ("Alex Graves",)),
        # APA
        ("He, K., Zhang, X., Ren, S.", ("K. He", "X. Zhang", "S. Ren")),
        ("Vaswani, A., Shazeer, N., & Parmar, N.", ("A. Vaswani", "N. Shazeer", "N. Parmar")),
        ("Alemi, A.A. et al.", ("A. A. Alemi", "et al.")),
        # initials first
        ("K. He, X. Zhang", ("K. He", "X. Zhang")),
        ("H. van Hasselt, A. Guez, and D. Silver", ("H. van Hasselt", "A. Guez", "D. Silver")),
        # Vancouver, and MNRAS's dotted form
        ("He K, Zhang X, Ren S, Sun J", ("K. He", "X. Zhang", "S. Ren", "J. Sun")),
        ("Schulman J, Wolski F, Dhariwal P", ("J. Schulman", "F. Wolski", "P. Dhariwal")),
        ("He K., Zhang X., Ren S.", ("K. He", "X. Zhang", "S. Ren")),
        # surnames only
        ("Mnih et al", ("Mnih", "et al.")),
        ("Kingma and Ba", ("Kingma", "Ba")),
        ("Smith, Jones, and Wu", ("Smith", "Jones", "Wu")),
        ("Mnih, Kavukcuoglu, Silver", ("Mnih", "Kavukcuoglu", "Silver")),
        ("T. Chen and others", ("T. Chen", "et al.")),
        # "Surname, Given and Surname, Given"
        ("Ulyanov, Dmitry and Lebedev, Vadim", ("Dmitry Ulyanov", "Vadim Lebedev")),
        ("Gatys, Leon and Ecker", ("Leon Gatys", "Ecker")),
        ("Oord, Aaron van den, Nal Kalchbrenner, and Koray Kavukcuoglu",
         ("Aaron van den Oord", "Nal Kalchbrenner", "Koray Kavukcuoglu")),
    ],
)
def test_author_list_forms(written: str, names: tuple[str, ...]) -> None:
    assert parse_authors(written) == names


def test_bibtex_names_with_latex_escapes_are_decoded() -> None:
    field = (r"{\L}ukasz Kaiser and Riemer-S{\o}rensen, Signe and {\L}opusza\'{n}ski, J. and St{\aa}l, O."
             r" and Koutn{\'\i}k, Jan and Erd{\H{o}}s, Paul and Ka{\c{s}}ka, A. and Stra{\ss}e, H. and G{\"o}del, Kurt")
    assert bibtex_authors(field) == (
        "Łukasz Kaiser", "Signe Riemer-Sørensen", "J. Łopuszański", "O. Stål", "Jan Koutník", "Paul Erdős",
        "A. Kaşka", "H. Straße", "Kurt Gödel",
    )


def test_bibtex_and_inside_braces_is_part_of_a_name() -> None:
    assert bibtex_authors("{Barnes and Noble} and Hinton, Geoffrey E and others") == (
        "Barnes and Noble", "Geoffrey E Hinton", "et al.",
    )


def _cited(markdown: str) -> list[tuple[str | None, tuple[str, ...], int | None]]:
    return [(r.cited.arxiv_id, r.cited.authors, r.cited.year) for r in extract(markdown, format="markdown").references]


def test_authors_after_a_bold_title_and_its_year() -> None:
    text = "- **Deep Residual Learning for Image Recognition** (2016), K. He et al. [[pdf]](https://arxiv.org/pdf/1512.03385v1.pdf)\n"
    assert _cited(text) == [("1512.03385", ("K. He", "et al."), 2016)]


def test_authors_after_a_linked_title_then_the_venue() -> None:
    text = "  * [Model-Free Episodic Control](http://arxiv.org/abs/1606.04460), C. Blundell et al., *arXiv*, 2016.\n"
    assert _cited(text)[0][:2] == ("1606.04460", ("C. Blundell", "et al."))


def test_authors_after_an_arxiv_link_that_follows_the_title() -> None:
    text = "- Deep Residual Learning [[arXiv](https://arxiv.org/abs/1512.03385)] K. He, X. Zhang\n"
    assert _cited(text)[0][:2] == ("1512.03385", ("K. He", "X. Zhang"))


def test_authors_before_the_title() -> None:
    text = (
        " - H. van Hasselt, A. Guez, and D. Silver, **Deep reinforcement learning with double q-learning**,"
        " Nature, 2015. [arXiv](http://arxiv.org/abs/1509.06461)\n"
        " - S. Lange and M. Riedmiller, **Deep Learning of Visual Control Policies**, ESANN, 2010."
        " [pdf](https://www.elen.ucl.ac.be/Proceedings/esann/esannpdf/es2010-87.pdf)\n"
    )
    references = extract(text, format="markdown").references
    assert references[0].cited.authors == ("H. van Hasselt", "A. Guez", "D. Silver")
    assert references[1].cited.title == "Deep Learning of Visual Control Policies"
    assert references[1].cited.authors == ("S. Lange", "M. Riedmiller")


def test_author_and_year_at_the_end_of_a_link_text() -> None:
    text = "* [Auxiliary Deep Generative Models (Maaløe 2016)](https://arxiv.org/abs/1602.05473)\n"
    (reference,) = extract(text, format="markdown").references
    assert reference.cited.title == "Auxiliary Deep Generative Models"
    assert (reference.cited.authors, reference.cited.year) == (("Maaløe",), 2016)
    # three words or fewer before the citation may be a method's name: a label, never a title
    text = "* [Ladder Variational Autoencoders (Sønderby 2016)](https://arxiv.org/abs/1602.02282)\n"
    (reference,) = extract(text, format="markdown").references
    assert (reference.cited.title, reference.cited.label) == (None, "Ladder Variational Autoencoders")
    assert (reference.cited.authors, reference.cited.year) == (("Sønderby",), 2016)


@pytest.mark.parametrize(
    "item",
    [
        "- Double DQN [[3]](http://arxiv.org/abs/1509.06461)",  # a method name before the link
        "- Baidu / UCLA [[Paper]](http://arxiv.org/pdf/1505.05612) [[Dataset]](http://example.com/data)",
        "- [Graph Convolutions](https://arxiv.org/abs/1606.09375), NIPS 2016",
        "- [Human-level control](https://arxiv.org/abs/1312.5602), Nature, 2015",
    ],
)
def test_labels_venues_and_single_words_are_not_authors(item: str) -> None:
    assert all(authors == () for _, authors, _ in _cited(item + "\n"))


def test_acm_style_entry_of_a_pandoc_reference_list() -> None:
    entry = ("Agrawal, S. and Dukkipati, A. 2016. Deep variational inference\nwithout pixel-wise reconstruction."
             " *arXiv preprint arXiv:1611.05209*.\n(2016).")
    claims = parse_entry(entry)
    assert claims.title == "Deep variational inference without pixel-wise reconstruction"
    assert (claims.authors, claims.year) == (("S. Agrawal", "A. Dukkipati"), 2016)


def test_mnras_entry_without_a_title() -> None:
    claims = parse_entry("He K.,  Zhang X.,  Ren S.,   Sun J.,  2015, arXiv preprint arXiv:1512.03385")
    assert (claims.authors, claims.year) == (("K. He", "X. Zhang", "S. Ren", "J. Sun"), 2015)


def test_numbered_paragraph_of_a_reading_list_is_one_entry() -> None:
    text = (
        '**[5]** Simonyan, Karen, and Andrew Zisserman. "**Very deep convolutional networks for large-scale image'
        ' recognition**." arXiv preprint arXiv:1409.1556 (2014). [[pdf]](https://arxiv.org/pdf/1409.1556.pdf)'
        " **(VGGNet,Neural Networks become very deep!)** :star::star::star:\n\n"
        '**[15]** Srivastava, Nitish, et al. "**Dropout: a simple way to prevent neural networks from overfitting**."'
        " Journal of Machine Learning Research 15.1 (2014): 1929-1958."
        " [[pdf]](https://www.cs.toronto.edu/~hinton/absps/JMLRdropout.pdf)\n"
    )
    first, second = extract(text, format="markdown").references
    assert first.cited.arxiv_id == "1409.1556"
    assert first.cited.title == "Very deep convolutional networks for large-scale image recognition"
    assert (first.cited.authors, first.cited.year) == (("Karen Simonyan", "Andrew Zisserman"), 2014)
    # pages that read as years ("1929-1958") are not the year: the one in parentheses is
    assert (second.cited.authors, second.cited.year) == (("Nitish Srivastava", "et al."), 2014)


def test_numbered_entry_with_authors_before_a_linked_title() -> None:
    text = (
        "[1] P. Bojanowski\\*, E. Grave\\*, A. Joulin, T. Mikolov, [*Enriching Word Vectors with Subword"
        " Information*](https://arxiv.org/abs/1607.04606)\n"
    )
    (reference,) = extract(text, format="markdown").references
    assert reference.cited.title == "Enriching Word Vectors with Subword Information"
    assert reference.cited.authors == ("P. Bojanowski", "E. Grave", "A. Joulin", "T. Mikolov")
