"""Title or label: which piece of text a document gives as a paper's title, and which as a name."""

from __future__ import annotations

from app.extract import Cited, extract
from app.extract.model import DocumentFormat


def _cited(text: str, format: DocumentFormat = "markdown") -> list[Cited]:
    return [reference.cited for reference in extract(text, format=format).references]


def _only(text: str, format: DocumentFormat = "markdown") -> Cited:
    (cited,) = _cited(text, format)
    return cited


def test_a_bold_method_name_before_an_author_year_link_is_a_label() -> None:
    html = (
        "<p>The agent is trained with <strong>Proximal Policy Optimization</strong> "
        '(<a href="https://arxiv.org/abs/1707.06347">Schulman et al., 2017</a>) on every task.</p>'
    )
    cited = _only(html, "html")
    assert cited.title is None
    assert cited.label == "Proximal Policy Optimization"
    assert (cited.authors, cited.year) == (("Schulman", "et al."), 2017)


def test_a_bold_name_before_an_author_year_citation_in_an_item_is_a_label() -> None:
    cited = _only("- **Rainbow** (Hessel et al., 2017) [arXiv](https://arxiv.org/abs/1710.02298)\n")
    assert (cited.title, cited.label) == (None, "Rainbow")


def test_short_link_text_in_a_sentence_is_a_label() -> None:
    text = (
        "We optimise with [RMSProp](http://arxiv.org/abs/1502.04390) and correct the overestimation "
        "with [Double Q-learning](https://arxiv.org/abs/1509.06461), as [PPO](https://arxiv.org/abs/1707.06347) does.\n"
    )
    assert [(c.title, c.label) for c in _cited(text)] == [
        (None, "RMSProp"),
        (None, "Double Q-learning"),
        (None, "PPO"),
    ]


def test_a_long_title_in_a_sentence_is_still_a_title() -> None:
    text = (
        "Attention came to translation with [Neural Machine Translation by Jointly Learning to Align and "
        "Translate](https://arxiv.org/abs/1409.0473), and then it spread everywhere else in the field.\n"
    )
    assert _only(text).title == "Neural Machine Translation by Jointly Learning to Align and Translate"


def test_a_reading_list_item_that_opens_with_its_link_has_a_title_however_short() -> None:
    cited = _only("- [Policy Distillation](http://arxiv.org/abs/1511.06295), A. A. Rusu et al., *ICLR*, 2016.\n")
    assert (cited.title, cited.label) == ("Policy Distillation", None)
    checked = _only("- [x] [Value Iteration Networks](https://arxiv.org/abs/1602.02867)\n")
    assert checked.title == "Value Iteration Networks"


def test_a_method_name_before_a_numbered_link_is_a_label() -> None:
    text = "- [x] Double DQN [[3]](http://arxiv.org/abs/1509.06461)\n- [x] GoogLeNet [[Paper]](http://arxiv.org/pdf/1409.4842)\n"
    assert [(c.title, c.label) for c in _cited(text)] == [(None, "Double DQN"), (None, "GoogLeNet")]


def test_a_name_before_a_colon_and_a_bare_url_is_a_label() -> None:
    text = (
        "Notes\n\n- Dueling DQN: https://arxiv.org/abs/1511.06581\n- Paper link: https://arxiv.org/abs/1312.5602\n"
        "- Fine: https://arxiv.org/abs/1706.03762\n- RMSProp: http://arxiv.org/abs/1502.04390\n"
    )
    assert [(c.title, c.label) for c in _cited(text)] == [
        (None, "Dueling DQN"),
        (None, None),
        (None, None),
        (None, "RMSProp"),
    ]


def test_a_short_name_with_its_acronym_before_a_url_is_a_label() -> None:
    rst = "`Deep Q Network (DQN) <https://arxiv.org/abs/1312.5602>`_\n\nMore text.\n"
    assert (_only(rst).title, _only(rst).label) == (None, "Deep Q Network (DQN)")
    title = "`Trust Region Policy Optimization <https://arxiv.org/abs/1502.05477>`_, Schulman et al, 2015.\n"
    assert _only(title).title == "Trust Region Policy Optimization"


def test_an_autolinked_arxiv_url_is_a_reference() -> None:
    (cited,) = _cited("Read it at <https://arxiv.org/abs/1502.05477> when you have time.\n")
    assert cited.arxiv_id == "1502.05477"


def test_link_text_with_an_author_year_citation_is_a_label_with_authors_and_year() -> None:
    cited = _only("- [Variational Autoencoder (Kingma 2013)](https://arxiv.org/abs/1312.6114)\n")
    assert (cited.title, cited.label, cited.authors, cited.year) == (None, "Variational Autoencoder", ("Kingma",), 2013)
    # a name that reads as a title and is longer than a method's name is the cited title
    pair = _only("- [Variational Inference with Normalizing Flows (Rezende & Mohamed 2015)](https://arxiv.org/abs/1505.05770)\n")
    assert (pair.title, pair.label, pair.authors, pair.year) == (
        "Variational Inference with Normalizing Flows",
        None,
        ("Rezende", "Mohamed"),
        2015,
    )


def test_link_text_naming_authors_is_no_title() -> None:
    text = (
        "Our model follows [Kipf & Welling](http://arxiv.org/abs/1609.02907) closely, and the "
        "LSTM of [Bayer & Osendorfer (2015)](http://arxiv.org/abs/1411.7610) differs in its gates.\n"
    )
    first, second = _cited(text)
    assert (first.title, first.authors) == (None, ("Kipf", "Welling"))
    assert (second.title, second.authors, second.year) == (None, ("Bayer", "Osendorfer"), 2015)


def test_topic_words_and_link_markers_name_nothing() -> None:
    text = "RNNs work well for [machine translation](http://arxiv.org/abs/1409.3215), see [the original paper](https://arxiv.org/abs/1409.0473).\n"
    assert [(c.title, c.label) for c in _cited(text)] == [(None, None), (None, None)]


def test_an_algorithm_field_after_an_entry_is_no_title_reference() -> None:
    rst = (
        ".. [#] `Playing Atari with Deep Reinforcement Learning <https://www.cs.toronto.edu/~vmnih/docs/dqn.pdf>`_, "
        "Mnih et al, 2013. **Algorithm: DQN.**\n"
    )
    assert [c.title for c in _cited(rst)] == []
    contribution = ".. [#] Benchmarking Deep RL for Continuous Control, Duan et al, 2016. **Contribution: rllab.**\n"
    assert _cited(contribution) == []
    with_id = "- [Asynchronous Methods](https://arxiv.org/abs/1602.01783) **Algorithm: A3C.**\n"
    cited = _only(with_id)
    assert cited.label is None or cited.label == "A3C"
    assert cited.title == "Asynchronous Methods"


def test_a_bold_title_followed_by_authors_is_still_a_title() -> None:
    text = (
        "- V. Mnih et al., **Human-level control through deep reinforcement learning**, Nature, 2015. "
        "[arXiv](http://arxiv.org/abs/1312.5602)\n"
    )
    assert _only(text).title == "Human-level control through deep reinforcement learning"


def test_an_italic_title_introduced_as_a_cited_work_is_a_title() -> None:
    text = (
        "The generator maximises log D(G(z)) instead "
        "(See: *NIPS 2016 Tutorial: Generative Adversarial Networks*, section 3.2.3).\n"
    )
    cited = _only(text)
    assert cited.title == "NIPS 2016 Tutorial: Generative Adversarial Networks"


def test_italic_emphasis_books_and_venues_are_no_titles() -> None:
    text = (
        "GPT-3 reproduces a full page of *Harry Potter and the Philosopher's Stone*, which is *not* a "
        "result anyone expected. Published in *Advances in Neural Information Processing Systems*.\n"
    )
    assert _cited(text) == []


def test_a_bullet_opening_with_a_title_about_a_paper_is_a_title() -> None:
    text = (
        "Honorable Mentions\n\n"
        "  • How to represent part-whole hierarchies in a neural network. Yannic Kilcher describes this paper "
        "better than I ever could.\n"
        "  • Knowledge Distillation. This paper explains the state of the art of KD very broadly.\n"
        "  • Generative Flows. Normalizing flows model the likelihood directly.\n"
    )
    assert [c.title for c in _cited(text, "text")] == ["How to represent part-whole hierarchies in a neural network"]


def test_a_bullet_that_never_speaks_of_a_paper_is_no_title() -> None:
    text = "- Added support for multi-GPU training on clusters. Thanks to the contributors for this release.\n"
    assert _cited(text) == []


def test_an_entry_text_before_a_marker_link_is_a_label() -> None:
    text = (
        "- Generating Wikipedia by Summarizing Long Sequences [[arXiv](https://arxiv.org/abs/1801.10198)]\n"
        "- Nested LSTMs [[arXiv](https://arxiv.org/abs/1801.10308)]\n"
        "- [x] Deep Deterministic Policy Gradient (DDPG) [[4]](http://arxiv.org/abs/1509.02971)\n"
    )
    assert [(c.title, c.label) for c in _cited(text)] == [
        (None, "Generating Wikipedia by Summarizing Long Sequences"),
        (None, "Nested LSTMs"),
        (None, "Deep Deterministic Policy Gradient (DDPG)"),
    ]


def test_a_sentence_before_a_link_saying_paper_is_no_title() -> None:
    text = (
        "If you want to use some of this in your own work, you can cite our "
        "[paper](http://arxiv.org/abs/1609.02907) on Graph Convolutional Networks:\n"
    )
    cited = _only(text)
    assert (cited.title, cited.label) == (None, None)


def test_bracketed_author_year_link_text_is_authors_and_year() -> None:
    cited = _only("Memory helps QA [(Weston et al., 2015)](https://arxiv.org/abs/1410.3916) a lot.\n")
    assert (cited.label, cited.authors, cited.year) == (None, ("Weston", "et al."), 2015)


def test_a_method_and_its_lab_before_a_paper_link_is_a_label() -> None:
    html = (
        '<ul><li>Fast R-CNN, Microsoft Research <a href="http://arxiv.org/pdf/1504.08083">[Paper]</a></li>'
        '<li>End-to-end people detection in crowded scenes <a href="http://arxiv.org/abs/1506.04878">[Paper]</a></li></ul>'
    )
    assert [(c.title, c.label) for c in _cited(html, "html")] == [
        (None, "Fast R-CNN, Microsoft Research"),
        (None, "End-to-end people detection in crowded scenes"),
    ]


def test_author_year_link_text_with_a_comma_before_et_al_is_authors_and_year() -> None:
    html = '<p>Or use the GRU of <a href="http://arxiv.org/pdf/1406.1078v3.pdf">Cho, et al. (2014)</a> instead.</p>'
    cited = _only(html, "html")
    assert (cited.label, cited.authors, cited.year) == (None, ("Cho", "et al."), 2014)
