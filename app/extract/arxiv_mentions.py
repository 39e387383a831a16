"""arXiv ids, URLs and DOIs in a stretch of text, kept only where they really cite a paper.

The grammar is clients.arxiv.ids (find_id_spans); this module decides which of its spans are
references here. A bare id ("2002.05709") is a reference only where the document marks it as
one: after "arXiv" ("arXiv preprint 2002.05709"), in brackets ("[hep-ph/9805268]"), as an old-style
id with its archive, or inside a bibliography entry. Spans inside another site's URL or another
publisher's DOI ("10.1109/ACCESS.2020.2004.07871") are not arXiv references.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple

from app.extract.model import ReferenceKind
from clients.arxiv import ARXIV_DOI_PREFIX, ArxivId, IdSpanFields, MalformedIdError, fold, id_span_fields, parse_id

_ARXIV_BEFORE = re.compile(r"arxiv(?:\s+preprint)?(?:\s+e-?prints?)?(?:\s*(?:no\.|id|number))?\s*[,:]?\s*\[?\s*$", re.I)
_URL_START = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'()\[\]]*$", re.I)
_ARXIV_HOST = re.compile(r"(?:^|[/.@])arxiv\.org(?:[:/]|$)", re.I)
_DOI_BEFORE = re.compile(r"\b10\.\d{4,9}/\S*$")
_LOOKBEHIND = 40
# An id passed to a call or field named for arXiv: Ruby's `arxiv(2016, '1611.09321')`, Python's
# `arxiv_id="1611.09321"`, YAML's `arxiv: 1611.09321` (an optional year argument before it).
_ARXIV_ARGUMENT = re.compile(r"\barxiv[_-]?(?:id)?\s*(?:\(\s*(?:\d{4}\s*,\s*)?|=\s*|:\s*)[\'\"]?$", re.I)
# DBLP's way of citing an arXiv paper in a reference list: "CoRR, abs/1502.05477", and as natbib
# styles render it, "arXiv e-prints, abs/1605.02688". The grammar rightly takes no id after a "/".
_DBLP_ABS = re.compile(
    r"\b(?:corr|arxiv(?:\s+e-?prints?)?)\s*,?\s*(?:vol(?:ume)?\.?\s*)?abs/(\d{4}\.\d{4,5}(?:v\d+)?)(?![\w.])", re.I
)
_COMMENT_LINE = re.compile(r"[ \t]*(?:#|//|%|--|;)")
_PDF_SUFFIX = re.compile(r"\.pdf(?=\W)", re.I)
_MARKUP_AFTER_PREFIX = re.compile(r":\s*[{\\]")
# "arXiv:" (spelt "ar{X}iv" to keep BibTeX's capitals) then LaTeX font markup: "ar{X}iv:{\tt 1012.2599}"
_ARXIV_LATEX_BEFORE = re.compile(r"ar\{?x\}?iv\s*:?\s*(?:\{?\\[a-z]+\s*\{?\s*)+$", re.I)
_PREPRINT = re.compile(r"ar\{?x\}?iv\s+preprint\s+(?=ar\{?x\}?iv|\d|[a-z])", re.I)
_GLUED_MARKUP = re.compile(r"[{}*_~|\\]")


class IdMention(NamedTuple):  # a tuple: built once per id the document holds, and cheaply
    """One arXiv reference found in text; offsets are in the text searched."""

    start: int
    end: int
    kind: ReferenceKind
    arxiv_id: str | None
    version: int | None
    doi: str | None
    malformed_reason: str | None


# What an eprint field holds when someone meant an arXiv id: no spaces, and digits.
_ID_SHAPED = re.compile(r"(?i:arxiv:)?[\w.\-/]*\d[\w.\-/]*")


def eprint_mentions(value: str) -> list[IdMention]:
    """The id of an arXiv eprint field (BibTeX, biblatex): the whole value is meant as one, so an
    id-shaped value that is no valid id ("1713.00001") is a malformed reference, not nothing."""
    found = find_mentions(value, bibliography=True)
    stripped = value.strip()
    if found or not _ID_SHAPED.fullmatch(stripped):
        return found
    try:
        parse_id(stripped)
    except MalformedIdError as error:
        start = len(value) - len(value.lstrip())
        return [IdMention(start, start + len(stripped), "arxiv_id", None, None, None, error.reason)]
    return []  # a valid id that find_mentions passed over is not ours to second-guess


def find_mentions(
    text: str, start: int = 0, end: int | None = None, *, bibliography: bool = False, hinted: bool = False
) -> list[IdMention]:
    """The arXiv references in text[start:end], in order (`hinted`: may_hold_ids said yes)."""
    end = len(text) if end is None else end
    if not text.isascii():
        # Full-width and other non-ASCII digits and letters are read as ASCII (fold keeps every
        # offset), in a window wide enough for what _judge looks at around a span.
        window_start, window_end = max(0, start - _LOOKBEHIND), min(len(text), end + 1)
        window = text[window_start:window_end]
        if not window.isascii() and (folded := fold(window)) != window:
            return [m._replace(start=m.start + window_start, end=m.end + window_start)
                    for m in find_mentions(folded, start - window_start, end - window_start,
                                           bibliography=bibliography, hinted=hinted)]
    if not hinted and not may_hold_ids(text, start, end):
        return []
    segment = text[start:end]
    mentions: list[IdMention] = []
    for span in id_span_fields(segment):
        mention = _judge(span, text, start, bibliography)
        if mention is not None:
            mentions.append(mention)
    if "abs/" in segment:
        mentions = _with_dblp_ids(mentions, segment, start)
    return mentions


def _with_dblp_ids(mentions: list[IdMention], segment: str, offset: int) -> list[IdMention]:
    """`mentions` with the ids DBLP's "CoRR, abs/…" form cites in `segment`, in order."""
    added = False
    for match in _DBLP_ABS.finditer(segment):
        start, end = offset + match.start(1), offset + match.end(1)
        if any(m.start < end and start < m.end for m in mentions):
            continue
        try:
            arxiv_id = parse_id(match.group(1))
        except MalformedIdError as error:
            mentions.append(IdMention(start, end, "arxiv_id", None, None, None, error.reason))
        else:
            mentions.append(IdMention(start, end, "arxiv_id", arxiv_id.base, arxiv_id.version, None, None))
        added = True
    if added:
        mentions.sort(key=lambda mention: (mention.start, mention.end))
    return mentions


# Every arXiv id and every way of writing one holds a new-style "NNNN.NNNN", an old-style
# "/NNNNNNN" or "arXiv" in some case (read after fold: full-width forms as ASCII).
_HINT = re.compile(r"\d{4}\.\d{4}|/\d{7}|(?i:arxiv)")


def may_hold_ids(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] could hold an arXiv id at all (a first look before the grammar's scan)."""
    return _HINT.search(fold(text[start:end])) is not None


def _judge(span: IdSpanFields, text: str, offset: int, bibliography: bool) -> IdMention | None:
    span_start, span_end, span_text, form, arxiv_id, reason = _tidy(span)
    if form == "prefixed" and arxiv_id is None and _MARKUP_AFTER_PREFIX.search(span_text):
        # "ar{X}iv:{\tt 1012.2599}": the prefix is followed by LaTeX markup, not by a wrong id; the
        # id after the markup is read on its own
        return None
    start, end = offset + span_start, offset + span_end
    kind: ReferenceKind
    if form == "url":
        kind = "arxiv_url"
    elif form == "doi":
        kind = "doi"
    else:
        before = text[max(0, start - _LOOKBEHIND) : start]
        if _inside_foreign_url(before) or _inside_foreign_doi(before):
            return None
        if form == "bare" and not _bare_is_cited(arxiv_id, text, end, before, bibliography):
            return None
        kind = "arxiv_id"
    if arxiv_id is None:
        return IdMention(start, end, kind, None, None, None, reason)
    doi = arxiv_id.doi if kind == "doi" else None
    return IdMention(start, end, kind, arxiv_id.base, arxiv_id.version, doi, None)


def _tidy(span: IdSpanFields) -> IdSpanFields:
    """The span as the reference's text: "arXiv preprint arXiv:1810.04805" is cited by its id
    ("arXiv:1810.04805"), and a URL ends where LaTeX or Markdown markup glued to it begins
    ("https://arxiv.org/abs/2001.08361}{arXiv:...", "https://arxiv.org/abs/1706.03762**")."""
    start, end, span_text, form, arxiv_id, reason = span
    if form == "prefixed":
        preprint = _PREPRINT.match(span_text)
        if preprint is not None:
            cut = preprint.end()
            return start + cut, end, span_text[cut:], form, arxiv_id, reason
    if form == "url" and arxiv_id is None:
        glued = _GLUED_MARKUP.search(span_text)
        if glued is None or glued.start() == 0:
            # junk after a pdf link's ".pdf" ("…/pdf/1112.6209.pdf&embed"): the id is whole before it
            glued = _PDF_SUFFIX.search(span_text)
            cut = glued.end() if glued is not None else 0
        else:
            cut = glued.start()
        if cut > 0:
            text = span_text[:cut]
            try:
                arxiv_id, reason = parse_id(text), None
            except MalformedIdError as error:
                arxiv_id, reason = None, error.reason
            return start, start + len(text), text, form, arxiv_id, reason
    return span


def _bare_is_cited(arxiv_id: ArxivId | None, text: str, end: int, before: str, bibliography: bool) -> bool:
    if _ARXIV_BEFORE.search(before) or _ARXIV_LATEX_BEFORE.search(before):
        return True
    if _ARXIV_ARGUMENT.search(before):
        # a call on a commented-out line ("#arxiv(2014, '1412.6980')") is not one the document makes
        line_start = text.rfind("\n", 0, end) + 1
        return _COMMENT_LINE.match(text, line_start) is None
    previous = before.rstrip()[-1:]
    following = text[end : end + 1]
    if previous == "[" and following in ("]", "[", " "):
        return True
    if arxiv_id is not None and arxiv_id.is_old_style:
        return True
    return bibliography and arxiv_id is not None


def _inside_foreign_url(before: str) -> bool:
    url = _URL_START.search(before)
    return url is not None and not _ARXIV_HOST.search(url.group().split("?")[0])


def _inside_foreign_doi(before: str) -> bool:
    doi = _DOI_BEFORE.search(before)
    return doi is not None and not doi.group().lower().startswith(ARXIV_DOI_PREFIX.lower())


class IdHints:
    """Where ids could be in text[start:end] (_HINT's matches, as offsets in `text`), so that a
    block's reading can tell which of its parts to scan."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.positions = [start + match.start() for match in _HINT.finditer(fold(text[start:end]))]

    def within(self, start: int, end: int) -> bool:
        return bool(self.between(start, end))

    def between(self, start: int, end: int) -> Sequence[int]:
        positions = self.positions
        return positions[bisect_left(positions, start) : bisect_left(positions, end)]
