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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


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
    if text.isascii():
        return text
    # str.translate looks every character up in the table; only the non-ASCII runs can change
    return _NON_ASCII.sub(lambda run: run.group().translate(_fold_table()), text)


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


def _parse(text: str) -> ArxivId:
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
# A reference never spans lines: the spaces inside one ("arXiv: 2002.05709", "doi: 10.48550/...")
# are any but a newline.
_SPACE = r"[^\S\n]"
_SCAN = re.compile(
    rf"(?P<url>(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/[^\s<>\"'\]\)`]+)"
    rf"|(?P<doi>(?:https?://(?:dx\.)?doi\.org/|doi:{_SPACE}*)?10\.48550/arxiv\.[^\s<>\"'\]\),;`]+)"
    rf"|(?P<prefixed>ar\{{?x\}}?iv(?:{_SPACE}*:{_SPACE}*|{_SPACE}+preprint{_SPACE}+(?:ar\{{?x\}}?iv{_SPACE}*:{_SPACE}*)?)"
    rf"(?:{_BARE_ID}|[^\s\],;)]+))"
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


# An IdSpan's fields as a plain tuple: (start, end, text, form, arxiv_id, reason).
IdSpanFields = tuple[int, int, str, Form, "ArxivId | None", "str | None"]


def find_id_spans(text: str) -> Iterator[IdSpan]:
    """Every substring of `text` that is or looks like an arXiv reference, in order."""
    for fields in id_span_fields(text):
        yield IdSpan(*fields)


def id_span_fields(text: str) -> Iterator[IdSpanFields]:
    """find_id_spans as plain tuples, for callers that scan documents id by id: a tuple is built
    several times faster than the frozen IdSpan."""
    # Full-width and other non-ASCII forms of digits and letters are read as ASCII, at the same
    # offsets; each span's text is as the original writes it.
    folded = fold(text)
    for match in _SCAN.finditer(folded):
        raw = _trim(match.group())
        if not raw:
            continue
        form: Form = match.lastgroup  # type: ignore[assignment]
        at, end = match.start(), match.start() + len(raw)
        parsed = _parsed(raw)
        if isinstance(parsed, str):
            yield at, end, text[at:end], form, None, parsed
        else:
            yield at, end, text[at:end], form, parsed, None
