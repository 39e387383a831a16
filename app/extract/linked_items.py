"""A list item whose only markup is one Markdown link to an arXiv abstract page, recognised in one
match: "- [Title](https://arxiv.org/abs/2002.05709) — Ting Chen, Kaiming He (2020)".

The general reading of a block (units.read_block) looks for links, ids and bold spans in scans of
their own, then works out which link holds which id. For an item of this shape every one of those
answers is known from the match and the document's hint positions: one link, not an image, whose
target is the item's only id and holds every place an id could be; no bold span, autolink or HTML
anchor; link text without markup to remove. What the item claims around the link is then read by
the same functions the general reading uses.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left

from app.extract.arxiv_mentions import PLAIN_ABS_URL, abs_url_mention
from app.extract.candidates import ReferenceDraft
from app.extract.mojibake import MojibakeRepair
from app.extract.units import claim_link_text, item_claims, label_before_marker, leads
from clients.arxiv.ids import PLAIN_ABS_PREFIX, PLAIN_NEW_ID, plain_new_base, plain_new_id

# Before the link no bracket (so the link is the item's first, and no other link can start
# earlier) and no "<" anywhere (find_links looks for autolinks and anchors only where one is);
# the link text holds no bracket, escape or character the markup removal in units.py acts on.
# The URL's id is also taken as a whole PLAIN_NEW_ID where it is one (the commonest case): then
# plain_new_id's match of the target is not needed.
_SHAPE = re.compile(
    rf"[^\[\]<]*(?<!!)\[([^\[\]\\<*_`]*)\]\("
    rf"({PLAIN_ABS_PREFIX}(?P<plain>{PLAIN_NEW_ID})(?=\))|{PLAIN_ABS_URL})\)[^<]*"
)


def read_linked_item(
    text: str,
    start: int,
    end: int,
    id_positions: array[int],
    first_id: int,
    markup_positions: array[int],
    first_markup: int,
    repair: MojibakeRepair,
) -> list[ReferenceDraft] | None:
    """What units.read_block finds in the list item text[start:end] when the item has this
    module's shape (one candidate, the link's, with the claims of its text and of the rest of the
    item), else None. `id_positions` and `markup_positions` are the document's IdHints and
    MarkupHints positions, `first_id` and `first_markup` the index of the first at or after `start`
    in each."""
    # The link's "](" is one markup hint; any other ("**", "__", a second link) needs the full reading.
    if first_markup + 1 < len(markup_positions) and markup_positions[first_markup + 1] < end:
        return None
    match = _SHAPE.fullmatch(text, start, end)
    if match is None:
        return None
    url_start, url_end = match.span(2)
    # Every place an id could start must lie in the target: then the target is the only place read.
    last = bisect_left(id_positions, end, first_id) - 1
    if last < first_id or id_positions[first_id] < url_start or id_positions[last] >= url_end:
        return None
    plain = match["plain"]
    base = plain_new_base(plain) if plain is not None else plain_new_id(text, url_start, url_end)
    # a valid five-digit id (most are): the candidate abs_url_mention's mention would make
    candidate = (
        ReferenceDraft("arxiv_url", url_start, url_end, base)
        if base is not None
        else ReferenceDraft.from_mention(abs_url_mention(text, url_start, url_end))
    )
    text_start, text_end = match.span(1)
    link_end = url_end + 1
    # the link text holds none of the markup read_block removes from it before reading it
    claim_link_text(candidate, repair(text[text_start:text_end]), text, link_end, leads(text, start, text_start - 1))
    if candidate.arxiv_id is not None:
        label_before_marker(text, start, candidate, text_start, text_end, text_start - 1, repair)
        item_claims(text, start, end, candidate, (), link_end, repair, text_start - 1)
    return [candidate]
