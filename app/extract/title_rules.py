"""Claims stage, title or label: which piece of a unit's text is the cited title, which a name.

A document calls a paper by its title where it lists it (a reading-list item, a bibliography
entry, a bold title followed by its authors) and by a name where it uses it (a sentence, a
checklist of methods, a citation after a method's name). Each rule here takes one kind of piece
of a unit and says which it is: the text of a link to the paper (claim_link_text), the text before
a bare URL (title_before_url), the text before a link that only says it is a link
(label_before_marker), a bold span (bold_titles), an italic span or a first sentence in prose
(prose_titles), the text of a link to another paper site (paper_link_titles). What reads like a
title is titles.py's, what reads like a name labels.py's; claims.py runs these rules in order.
"""

from __future__ import annotations

import re

from app.extract.arxiv_mentions import may_hold_ids
from app.extract.candidates import ReferenceDraft
from app.extract.claims_authors import author_year, parse_authors
from app.extract.claims_dates import year_after
from app.extract.inline import Link, Span, find_italic
from app.extract.labels import cites_authors_only, field_label, is_short_name, label_of, name_before_citation
from app.extract.mojibake import MojibakeRepair
from app.extract.paper_links import doi_of_link, is_arxiv_url, is_paper_link
from app.extract.titles import (
    cites_what_follows,
    clean_title,
    first_sentence_title,
    looks_like_italic_title,
    looks_like_title,
)
from app.extract.unit_spans import Unit, leads, without_lead_in, without_markup

_TRAILER = re.compile(r"^[\s)\].,:;]*$")
_COMMA_ET_AL = re.compile(r",\s*(?=et\.?\s+al\b)")
_BRACKETED = re.compile(r"^\s*[(\[]([^()\[\]]*)[)\]]\s*$")
# An author-year citation right after a piece of text: " (Schulman et al., 2017)", or the same
# as a link " ([Schulman et al., 2017](https://arxiv.org/abs/1707.06347))".
_CITATION_AFTER = re.compile(
    r"\s{0,3}\(\s*(?:\[(?P<linked>[^\[\]]{1,120})\]\([^()\s]{1,500}\)|(?P<plain>[^()\[\]]{1,120}))\s*\)"
)


def claim_link_text(candidate: ReferenceDraft, link_text: str, text: str, link_end: int, leads: bool = True) -> None:
    """The text of the link the candidate's id is the target of: its title, its label, or whom it
    cites. `leads`: the link opens its unit; elsewhere (in a sentence, after a method's name) a
    short text is a name ("PPO", "Double Q-learning"), a label, not the paper's title."""
    cited_as = author_year(_COMMA_ET_AL.sub(" ", _BRACKETED.sub(r"\1", link_text)))
    if cited_as is not None:  # "Chen et al., 2020", "Bayer & Osendorfer (2015)", "(Weston et al., 2015)"
        candidate.claim(authors=cited_as[0], year=cited_as[1])
        return
    if may_hold_ids(link_text):
        return
    named = name_before_citation(link_text)  # "Variational Autoencoder (Kingma 2013)"
    if named is not None and (cited_as := author_year(named[1])) is not None:
        # "Ladder Variational Autoencoders (Sønderby 2016)" names its title; "Variational
        # Autoencoder (Kingma 2013)" a method
        candidate.claim(authors=cited_as[0], year=cited_as[1])
        if looks_like_title(named[0]) and not is_short_name(clean_title(named[0])):
            candidate.title = clean_title(named[0])
        else:
            candidate.claim(label=label_of(named[0]))
        return
    if cites_authors_only(link_text):  # "Kipf & Welling", "Bruna et al."
        candidate.claim(authors=parse_authors(link_text))
        return
    if looks_like_title(link_text) and (leads or not is_short_name(clean_title(link_text))):
        candidate.title = clean_title(link_text)
        year = year_after(text, link_end)
        if year is not None:  # claiming nothing changes nothing
            candidate.claim(year=year)
    else:
        candidate.claim(label=label_of(link_text))


def title_before_url(unit: Unit, candidate: ReferenceDraft, repair: MojibakeRepair) -> None:
    """ "Self-Supervised Learning without Contrastive Pairs (https://arxiv.org/pdf/2102.06810.pdf)":
    the text before a unit's one bare URL is its title; a name and its acronym ("Deep Q Network
    (DQN) <https://...>") or a name before a colon ("Dueling DQN: https://arxiv.org/abs/1511.06581")
    is a label."""
    text, start = unit.text, unit.start
    before = text[start : candidate.start].rstrip()
    if before.endswith("](") or not before.endswith(("(", "[", "<", ":")):
        return
    # reStructuredText's link "`Title <https://arxiv.org/abs/...>`_, Mnih et al, 2016."
    opening = before.rfind("`") if before.endswith("<") and text.startswith(">`_", candidate.end) else -1
    if opening < 0 and not _TRAILER.match(text[candidate.end : unit.end]):
        return
    title = repair(without_markup(before[opening + 1 : -1]).strip(" -–—:"))
    if opening >= 0 and not leads(text, start, opening):
        if looks_like_title(title) and not is_short_name(clean_title(title)):
            candidate.title = clean_title(title)
        else:
            candidate.claim(label=label_of(title))
    elif before.endswith(":"):
        # "Dueling DQN: https://...", "RMSProp: https://..."; one plain capitalised word before a
        # colon opens a sentence or a note ("Fine: ...", "Note: ...", "Code: ..."), not a name
        if " " in title or any(char.isupper() or char.isdigit() for char in title[1:]):
            candidate.claim(label=label_of(title))
    elif looks_like_title(title) and not (title.endswith(")") and is_short_name(clean_title(title))):
        candidate.title = clean_title(title)
    else:
        candidate.claim(label=label_of(title))


def label_before_marker(
    text: str,
    start: int,
    candidate: ReferenceDraft,
    text_start: int,
    text_end: int,
    first_link: int,
    repair: MojibakeRepair,
) -> None:
    """ "- [x] Double DQN [[3]](http://arxiv.org/abs/1509.06461)", "GoogLeNet [[Paper]](...)": a
    list item whose link to the paper (its text text[text_start:text_end]) says only that it is a link
    (a number, "Paper", "pdf") calls the paper by the text before its first link: a label."""
    if candidate.title is not None or candidate.label is not None or text_start == first_link:
        return
    marker = without_markup(text[text_start:text_end])
    if label_of(marker) is not None or looks_like_title(marker):
        return
    before = without_markup(text[start:first_link])
    before = repair(without_lead_in(before).strip(" ,;:-–—(["))
    if not before or "\n" in before:
        return
    named = name_before_citation(before)  # "Rainbow (Hessel et al., 2017) [arXiv](...)"
    if named is not None and (cited_as := author_year(named[1])) is not None:
        candidate.claim(label=label_of(named[0]), authors=cited_as[0], year=cited_as[1])
    else:
        # a method's name ("Deep Deterministic Policy Gradient (DDPG) [[4]](...)"), a name and
        # its lab ("Fast R-CNN, Microsoft Research [Paper](...)"), or the entry's title ("-
        # Virtual Adversarial Training for ... [[arXiv](...)]": lists written at the time quote
        # titles arXiv has since changed): a label, since nothing marks it as the title
        candidate.claim(label=label_of(before))


def bold_titles(
    unit: Unit, bolds: list[Span], found: list[ReferenceDraft], repair: MojibakeRepair, one_paper: bool
) -> list[Span]:
    """The bold spans that are titles. A bold field of an entry ("**Algorithm: A3C.**") and a bold
    name followed by an author-year citation ("**Proximal Policy Optimization** (Schulman et al.,
    2017)") are names: the label of the paper the citation links to (or of the unit's one
    paper, `one_paper`), never a title reference of their own."""
    titles: list[Span] = []
    for span in bolds:
        bold = repair(unit.text[span.start : span.end])
        label = field_label(bold)
        citation = None if label is not None else _CITATION_AFTER.match(unit.text, span.end + 2, span.end + 400)
        if citation is not None:
            cited = citation.group("linked") or citation.group("plain")
            if author_year(" ".join(cited.split())) is None:
                citation = None
            else:
                label = label_of(bold)
        if label is None and citation is None:
            titles.append(span)
            continue
        owner = None
        if citation is not None and citation.group("linked") is not None:
            owner = next((c for c in found if citation.start() <= c.start < citation.end()), None)
        if owner is None and one_paper:
            owner = found[0]
        if owner is not None:
            owner.claim(label=label)
    return titles


def is_id_link_text(span: Span, unit: Unit, found: list[ReferenceDraft]) -> bool:
    """A bold span that is (or is inside) the text of a link to an arXiv paper is that link's title."""
    for link in unit.links:
        if link.text_start - 2 <= span.start and span.end <= link.text_end + 2:
            return any(link.url_start <= c.start < link.url_end for c in found)
    return False


def prose_titles(unit: Unit, bolds: list[Span], repair: MojibakeRepair) -> list[Span]:
    """The bold titles of a unit that cites no arXiv id, with the titles set in italics ("See:
    *NIPS 2016 Tutorial: Generative Adversarial Networks*") and, in a list item without links
    that speaks of a paper, its first sentence when that is a title; in document order."""
    text, start, end = unit.text, unit.start, unit.end
    spans = list(bolds)
    if unit.has_italic:
        spans.extend(
            span
            for span in find_italic(text, start, end)
            if not any(link.start <= span.start < link.end for link in unit.links)
            and not any(bold.start - 2 <= span.start < bold.end + 2 for bold in bolds)
            and cites_what_follows(text[start : span.start - 1])
            and looks_like_italic_title(repair(text[span.start : span.end]))
        )
    if unit.names_paper and unit.kind == "item" and not spans and not unit.links:
        where = first_sentence_title(repair(text[start:end]))
        if where is not None:
            spans.append(Span(start + where[0], start + where[1]))
    return sorted(spans)


def title_reference(text: str, start: int, end: int, repair: MojibakeRepair) -> ReferenceDraft:
    """A title reference at text[start:end], with the year in brackets right after it."""
    candidate = ReferenceDraft("title", start, end, title=clean_title(repair(text[start:end])))
    candidate.claim(year=year_after(text, end))
    return candidate


def paper_link_titles(unit: Unit, found: list[ReferenceDraft], repair: MojibakeRepair) -> list[ReferenceDraft]:
    """Titles of links to other paper sites (no arXiv id). In a sentence a short link text is a
    name ("[ResNet](...pdf)"): a label, which alone makes no reference."""
    text = unit.text
    titles: list[ReferenceDraft] = []
    for link in unit.links:
        url = text[link.url_start : link.url_end]
        if is_arxiv_url(url) or not is_paper_link(url):
            continue
        if any(link.start <= c.start < link.end for c in found):
            continue
        label = text[link.text_start : link.text_end]
        if without_markup(label) != label or not looks_like_title(label):
            continue
        if unit.cites_one or not is_short_name(clean_title(label)):
            candidate = title_reference(text, link.text_start, link.text_end, repair)
            candidate.doi = doi_of_link(url)
            candidate.claim(year=year_after(text, link.end))
            titles.append(candidate)
    return titles


def link_text_of(link: Link, text: str, repair: MojibakeRepair) -> str:
    """A link's text as claim_link_text reads it: markup removed, mojibake repaired."""
    return repair(without_markup(text[link.text_start : link.text_end]))
