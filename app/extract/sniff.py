"""Which format a document is in: from its file name when that says, else from its content."""

from __future__ import annotations

import re
from pathlib import PurePath

from app.extract.model import DocumentFormat

_BY_SUFFIX: dict[str, DocumentFormat] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".tex": "latex",
    ".ltx": "latex",
    ".bbl": "latex",
    ".rst": "rst",
    ".rest": "rst",
}
_SNIFF_CHARS = 65536
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(r"<(?:p|div|a\s[^>]*href|h[1-6]|ul|ol|li|span|table|br)\b", re.I)
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[a-zA-Z]+[ \t]*[{(]", re.M)
_LATEX = re.compile(r"\\(?:bibitem|begin\{thebibliography\}|documentclass|section\{|cite\{|entry\{)")
# reStructuredText's own marks: an embedded-URL hyperlink, explicit markup (a footnote or citation,
# a link target, a directive) at a line start.
_RST = re.compile(
    r"`[^`\n]*<[a-z][a-z0-9+.-]*:[^<>`\s]+>`__?(?!\w)|^\.\.[ \t]+(?:\[[^\]\n]+\]|_[^:\n]+:|[\w-]+::)", re.M
)
_MARKDOWN_LINK = re.compile(r"\]\([^)\s]+\)")
_MARKDOWN = re.compile(
    r"^ {0,3}#{1,6}[ \t]+\S"  # ATX heading
    r"|\]\([^)\s]+\)"  # inline link
    r"|^ {0,3}(?:```|~~~)"  # fenced code
    r"|\*\*[^*\n]+\*\*"  # bold
    r"|\A---[ \t]*\n",  # front matter
    re.M,
)


def format_from_name(name: str | None) -> DocumentFormat | None:
    """The format a file name's suffix announces; None for .txt, no suffix or unknown suffixes."""
    if not name:
        return None
    return _BY_SUFFIX.get(PurePath(name).suffix.lower())


def sniff_format(text: str) -> DocumentFormat:
    """Guess the format of `text` from its first 64 KiB."""
    head = text[:_SNIFF_CHARS]
    if _HTML_START.match(head):
        return "html"
    stripped = head.lstrip()
    if stripped.startswith("@") and _BIBTEX_ENTRY.search(head):
        return "bibtex"
    if _LATEX.search(head):
        return "latex"
    # two marks only RST makes, and no Markdown link: RST (whose **bold** would say Markdown)
    if len(_RST.findall(head)) >= 2 and _MARKDOWN_LINK.search(head) is None:
        return "rst"
    markdown_signs = len(_MARKDOWN.findall(head))
    html_signs = len(_HTML_TAG.findall(head))
    if html_signs > max(3, 2 * markdown_signs) and stripped.startswith("<"):
        return "html"
    if markdown_signs:
        return "markdown"
    return "text"


def detect_format(text: str, name: str | None) -> DocumentFormat:
    return format_from_name(name) or sniff_format(text)
