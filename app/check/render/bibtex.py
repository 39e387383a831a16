"""A paper as a BibTeX entry, in the form arXiv's own "Export BibTeX Citation" gives."""

from __future__ import annotations

import re
import unicodedata

from clients.arxiv import Paper

_SPECIAL = re.compile(r"([&%$#_{}])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _key(paper: Paper) -> str:
    first = paper.authors[0].name.split()[-1] if paper.authors else "arxiv"
    ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().lower()
    word = next((w for w in re.findall(r"[A-Za-z]+", paper.title) if len(w) > 3), "paper").lower()
    return f"{re.sub(r'[^a-z]', '', ascii_name) or 'arxiv'}{paper.published.year}{word}"


def paper_bibtex(paper: Paper) -> str:
    fields = [
        ("title", "{" + _escape(paper.title) + "}"),
        ("author", " and ".join(_escape(a.name) for a in paper.authors)),
        ("year", str(paper.published.year)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.primary_category),
        ("url", paper.abs_url),
    ]
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.journal_ref:
        fields.append(("journal", _escape(paper.journal_ref)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_key(paper)},\n{body}\n}}\n"
