"""BibTeX embedded in an HTML page: Distill's pre-render pages keep their references only in a
`<script type="text/bibliography">` element (the body cites them with `<dt-cite key="…">`), which
the visible-document reading (html.py) skips with every other script. Each such script's text is
read with the BibTeX reader, at its offsets in the HTML source."""

from __future__ import annotations

import re

from app.extract.bibtex import read_bibtex
from app.extract.candidates import ReferenceDraft
from app.extract.mojibake import NO_REPAIR, MojibakeRepair

_BIBLIOGRAPHY_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?text/(?:bibliography|x-bibtex|bibtex)[\"']?[^>]*>(.*?)</script\s*>",
    re.I | re.S,
)


def embedded_bibtex(source: str, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    """The references of every BibTeX script element of an HTML page, in offsets of the page."""
    found: list[ReferenceDraft] = []
    if "bib" not in source:
        return found
    for script in _BIBLIOGRAPHY_SCRIPT.finditer(source):
        found.extend(read_bibtex(script.group(1), script.start(1), repair))
    return found
