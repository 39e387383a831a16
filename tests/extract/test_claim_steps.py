"""The claim stage's rules one at a time, each on a small real example, and the chain's order."""

from __future__ import annotations

from app.extract.candidates import ReferenceDraft
from app.extract.claims import ENTRY_STEPS, UNIT_STEPS, read_claims
from app.extract.claims_dates import year_after
from app.extract.mojibake import NO_REPAIR
from app.extract.title_rules import claim_link_text
from app.extract.unit_spans import read_unit


def _draft() -> ReferenceDraft:
    return ReferenceDraft("arxiv_url", 0, 0, arxiv_id="1707.06347")


def test_every_claim_step_states_its_rule() -> None:
    for step in (*UNIT_STEPS, *ENTRY_STEPS):
        assert step.__doc__, step.__name__


def test_link_text_opening_its_unit_is_the_title_however_short() -> None:
    draft = _draft()
    claim_link_text(draft, "Policy Distillation", "", 0, leads=True)
    assert (draft.title, draft.label) == ("Policy Distillation", None)


def test_the_same_link_text_in_a_sentence_is_a_label() -> None:
    draft = _draft()
    claim_link_text(draft, "Policy Distillation", "", 0, leads=False)
    assert (draft.title, draft.label) == (None, "Policy Distillation")


def test_author_year_link_text_is_authors_and_year_not_a_title() -> None:
    draft = _draft()
    claim_link_text(draft, "(Schulman et al., 2017)", "", 0)
    assert (draft.title, draft.authors, draft.year) == (None, ("Schulman", "et al."), 2017)


def test_a_bracketed_year_right_after_a_title_is_its_year() -> None:
    text = "**Deep Residual Learning** (2015), K. He et al."
    assert year_after(text, text.index("**", 2)) == 2015
    assert year_after("Title, 2015", 5) is None


def test_a_list_items_claims_are_read_from_its_link_and_the_text_after_it() -> None:
    text = (
        "[Proximal Policy Optimization Algorithms](https://arxiv.org/abs/1707.06347)"
        " — John Schulman, Filip Wolski (2017)"
    )
    unit = read_unit(
        text, "item", 0, len(text), bibliography=False, has_markup=True, has_italic=False, names_paper=False
    )
    start = text.index("https")
    draft = ReferenceDraft("arxiv_url", start, text.index(")", start), arxiv_id="1707.06347")
    (cited,) = read_claims(unit, [draft], NO_REPAIR)
    assert cited.title == "Proximal Policy Optimization Algorithms"
    assert (cited.authors, cited.year) == (("John Schulman", "Filip Wolski"), 2017)
