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
from app.extract.candidates import Candidate
from app.extract.claims import YEAR, author_year
from app.extract.inline import Link, Span, find_bold, find_links
from app.extract.mojibake import MojibakeRepair
from app.extract.paper_links import doi_of_link, is_arxiv_url, is_paper_link
from app.extract.titles import clean_title, looks_like_title
from app.extract.trailing_claims import authors_before, cited_as_suffix, claims_after

_YEAR_AFTER = re.compile(rf"^(?:\*\*|__)?\s*[(\[]({YEAR})[)\]]")
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]*>|[*_`]+")
_TRAILER = re.compile(r"^[\s)\].,:;]*$")
_SHORT_LINE = 200
_QUOTE_CHARS = frozenset('"“”„«»')


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
) -> list[Candidate]:
    """The references of the block whose content is text[start:end]. `has_ids` and `has_markup`
    say whether the document's hints put an id or a link or bold span there (Markdown only);
    `bibliography` whether the block is a bibliography entry."""
    if not (has_ids or has_markup or bibliography):
        return []
    unit = kind == "heading" or kind == "item" or bibliography or _is_short_line(text[start:end])
    links = [link for link in find_links(text, start, end) if not link.is_image] if has_markup else []
    mentions = _mentions(text, start, end, links, hints, bibliography) if has_ids else []
    found = _id_candidates(text, mentions, links, repair) if mentions else []
    if unit and found:
        found = _one_per_id(found)
        if not bibliography:
            _title_before_url(text, start, end, found, repair)
    bolds = [s for s in find_bold(text, start, end) if _is_title(repair(text[s.start : s.end]))] if has_markup else []
    if bolds:
        bolds = [span for span in bolds if not _inside_id_link(span, found, links)]
    if bibliography:
        return _bibliography_entry(text, start, end, found, bolds, repair)
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
        item_claims(text, start, end, found[0], links, claims_from, repair, title_start)
    titles = [_title_candidate(text, span.start, span.end, repair) for span in bolds]
    if kind == "item" and not ids and len(bolds) == 1:  # "- S. Lange and M. Riedmiller, **Title**, ESANN, 2010."
        claims = claims_after(repair(text[bolds[0].end + 2 : end]))
        titles[0].claim(authors=authors_before(repair(text[start : bolds[0].start - 2])) or claims.authors)
    found.extend(titles)
    found.extend(_paper_link_titles(text, links, found, repair))
    return found


def item_claims(
    text: str,
    start: int,
    end: int,
    candidate: Candidate,
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


def _id_candidates(text: str, mentions: list[IdMention], links: list[Link], repair: MojibakeRepair) -> list[Candidate]:
    found: list[Candidate] = []
    for mention in mentions:
        link = None
        for each in links:
            if each.start <= mention.start < each.end:
                link = each
                break
        in_text = link is not None and link.text_start <= mention.start < link.text_end
        if (
            link is not None
            and in_text
            and any(m.arxiv_id == mention.arxiv_id and link.url_start <= m.start < link.url_end for m in mentions)
        ):
            continue  # "[arXiv:2002.05709](https://arxiv.org/abs/2002.05709)" cites once
        candidate = Candidate.from_mention(mention)
        if link is not None and not in_text:
            claim_link_text(candidate, repair(_MARKUP.sub("", text[link.text_start : link.text_end])), text, link.end)
        found.append(candidate)
    return found


def claim_link_text(candidate: Candidate, label: str, text: str, link_end: int) -> None:
    """The text of the link the candidate's id is the target of: its title, or whom it cites."""
    if (suffix := cited_as_suffix(label)) is not None:  # "Ladder Variational Autoencoders (Sønderby 2016)"
        label = suffix[0]
        candidate.claim(authors=suffix[1], year=suffix[2])
    # a title never reads as an author-year citation ("Chen et al., 2020"): test it first
    if _is_title(label) and not may_hold_ids(label):
        candidate.title = clean_title(label)
        year = _year_after(text, link_end)
        if year is not None:  # claiming nothing changes nothing
            candidate.claim(year=year)
    elif (cited_as := author_year(label)) is not None:
        candidate.claim(authors=cited_as[0], year=cited_as[1])


def _one_per_id(found: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    kept: list[Candidate] = []
    for candidate in found:
        if candidate.arxiv_id is not None:
            if candidate.arxiv_id in seen:
                continue
            seen.add(candidate.arxiv_id)
        kept.append(candidate)
    return kept


def _title_before_url(text: str, start: int, end: int, found: list[Candidate], repair: MojibakeRepair) -> None:
    """ "Self-Supervised Learning without Contrastive Pairs (https://arxiv.org/pdf/2102.06810.pdf)"."""
    if len(found) != 1 or found[0].title is not None:
        return
    candidate = found[0]
    before = text[start : candidate.start].rstrip()
    if before.endswith("](") or not before.endswith(("(", "[", "<")) or not _TRAILER.match(text[candidate.end : end]):
        return
    title = repair(_MARKUP.sub("", before[:-1]).strip(" -–—:"))
    if _is_title(title):
        candidate.title = clean_title(title)


def _bibliography_entry(
    text: str, start: int, end: int, found: list[Candidate], bolds: list[Span], repair: MojibakeRepair
) -> list[Candidate]:
    entry, offsets = repair.with_map(text[start:end])
    claims = parse_entry(entry)
    with_id = [c for c in found if c.arxiv_id is not None]
    if with_id:
        with_id[0].claim(title=claims.title, authors=claims.authors, year=claims.year, venue=claims.venue)
        return found
    if claims.title is not None:
        title_end = claims.title_start + claims.title_length
        title = Candidate(
            "title", start + offsets.to_source(claims.title_start), start + offsets.to_source_end(title_end)
        )
        title.title = claims.title
        title.claim(authors=claims.authors, year=claims.year, venue=claims.venue)
        return [*found, title]
    return found + [_title_candidate(text, span.start, span.end, repair) for span in bolds]


def _title_candidate(text: str, start: int, end: int, repair: MojibakeRepair) -> Candidate:
    candidate = Candidate("title", start, end, title=clean_title(repair(text[start:end])))
    candidate.claim(year=_year_after(text, end))
    return candidate


def _paper_link_titles(text: str, links: list[Link], found: list[Candidate], repair: MojibakeRepair) -> list[Candidate]:
    titles: list[Candidate] = []
    for link in links:
        url = text[link.url_start : link.url_end]
        if is_arxiv_url(url) or not is_paper_link(url):
            continue
        if any(link.start <= c.start < link.end for c in found):
            continue
        label = text[link.text_start : link.text_end]
        if _MARKUP.sub("", label) == label and _is_title(label):
            candidate = _title_candidate(text, link.text_start, link.text_end, repair)
            candidate.doi = doi_of_link(url)
            candidate.claim(year=_year_after(text, link.end))
            titles.append(candidate)
    return titles


def _inside_id_link(span: Span, found: list[Candidate], links: list[Link]) -> bool:
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
