"""Claims stage, dates: the year and month a piece of text names ("November 2020", "(2009)")."""

from __future__ import annotations

import re

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# A year is not part of a longer number, an id ("2002.05709") or a version ("2020.1").
_YEAR_RE = re.compile(rf"(?<![\d.]){YEAR}(?!\d|\.\d)")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_ISO_MONTH = re.compile(rf"(?<!\d)({YEAR})[-/](0?[1-9]|1[0-2])(?!\d)")
# A year in brackets right after a title, perhaps after the bold markup that closes it.
_YEAR_AFTER = re.compile(rf"^(?:\*\*|__)?\s*[(\[]({YEAR})[)\]]")


def parse_month(word: str) -> int | None:
    """Month number of an English month name or abbreviation; tolerates misspellings past the
    third letter ("Feburary"), which real posts contain."""
    lowered = word.lower()
    if len(lowered) < 3 or not lowered.isalpha():
        return None
    prefix = lowered[:3]
    if prefix not in _MONTHS:
        return None
    full = _MONTH_NAMES[_MONTHS.index(prefix)]
    # "Mayday" or "Marching" are not months: beyond the prefix only a near spelling is accepted.
    if len(lowered) > len(full) + 1 or (len(lowered) > 4 and lowered[:2] != full[:2]):
        return None
    return _MONTHS.index(prefix) + 1


def parse_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a short date phrase ("November 2020", "2020-11", "Nov. 2020", "(2009)")."""
    iso = _ISO_MONTH.search(text)
    if iso:
        return int(iso.group(1)), int(iso.group(2))
    years = _YEAR_RE.findall(text)
    year = int(years[-1]) if years else None
    month = None
    for word in _MONTH_WORD.findall(text):
        month = parse_month(word)
        if month:
            break
    return year, month


def find_year(text: str) -> int | None:
    """The last year the text names, or None."""
    years = _YEAR_RE.findall(text)
    return int(years[-1]) if years else None


def year_after(text: str, end: int) -> int | None:
    """The year in brackets right after a title that ends at `end` ("**Title** (2015)",
    "[Title](...) [2019]")."""
    match = _YEAR_AFTER.match(text[end : end + 12].lstrip(" "))
    return int(match.group(1)) if match else None
