"""The arXiv identifier grammar: every way a paper is named, parsed, validated and normalised.

Rules from arXiv's documentation (help/arxiv_identifier.md) and arxiv-base's Identifier:
- new scheme (from 2007-04): YYMM.NNNN for 0704–1412, YYMM.NNNNN from 1501, optional vN (N ≥ 1);
- old scheme (1991-08 to 2007-03): archive(.SC)?/YYMMNNN; the subject class is dropped in the
  canonical id (math.GT/0309136 → math/0309136);
- accepted wrappings: arXiv: prefixes in any case (also BibTeX's Ar{X}iv:), a trailing [cs.LG],
  URLs on arxiv.org, www.arxiv.org and export.arxiv.org (/abs/, /pdf/ with or without .pdf, /html/,
  /format/), and the DataCite DOI 10.48550/arXiv.<id>.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from clients.arxiv.errors import MalformedIdError

OLD_ARCHIVES = frozenset({
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn",
    "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex",
    "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th",
    "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "q-fin", "solv-int", "stat", "supr-con",
    "quant-ph",
})
# Names seen in the wild without their hyphen (arxiv-base's clean-up does the same).
_ARCHIVE_ALIASES = {"hepth": "hep-th", "hepph": "hep-ph", "hepex": "hep-ex", "heplat": "hep-lat",
                    "astroph": "astro-ph", "condmat": "cond-mat", "grqc": "gr-qc", "quantph": "quant-ph",
                    "mathph": "math-ph", "nuclth": "nucl-th", "nuclex": "nucl-ex"}

_NEW = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d+)(?:[vV](?P<v>\d+))?")
_OLD = re.compile(r"(?P<arch>[A-Za-z][A-Za-z-]*)(?:\.(?P<sc>[A-Za-z]{2}))?/(?P<num>\d+)(?:[vV](?P<v>\d+))?")
_PREFIX = re.compile(r"^\s*ar\{?x\}?iv(?:\s*:\s*|\s+preprint\s+(?:ar\{?x\}?iv\s*:\s*)?)", re.IGNORECASE)
_CATEGORY_SUFFIX = re.compile(r"\s*\[[A-Za-z-]+(?:\.[A-Za-z-]+)?\]\s*$")
_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?P<kind>abs|pdf|html|format)/(?P<rest>[^?#\s]+)"
    r"(?:[?#]\S*)?$", re.IGNORECASE)
# DataCite's prefix registered to arXiv (every DOI under it is an arXiv paper's) and the form of its
# DOIs, "10.48550/arXiv.<id>"; resolvers compare them case-insensitively.
ARXIV_DOI_REGISTRANT = "10.48550/"
ARXIV_DOI_PREFIX = f"{ARXIV_DOI_REGISTRANT}arXiv."

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.(?P<id>\S+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A canonical arXiv id: `base` has no version ("2002.05709", "hep-th/9901001")."""

    base: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        return f"{self.base}v{self.version}" if self.version is not None else self.base

    def __str__(self) -> str:
        return self.versioned

    @property
    def is_old_style(self) -> bool:
        return "/" in self.base

    @property
    def _yymm(self) -> str:
        return self.base.split("/")[1][:4] if self.is_old_style else self.base[:4]

    @property
    def year(self) -> int:
        yy = int(self._yymm[:2])
        return 1900 + yy if yy >= 91 else 2000 + yy

    @property
    def month(self) -> int:
        return int(self._yymm[2:])

    def with_version(self, version: int | None) -> ArxivId:
        return ArxivId(self.base, version)

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.versioned}"

    @property
    def doi(self) -> str:
        return f"{ARXIV_DOI_PREFIX}{self.base}"


def _version(text: str | None, original: str) -> int | None:
    if text is None:
        return None
    if not text or int(text) < 1:
        raise MalformedIdError(original, "a version is v1 or later")
    return int(text)


def _check_new(yymm: str, num: str, original: str) -> str:
    yy, mm = int(yymm[:2]), int(yymm[2:])
    if not 1 <= mm <= 12:
        raise MalformedIdError(original, f"month {mm:02d} does not exist")
    if yymm < "0704":
        raise MalformedIdError(
            original, "new-style ids start in April 2007 (0704); older papers use archive/YYMMNNN")
    digits = 5 if yy >= 15 else 4
    if len(num) != digits:
        era = "from 1501 on" if digits == 5 else "before 1501"
        raise MalformedIdError(original, f"ids {era} have {digits} digits after the dot, not {len(num)}")
    if int(num) == 0:
        raise MalformedIdError(original, "paper number 0 does not exist")
    return f"{yymm}.{num}"


def _check_old(archive: str, num: str, original: str) -> str:
    name = _ARCHIVE_ALIASES.get(archive.lower(), archive.lower())
    if name not in OLD_ARCHIVES:
        raise MalformedIdError(original, f"{archive!r} is not an arXiv archive")
    if len(num) != 7:
        raise MalformedIdError(original, f"old-style ids have 7 digits (YYMMNNN), not {len(num)}")
    yy, mm, serial = int(num[:2]), int(num[2:4]), int(num[4:])
    if not 1 <= mm <= 12:
        raise MalformedIdError(original, f"month {mm:02d} does not exist")
    year = 1900 + yy if yy >= 91 else 2000 + yy
    if year < 1991 or (year, mm) < (1991, 8) or (year, mm) > (2007, 3):
        raise MalformedIdError(original, "old-style ids run from 1991-08 to 2007-03")
    if serial == 0:
        raise MalformedIdError(original, "paper number 000 does not exist")
    return f"{name}/{num}"


def _parse_bare(text: str, original: str) -> ArxivId:
    if match := _NEW.fullmatch(text):
        return ArxivId(_check_new(match["yymm"], match["num"], original), _version(match["v"], original))
    if match := _OLD.fullmatch(text):
        return ArxivId(_check_old(match["arch"], match["num"], original), _version(match["v"], original))
    if re.fullmatch(r"\d{4}\.\d+[vV]", text):
        raise MalformedIdError(original, "the version suffix has no number")
    raise MalformedIdError(original, "not of the form YYMM.NNNNN or archive/YYMMNNN")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in (*range(0x80, 0x10000), *range(0x1D7CE, 0x1D800)):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded.isascii() and (folded.isalnum() or folded in ".:/-_[]() "):
            table[code] = folded
        elif (digit := unicodedata.decimal(char, None)) is not None:
            table[code] = str(digit)
    return table


def fold(text: str) -> str:
    """Digits, letters and the punctuation of ids as ASCII, one character for one (NFKC where it
    gives one ASCII character; any decimal digit as its ASCII digit): `arXiv:２００２.０５７０９`
    is 2002.05709. Offsets into the result are offsets into `text`."""
    return text if text.isascii() else text.translate(_fold_table())


def parse_id(text: str) -> ArxivId:
    """Any way a paper is named → ArxivId; raises MalformedIdError with the reason."""
    if not isinstance(text, str):
        raise MalformedIdError(repr(text), "not text")
    parsed = _parsed(fold(text))
    if isinstance(parsed, str):
        raise MalformedIdError(text, parsed)
    return parsed


# Extraction parses every id it meets, and documents cite the same ids again and again; the
# answer (an immutable ArxivId, or the reason it is not one) depends on the text alone.
@lru_cache(maxsize=8192)
def _parsed(text: str) -> ArxivId | str:
    try:
        return _parse(text)
    except MalformedIdError as error:
        return error.reason


# The commonest shapes by far, a new-style id bare or in an abs URL (five digits from 1501, four
# from 0704 to 1412, as in bulk snapshots): when it is valid (a month 01-12, a number not 0000),
# _parse would return exactly this, so it is built at once.
PLAIN_ABS_PREFIX = r"https?://(?:www\.)?arxiv\.org/abs/"  # an abs URL as most documents write it
PLAIN_NEW_ID = (
    r"(?:1[5-9]|[2-9][0-9])(?:0[1-9]|1[0-2])\.[0-9]{5}"
    r"|(?:07(?:0[4-9]|1[0-2])|(?:0[89]|1[0-4])(?:0[1-9]|1[0-2]))\.[0-9]{4}"
)
_PLAIN_NEW = re.compile(rf"(?:{PLAIN_ABS_PREFIX})?({PLAIN_NEW_ID})")


def plain_new_id(text: str, start: int = 0, end: int | None = None) -> str | None:
    """The base id of text[start:end] when it has the commonest shape and is valid (parse_id would
    return exactly that id, without a version), else None: then ask parse_id."""
    plain = _PLAIN_NEW.fullmatch(text, start, len(text) if end is None else end)
    return plain_new_base(plain[1]) if plain is not None else None


def plain_new_base(matched: str) -> str | None:
    """The base id of a PLAIN_NEW_ID match, None for the one shape it admits that is no id."""
    return None if matched.endswith((".0000", ".00000")) else matched


def _parse(text: str) -> ArxivId:
    base = plain_new_id(text)
    if base is not None:
        return ArxivId(base)
    return _parse_any(text)


def _parse_any(text: str) -> ArxivId:
    original = text
    candidate = text.strip()
    if not candidate:
        raise MalformedIdError(original, "empty")
    if match := _URL.match(candidate):
        rest = match["rest"]
        if match["kind"].lower() == "pdf" and rest.lower().endswith(".pdf"):
            rest = rest[:-4]
        candidate = rest.rstrip("/")
    elif match := _DOI.match(candidate):
        candidate = match["id"]
    else:
        candidate = _PREFIX.sub("", candidate)
        candidate = _CATEGORY_SUFFIX.sub("", candidate)
    candidate = candidate.strip()
    if candidate.lower().endswith((".pdf", ".ps", ".gz")):
        candidate = candidate.rsplit(".", 1)[0]
    return _parse_bare(candidate.lstrip("/"), original)


Form = Literal["url", "doi", "prefixed", "bare"]


@dataclass(frozen=True, slots=True)
class IdSpan:
    """A piece of text that is, or looks like, an arXiv reference; `reason` says why it is not one."""

    start: int
    end: int
    text: str
    form: Form
    arxiv_id: ArxivId | None
    reason: str | None


_ARCH = "|".join(sorted((re.escape(a) for a in OLD_ARCHIVES), key=len, reverse=True))
_BARE_ID = rf"(?:\d{{4}}\.\d{{4,6}}(?:[vV]\d+)?|(?:{_ARCH})(?:\.[A-Za-z]{{2}})?/\d{{7}}(?:[vV]\d+)?)"
_SCAN = re.compile(
    rf"(?P<url>(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/[^\s<>\"'\]\)`]+)"
    rf"|(?P<doi>(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.[^\s<>\"'\]\),;`]+)"
    rf"|(?P<prefixed>ar\{{?x\}}?iv(?:\s*:\s*|\s+preprint\s+(?:ar\{{?x\}}?iv\s*:\s*)?)(?:{_BARE_ID}|[^\s\],;)]+))"
    rf"|(?<![\w./-])(?P<bare>{_BARE_ID})(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?>'\""


def _trim(text: str) -> str:
    while text and text[-1] in _TRAILING:
        text = text[:-1]
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    return text


# Only lines holding one of these can hold a reference; skipping the rest keeps the scan fast
# on long prose (the full pattern costs a lookbehind and an alternation at every position).
# "arxiv" in any case, "N.N", "N/N" or seven digits, each match at the same place as
# `(?i)arxiv|\d[./]\d|\d{7}` finds it: opening with one class of first characters and spelling
# out the case-folded letters ("i" is also "İ" and "ı" to IGNORECASE) makes it a C-speed skip to
# the next digit or "a", about four times as fast.
_ANCHOR = re.compile(r"[\daA](?:(?<=\d)(?:[./]\d|\d\d\d\d\d\d)|(?<=[aA])[rR][xX][iIİı][vV])")


# An IdSpan's fields as a plain tuple: (start, end, text, form, arxiv_id, reason).
IdSpanFields = tuple[int, int, str, Form, "ArxivId | None", "str | None"]


# Every match of _SCAN holds an _ANCHOR match, and its first starts a few characters after the
# match does at most (see _earliest_start), unless the match is one of the forms _UNANCHORED finds:
# "doi:" may be followed by any run of spaces, and "ar{x}iv" holds no anchor. Lines with those
# are read by the full scan.
# `(?i)doi:|[{}]`, found by its ":" or brace (seven times as fast; only whether it occurs is asked)
_UNANCHORED = re.compile(r"[{}:](?:(?<=:)(?<=(?i:doi):)|(?<=[{}]))")
_URL_PREFIX_BEFORE = re.compile(r"(?:https?://)?(?:www\.|export\.)?\Z", re.IGNORECASE)
_DOI_HOST_BEFORE = re.compile(r"doi\.org/\Z", re.IGNORECASE)


def _spans(matches: Iterator[re.Match[str]], original: str) -> Iterator[IdSpanFields]:
    """Spans of matches in fold(original), each with the text as the original writes it."""
    for match in matches:
        form: Form = match.lastgroup  # type: ignore[assignment]
        raw = _trim(match.group())
        if not raw:
            continue
        parsed = _parsed(raw)
        at = match.start()
        written = raw if original.isascii() else original[at:at + len(raw)]
        if isinstance(parsed, str):
            yield at, at + len(raw), written, form, None, parsed
        else:
            yield at, at + len(raw), written, form, parsed, None


def _near_anchors(text: str, start: int, end: int, anchor: re.Match[str]) -> Iterator[re.Match[str]]:
    """_SCAN.finditer(text, start, end) for a line without _UNANCHORED forms whose first anchor is
    `anchor`: each search starts where a match holding the next anchor could start, and no match
    can start before that. The full pattern costs a lookbehind and a four-way alternation at every
    position it is tried at, and a long line of prose with one id in it is mostly skipped."""
    search, next_anchor = _SCAN.search, _ANCHOR.search
    at = start
    found: re.Match[str] | None = anchor
    while found is not None:
        match = search(text, _earliest_start(text, found.start(), found.group(), at), end)
        if match is None:
            return
        yield match
        at = match.end()
        found = next_anchor(text, at, end)


def _earliest_start(text: str, anchor: int, found: str, at: int) -> int:
    """The first place at or after `at` where a match whose first anchor `found` is at `anchor`
    can start."""
    if found[0] in "aA":
        # "arxiv" opens a prefixed id and follows at most a URL's scheme and host prefix
        prefix = _URL_PREFIX_BEFORE.search(text, max(at, anchor - 15), anchor)
        return prefix.start() if prefix is not None else anchor
    if len(found) == 3:
        # "N.N" is in a new-style id's "NNNN.N" or the DOI's "10.4", which may follow its host
        before_doi = anchor > 9 and _DOI_HOST_BEFORE.search(text, anchor - 10, anchor - 1) is not None
        return max(at, anchor - (20 if before_doi else 3))
    return max(at, anchor - 12)  # seven digits: an old-style id's archive ("quant-ph.XX/") before them


def find_id_spans(text: str) -> Iterator[IdSpan]:
    """Every substring of `text` that is or looks like an arXiv reference, in order."""
    for fields in id_span_fields(text):
        yield IdSpan(*fields)


def id_span_fields(text: str) -> Iterator[IdSpanFields]:
    """find_id_spans as plain tuples, for callers that scan documents id by id: a tuple is built
    several times faster than the frozen IdSpan."""
    # Line by line (no reference spans lines), and only the lines an anchor is on: the search for
    # the next anchor starts where the last line read ends. Full-width and other non-ASCII forms
    # of digits and letters are read as ASCII, at the same offsets.
    original, text = text, fold(text)
    search, length = _ANCHOR.search, len(text)
    scanned_to = 0
    while (anchor := search(text, scanned_to)) is not None:
        line_start = max(text.rfind("\n", 0, anchor.start()) + 1, scanned_to)
        line_end = text.find("\n", anchor.end())
        line_end = length if line_end == -1 else line_end
        if _UNANCHORED.search(text, line_start, line_end) is not None:
            yield from _spans(_SCAN.finditer(text, line_start, line_end), original)
        else:
            yield from _spans(_near_anchors(text, line_start, line_end, anchor), original)
        scanned_to = line_end
