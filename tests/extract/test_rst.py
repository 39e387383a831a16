"""reStructuredText: hyperlinks, footnotes and section titles read as such, positions in the RST."""

from __future__ import annotations

from app.extract import extract
from app.extract.sniff import sniff_format

KEY_PAPERS = """\
=====================
Key Papers in Deep RL
=====================

b. Policy Gradients
-------------------

.. [#] `Prioritized Experience Replay <https://arxiv.org/abs/1511.05952>`_, Schaul et al, 2015. **Algorithm: PER.**

.. [#] `Trust Region Policy Optimization <https://arxiv.org/abs/1502.05477>`__, Schulman et al, 2015.
   **Algorithm: TRPO.**
"""


def _arxiv(text: str, name: str = "keypapers.rst") -> list:  # type: ignore[type-arg]
    return [r for r in extract(text, name=name).references if r.cited.arxiv_id]


def test_an_rst_hyperlink_is_a_reference_with_its_text_as_title_at_its_place_in_the_rst() -> None:
    document = extract(KEY_PAPERS, name="keypapers.rst")
    assert document.format == "rst"
    first, second = _arxiv(KEY_PAPERS)
    assert (first.cited.arxiv_id, first.cited.title) == ("1511.05952", "Prioritized Experience Replay")
    assert first.cited.authors[0] == "Schaul" and first.cited.year == 2015
    line = KEY_PAPERS.splitlines()[first.line - 1]
    assert first.line == 8 and line[first.column - 1 :].startswith("https://arxiv.org/abs/1511.05952>")
    assert first.text == "https://arxiv.org/abs/1511.05952"
    assert (second.cited.arxiv_id, second.cited.title) == ("1502.05477", "Trust Region Policy Optimization")
    assert second.line == 10


def test_a_bold_label_after_the_link_is_not_the_references_title() -> None:
    for reference in _arxiv(KEY_PAPERS):
        assert reference.cited.title is not None and "Algorithm" not in reference.cited.title
    # even where the link's text does not read as a title, the bold label does not stand in for it
    entry = (
        ".. [#] `#Exploration: A Study of Count-Based Exploration for Deep Reinforcement Learning"
        " <https://arxiv.org/abs/1611.04717>`_, Tang et al, 2016. **Algorithm: Hash-based Counts.**\n"
    )
    (reference,) = extract(entry, name="keypapers.rst").references
    assert reference.cited.arxiv_id == "1611.04717" and reference.cited.title != "Algorithm: Hash-based Counts"
    assert reference.cited.year == 2016


def test_bold_outside_a_linked_entry_is_still_read_as_in_markdown() -> None:
    text = "Reading\n=======\n\n- **Playing Atari with Deep Reinforcement Learning** (2013)\n"
    (reference,) = extract(text, name="reading.rst").references
    assert (reference.kind, reference.cited.title) == ("title", "Playing Atari with Deep Reinforcement Learning")
    assert (reference.line, reference.column) == (4, 5)


def test_numbered_citations_and_anonymous_links_and_bare_autolinks() -> None:
    text = """\
Notes
~~~~~

See the paper [1]_.

.. [1] V. Mnih et al. "Playing Atari with Deep Reinforcement Learning". arXiv:1312.5602, 2013.
.. [Schulman2017] `<https://arxiv.org/abs/1707.06347>`_
"""
    found = _arxiv(text, "notes.rst")
    assert [r.cited.arxiv_id for r in found] == ["1312.5602", "1707.06347"]
    assert found[0].line == 6 and found[0].cited.title == "Playing Atari with Deep Reinforcement Learning"
    assert found[1].line == 7 and found[1].column == text.splitlines()[6].index("https") + 1


def test_a_tilde_underline_is_a_section_title_not_a_code_fence() -> None:
    # read as Markdown, "~~~~~" opens a fence and everything after it is code
    text = "Papers\n~~~~~~\n\n- DQN: `Human-level control <https://arxiv.org/abs/1312.5602>`_\n"
    assert [r.cited.arxiv_id for r in _arxiv(text, "papers.rst")] == ["1312.5602"]


def test_interpreted_text_and_literals_keep_their_ids_marks() -> None:
    text = "Use ``arxiv_id`` as in :ref:`dqn` (arXiv:1312.5602); not ``pip install x==2004.07871``.\n"
    assert [r.cited.arxiv_id for r in _arxiv(text, "usage.rst")] == ["1312.5602"]


def test_rst_is_sniffed_from_its_own_marks_but_markdown_is_not_taken_for_it() -> None:
    assert sniff_format(KEY_PAPERS) == "rst"
    markdown = "# Papers\n\n- [DQN](https://arxiv.org/abs/1312.5602) **classic**\n\n.. not rst\n"
    assert sniff_format(markdown) == "markdown"
    assert extract(KEY_PAPERS.encode(), name="keypapers.rest").format == "rst"
