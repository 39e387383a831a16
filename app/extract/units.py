"""The references in one block (a heading, a list item, a paragraph, a bibliography entry).

Within a unit that cites one paper (a list item, a heading, an entry, a one-line paragraph) the
title, links and year around the id are one citation: repeated links to the same id there count
once, and a bold title or the link's text becomes the cited title. In running prose every id is
its own reference, and a bold title is a reference of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.extract.arxiv_mentions import IdHints, IdMention, find_mentions, may_hold_ids
from app.extract.bibliography import parse_entry
from app.extract.blocks import BlockKind
from app.extract.candidates import ReferenceDraft
from app.extract.claims import YEAR, author_year, parse_authors
from app.extract.inline import Link, Span, find_bold, find_italic, find_links
from app.extract.mojibake import MojibakeRepair
from app.extract.paper_links import doi_of_link, is_arxiv_url, is_paper_link
from app.extract.titles import (
    _CUE_REACH,
    cites_authors_only,
    cites_what_follows,
    clean_title,
    field_label,
    first_sentence_title,
    is_short_name,
    label_of,
    looks_like_italic_title,
    looks_like_title,
    name_before_citation,
)
from app.extract.trailing_claims import authors_before, claims_after

_YEAR_AFTER = re.compile(rf"^(?:\*\*|__)?\s*[(\[]({YEAR})[)\]]")
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]*>|[*_`]+")
_TRAILER = re.compile(r"^[\s)\].,:;]*$")
_SHORT_LINE = 200
_QUOTE_CHARS = frozenset('"“”„«»')
_COMMA_ET_AL = re.compile(r",\s*(?=et\.?\s+al\b)")
_BRACKETED = re.compile(r"^\s*[(\[]([^()\[\]]*)[)\]]\s*$")
# What may stand before a reading-list item's main link: a checkbox, a number, markup.
_LEAD_IN_START = re.compile(r"^(?:\.\. \[#?\w*\]|\[[ xX]\]|\(?\d{1,3}[.)]|\[\d{1,3}\]|[-*+•>|\s])*")
_LEAD_IN = re.compile(r"^(?:\.\. \[#?\w*\]|\[[ xX]\]|\(?\d{1,3}[.)]|\[\d{1,3}\]|[-*+•>|\s])*$")
# An author-year citation right after a piece of text: " (Schulman et al., 2017)", or the same
# as a link " ([Schulman et al., 2017](https://arxiv.org/abs/1707.06347))".
_CITATION_AFTER = re.compile(
    r"\s{0,3}\(\s*(?:\[(?P<linked>[^\[\]]{1,120})\]\([^()\s]{1,500}\)|(?P<plain>[^()\[\]]{1,120}))\s*\)"
)


def read_block(
    text: str,
    kind: BlockKind,
    start: int,
    end: int,
    bibliography: bool,
    has_ids: bool,
    has_markup: bool,
    repair: MojibakeRepair,
    hints: IdHints,
    has_italic: bool = False,
    names_paper: bool = False,
) -> list[ReferenceDraft]:
    """The references of the block whose content is text[start:end]. `has_ids` and `has_markup`
    say whether the document's hints put an id or a link or bold span there (Markdown only);
    `bibliography` whether the block is a bibliography entry; `has_italic` whether it may hold an
    italic span (Markdown only), `names_paper` whether it is a list item that says "paper"."""
    if not (has_ids or has_markup or bibliography or has_italic or names_paper):
        return []
    unit = kind == "heading" or kind == "item" or bibliography or _is_short_line(text[start:end])
    links = [link for link in find_links(text, start, end) if not link.is_image] if has_markup else []
    mentions = _mentions(text, start, end, links, hints, bibliography) if has_ids else []
    found = _id_candidates(text, mentions, links, repair, start if unit else -1) if mentions else []
    if unit and found:
        found = _one_per_id(found)
        if not bibliography:
            _title_before_url(text, start, end, found, repair)
    bolds = [s for s in find_bold(text, start, end) if _is_title(repair(text[s.start : s.end]))] if has_markup else []
    if bolds:
        bolds = [span for span in bolds if not _inside_id_link(span, found, links)]
    if bolds:
        bolds = _bold_titles(text, bolds, found, links, repair, one_unit=unit and len(found) == 1)
    if bibliography:
        return _bibliography_entry(text, start, end, found, bolds, repair)
    if not found and not bibliography and (has_italic or names_paper):
        bolds = _with_titles_in_prose(text, kind, start, end, bolds, links, has_italic, names_paper, repair)
    if not found and not links:
        return [_title_candidate(text, span.start, span.end, repair) for span in bolds]
    ids = {c.arxiv_id for c in found if c.arxiv_id}
    claims_from = -1  # where a list item's own claims start: after its title, else its reference
    title_start = -1  # where its title starts (claims before it are its authors), -1 for its link
    if unit and len(ids) == 1 and len(bolds) == 1 and found[0].title is None:
        found[0].title = clean_title(repair(text[bolds[0].start : bolds[0].end]))
        found[0].claim(year=_year_after(text, bolds[0].end))
        claims_from = bolds[0].end + 2
        title_start = bolds[0].start - 2
        bolds = []
    if kind == "item" and len(ids) == 1:
        _label_before_marker(text, start, found[0], links, repair)
        item_claims(text, start, end, found[0], links, claims_from, repair, title_start)
    titles = [_title_candidate(text, span.start, span.end, repair) for span in bolds]
    if kind == "item" and not ids and len(bolds) == 1:  # "- S. Lange and M. Riedmiller, **Title**, ESANN, 2010."
        claims = claims_after(repair(text[bolds[0].end + 2 : end]))
        titles[0].claim(authors=authors_before(repair(text[start : bolds[0].start - 2])) or claims.authors)
    found.extend(titles)
    found.extend(_paper_link_titles(text, links, found, repair, unit))
    return found


def item_claims(
    text: str,
    start: int,
    end: int,
    candidate: ReferenceDraft,
    links: Sequence[Link],
    claims_from: int,
    repair: MojibakeRepair,
    title_start: int = -1,
) -> None:
    """The claims of a list item citing one paper (`claims_from`: where they start, -1 for after
    the candidate and its link; `title_start`: where its title starts, -1 for its link). A
    reading-list line: "- [Title](https://arxiv.org/abs/...) — Ting Chen, Kaiming He (2020)",
    "- **Title**. A. Author, B. Author. *NeurIPS 2017*. [[pdf]](...)", "- **Title** (2015), A.
    Author et al. [[pdf]](...)", "- M. Hausknecht and P. Stone, **Title**, arXiv, 2015. [arXiv](...)",
    or an entry with a quoted title: "- Vaswani et al. "Attention is all you need." NeurIPS 2017."."""
    if candidate.title is None and _has_quote(text, start, end):
        entry = parse_entry(repair(text[start:end]))
        if entry.title is not None:
            candidate.claim(title=entry.title, authors=entry.authors, year=entry.year, venue=entry.venue)
            return
    own_links = [lk for lk in links if lk.start <= candidate.start < lk.end]
    if claims_from < 0:
        claims_from = max([candidate.end, *(lk.end for lk in own_links)])
    claims = claims_after(repair(text[claims_from:end]))
    if title_start < 0:
        title_start = min([candidate.start, *(lk.start for lk in own_links)])
    # An item that opens with its authors has its venue and year after the title ("Nature, 2015").
    # Without a title the text before the link may hold it too ("A. Author, Title, arXiv:...").
    known = candidate.title is not None and title_start > start
    before = authors_before(repair(text[start:title_start])) if known else ()
    candidate.claim(authors=before or claims.authors, year=claims.year, venue=claims.venue)


def _has_quote(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds one of _QUOTE_CHARS: a C-speed find for each, without a copy
    (a set intersection walks the item character by character, several times as long)."""
    find = text.find
    return any(find(quote, start, end) >= 0 for quote in _QUOTE_CHARS)


def _mentions(
    text: str, start: int, end: int, links: list[Link], id_hints: IdHints, bibliography: bool
) -> list[IdMention]:
    """The block's ids. When every place an id could be lies in a link target (a reading-list
    line), only the targets are scanned: the grammar's scan costs by the character."""
    hints = id_hints.between(start, end)
    targets = [(link.url_start, link.url_end) for link in links]
    if targets and _all_within(hints, targets):
        mentions: list[IdMention] = []
        for a, b in targets:
            for hint in hints:
                if a <= hint < b:
                    mentions.extend(find_mentions(text, a, b, bibliography=bibliography, hinted=True))
                    break
        return mentions
    return find_mentions(text, start, end, bibliography=bibliography, hinted=True)


def _all_within(hints: Sequence[int], targets: list[tuple[int, int]]) -> bool:
    for hint in hints:
        for a, b in targets:
            if a <= hint < b:
                break
        else:
            return False
    return True


def _is_short_line(content: str) -> bool:
    """A one-line paragraph short enough to be a caption or a title line, not running prose."""
    stripped = content.strip()
    return "\n" not in stripped and len(stripped) <= _SHORT_LINE


def _id_candidates(
    text: str, mentions: list[IdMention], links: list[Link], repair: MojibakeRepair, unit_start: int
) -> list[ReferenceDraft]:
    found: list[ReferenceDraft] = []
    for mention in mentions:
        link = None
        for each in links:
            if each.start <= mention.start < each.end:
                link = each
                break
        # an autolink's text is its target ("<https://arxiv.org/abs/...>"): the id is in the target
        in_text = (
            link is not None
            and link.text_start <= mention.start < link.text_end
            and (link.text_start, link.text_end) != (link.url_start, link.url_end)
        )
        if (
            link is not None
            and in_text
            and any(m.arxiv_id == mention.arxiv_id and link.url_start <= m.start < link.url_end for m in mentions)
        ):
            continue  # "[arXiv:2002.05709](https://arxiv.org/abs/2002.05709)" cites once
        candidate = ReferenceDraft.from_mention(mention)
        if link is not None and not in_text and link.text_start != link.url_start:
            link_text = repair(_MARKUP.sub("", text[link.text_start : link.text_end]))
            claim_link_text(candidate, link_text, text, link.end, leads=leads(text, unit_start, link.start))
        found.append(candidate)
    return found


def leads(text: str, unit_start: int, link_start: int) -> bool:
    """Whether a link opens its unit (after a checkbox or a number at most): a reading-list item
    whose link text is the entry's main text, where even a short text is the cited title."""
    return unit_start >= 0 and _LEAD_IN.match(_MARKUP.sub("", text[unit_start:link_start])) is not None


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
        if _is_title(named[0]) and not is_short_name(clean_title(named[0])):
            candidate.title = clean_title(named[0])
        else:
            candidate.claim(label=label_of(named[0]))
        return
    if cites_authors_only(link_text):  # "Kipf & Welling", "Bruna et al."
        candidate.claim(authors=parse_authors(link_text))
        return
    if _is_title(link_text) and (leads or not is_short_name(clean_title(link_text))):
        candidate.title = clean_title(link_text)
        year = _year_after(text, link_end)
        if year is not None:  # claiming nothing changes nothing
            candidate.claim(year=year)
    else:
        candidate.claim(label=label_of(link_text))


def _one_per_id(found: list[ReferenceDraft]) -> list[ReferenceDraft]:
    seen: set[str] = set()
    kept: list[ReferenceDraft] = []
    for candidate in found:
        if candidate.arxiv_id is not None:
            if candidate.arxiv_id in seen:
                continue
            seen.add(candidate.arxiv_id)
        kept.append(candidate)
    return kept


def _title_before_url(text: str, start: int, end: int, found: list[ReferenceDraft], repair: MojibakeRepair) -> None:
    """ "Self-Supervised Learning without Contrastive Pairs (https://arxiv.org/pdf/2102.06810.pdf)";
    a name and its acronym ("Deep Q Network (DQN) <https://...>") or a name before a colon
    ("Dueling DQN: https://arxiv.org/abs/1511.06581") is a label."""
    if len(found) != 1 or found[0].title is not None:
        return
    candidate = found[0]
    before = text[start : candidate.start].rstrip()
    if before.endswith("](") or not before.endswith(("(", "[", "<", ":")):
        return
    # reStructuredText's link "`Title <https://arxiv.org/abs/...>`_, Mnih et al, 2016."
    opening = before.rfind("`") if before.endswith("<") and text.startswith(">`_", candidate.end) else -1
    if opening < 0 and not _TRAILER.match(text[candidate.end : end]):
        return
    title = repair(_MARKUP.sub("", before[opening + 1 : -1]).strip(" -–—:"))
    if opening >= 0 and not leads(text, start, opening):
        if _is_title(title) and not is_short_name(clean_title(title)):
            candidate.title = clean_title(title)
        else:
            candidate.claim(label=label_of(title))
    elif before.endswith(":"):
        # "Dueling DQN: https://...", "RMSProp: https://..."; one plain capitalised word before a
        # colon opens a sentence or a note ("Fine: ...", "Note: ...", "Code: ..."), not a name
        if " " in title or any(char.isupper() or char.isdigit() for char in title[1:]):
            candidate.claim(label=label_of(title))
    elif _is_title(title) and not (title.endswith(")") and is_short_name(clean_title(title))):
        candidate.title = clean_title(title)
    else:
        candidate.claim(label=label_of(title))


def _label_before_marker(
    text: str, start: int, candidate: ReferenceDraft, links: list[Link], repair: MojibakeRepair
) -> None:
    link = next((lk for lk in links if lk.url_start <= candidate.start < lk.url_end), None)
    if link is not None and link.text_start != link.url_start:  # not an autolink
        label_before_marker(text, start, candidate, link.text_start, link.text_end, links[0].start, repair)


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
    marker = _MARKUP.sub("", text[text_start:text_end])
    if label_of(marker) is not None or _is_title(marker):
        return
    before = _MARKUP.sub("", text[start:first_link])
    before = repair(_LEAD_IN_START.sub("", before).strip(" ,;:-–—(["))
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


def _with_titles_in_prose(
    text: str,
    kind: BlockKind,
    start: int,
    end: int,
    bolds: list[Span],
    links: list[Link],
    has_italic: bool,
    names_paper: bool,
    repair: MojibakeRepair,
) -> list[Span]:
    """The bold titles of a block that cites no arXiv id, with the titles set in italics ("See:
    *NIPS 2016 Tutorial: Generative Adversarial Networks*") and, in a list item without markup
    that speaks of a paper, its first sentence when that is a title; in document order."""
    spans = list(bolds)
    if has_italic:
        spans.extend(
            span
            for span in find_italic(text, start, end)
            if not any(link.start <= span.start < link.end for link in links)
            and not any(bold.start - 2 <= span.start < bold.end + 2 for bold in bolds)
            and cites_what_follows(text[max(start, span.start - 1 - _CUE_REACH) : span.start - 1])
            and looks_like_italic_title(repair(text[span.start : span.end]))
        )
    if names_paper and kind == "item" and not spans and not links:
        where = first_sentence_title(repair(text[start:end]))
        if where is not None:
            spans.append(Span(start + where[0], start + where[1]))
    return sorted(spans)


def _bold_titles(
    text: str, bolds: list[Span], found: list[ReferenceDraft], links: list[Link], repair: MojibakeRepair, one_unit: bool
) -> list[Span]:
    """The bold spans that are titles. A bold field of an entry ("**Algorithm: A3C.**") and a bold
    name followed by an author-year citation ("**Proximal Policy Optimization** (Schulman et al.,
    2017)") are names: the label of the paper the citation links to (or of the unit's one
    paper), never a title reference of their own."""
    titles: list[Span] = []
    for span in bolds:
        bold = repair(text[span.start : span.end])
        label = field_label(bold)
        citation = None if label is not None else _CITATION_AFTER.match(text, span.end + 2, span.end + 400)
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
        if owner is None and one_unit:
            owner = found[0]
        if owner is not None:
            owner.claim(label=label)
    return titles


def _bibliography_entry(
    text: str, start: int, end: int, found: list[ReferenceDraft], bolds: list[Span], repair: MojibakeRepair
) -> list[ReferenceDraft]:
    entry, offsets = repair.with_map(text[start:end])
    claims = parse_entry(entry)
    with_id = [c for c in found if c.arxiv_id is not None]
    if with_id:
        with_id[0].claim(title=claims.title, authors=claims.authors, year=claims.year, venue=claims.venue)
        return found
    if claims.title is not None:
        title_end = claims.title_start + claims.title_length
        title = ReferenceDraft(
            "title", start + offsets.to_source(claims.title_start), start + offsets.to_source_end(title_end)
        )
        title.title = claims.title
        title.claim(authors=claims.authors, year=claims.year, venue=claims.venue)
        return [*found, title]
    return found + [_title_candidate(text, span.start, span.end, repair) for span in bolds]


def _title_candidate(text: str, start: int, end: int, repair: MojibakeRepair) -> ReferenceDraft:
    candidate = ReferenceDraft("title", start, end, title=clean_title(repair(text[start:end])))
    candidate.claim(year=_year_after(text, end))
    return candidate


def _paper_link_titles(
    text: str, links: list[Link], found: list[ReferenceDraft], repair: MojibakeRepair, unit: bool
) -> list[ReferenceDraft]:
    """Titles of links to other paper sites (no arXiv id). In a sentence a short link text is a
    name ("[ResNet](...pdf)"): a label, which alone makes no reference."""
    titles: list[ReferenceDraft] = []
    for link in links:
        url = text[link.url_start : link.url_end]
        if is_arxiv_url(url) or not is_paper_link(url):
            continue
        if any(link.start <= c.start < link.end for c in found):
            continue
        label = text[link.text_start : link.text_end]
        if _MARKUP.sub("", label) == label and _is_title(label) and (unit or not is_short_name(clean_title(label))):
            candidate = _title_candidate(text, link.text_start, link.text_end, repair)
            candidate.doi = doi_of_link(url)
            candidate.claim(year=_year_after(text, link.end))
            titles.append(candidate)
    return titles


def _inside_id_link(span: Span, found: list[ReferenceDraft], links: list[Link]) -> bool:
    """A bold span that is (or is inside) the text of a link to an arXiv paper is that link's title."""
    for link in links:
        if link.text_start - 2 <= span.start and span.end <= link.text_end + 2:
            return any(link.url_start <= c.start < link.url_end for c in found)
    return False


def _year_after(text: str, end: int) -> int | None:
    after = text[end : end + 12].lstrip(" ")
    # _YEAR_AFTER's match opens with "**", "__", a bracket or other whitespace: most texts after
    # a title open with none of them (" — Authors", ". Authors"), and the test is cheaper than the match
    first = after[:1]
    if not first or not (first in "*_([" or first.isspace()):
        return None
    match = _YEAR_AFTER.match(after)
    return int(match.group(1)) if match else None


_is_title = looks_like_title  # a name that says what read_block asks; no call in between
