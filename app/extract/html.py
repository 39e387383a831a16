"""HTML read as the visible document: selectolax builds the tree, which is rewritten as Markdown
(headings, list items, paragraphs, links, bold) and read like a Markdown document.

Skipped: <head> (its <title> and <meta> repeat the page's citations), script, style, pre (code),
templates and hidden elements. Every piece of the rewritten text keeps the offset it came from in
the HTML source, so references point at the href or the text in the original page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from app.extract.positions import Piece, TextMap

_SKIPPED = frozenset(
    (
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "pre",
        "textarea",
        "svg",
        "math",
        "iframe",
        "object",
        "select",
        "title",
        "meta",
        "link",
        "-comment",
    )
)
_BLOCKS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "aside",
        "blockquote",
        "figure",
        "figcaption",
        "table",
        "tr",
        "td",
        "th",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "form",
        "hr",
        "address",
        "details",
        "summary",
        "caption",
        "tbody",
        "thead",
        "body",
        "center",
    )
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BOLD = frozenset(("b", "strong"))
# Text runs of the source: what lies between tags, comments and raw-text elements.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|\Z)|<![^>]*>?|<\?[^>]*>?"
    r"|</?[a-zA-Z][^>]*>?",
    re.S | re.I,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_RUN_LOOKAHEAD = 64
# Tags nested deeper than this are read as spaces: the HTML parser's work grows with the square of
# the nesting (200,000 nested <div> took 104 s of CPU), and no page's text is that deep.
MAX_NESTING = 512
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
# Tags that open nothing to close (void), or that the next sibling closes (unclosed <p> and <li>
# are common and nest nothing): neither counts towards the nesting.
_NOT_NESTING = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
     "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp",
     "thead", "tbody", "tfoot", "colgroup", "caption")
)


@dataclass(frozen=True, slots=True)
class _Located:
    value: str
    source: int
    exact: bool
    source_length: int


Closing = str | _Located


@dataclass
class _Flattener:
    source: str
    runs: list[tuple[int, int]]
    parts: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    length: int = 0
    run_index: int = 0
    position: int = 0  # source offset of the last piece, for inserted markup

    def insert(self, markup: str) -> None:
        self._add(markup, self.position, False, 0)

    def _add(self, text: str, source: int, exact: bool, source_length: int) -> None:
        self.parts.append(text)
        self.pieces.append(Piece(self.length, source, len(text), exact, source_length))
        self.length += len(text)

    def text(self, content: str) -> None:
        if not content.strip():
            self.insert(" ")
            return
        run = self._find_run(content)
        if run is None:
            self._add(_spaces(content), self.position, False, 0)
            return
        start, end = run
        cursor = start
        for entity in _ENTITY.finditer(self.source, start, end):
            if entity.start() > cursor:
                self._add(_spaces(self.source[cursor : entity.start()]), cursor, True, entity.start() - cursor)
            self._add(_spaces(html.unescape(entity.group())), entity.start(), False, entity.end() - entity.start())
            cursor = entity.end()
        if end > cursor:
            self._add(_spaces(self.source[cursor:end]), cursor, True, end - cursor)
        self.position = end

    def locate(self, value: str) -> _Located:
        """Where an attribute value sits in the source (searched forward from the last text)."""
        for form in (value, value.replace("&", "&amp;")):
            found = self.source.find(form, self.position)
            if found >= 0:
                return _Located(value, found, form == value, len(form))
        return _Located(value, self.position, False, 0)

    def close(self, closing: Closing) -> None:
        if isinstance(closing, str):
            if closing:
                self.insert(closing)
            return
        self.insert("](")
        self._add(closing.value, closing.source, closing.exact, closing.source_length)
        self.insert(")")

    def _find_run(self, content: str) -> tuple[int, int] | None:
        wanted = " ".join(content.split())
        last = min(len(self.runs), self.run_index + _RUN_LOOKAHEAD)
        for index in range(self.run_index, last):
            start, end = self.runs[index]
            if " ".join(html.unescape(self.source[start:end]).split()) == wanted:
                self.run_index = index + 1
                return start, end
        return None


def flatten_html(source: str) -> tuple[str, TextMap]:
    """The visible document as Markdown, and the map from its offsets to the HTML source."""
    parser = LexborHTMLParser(_bounded_nesting(source))
    flattener = _Flattener(source, _text_runs(source))
    body = parser.body
    if body is not None:
        _walk(body, flattener)
    return "".join(flattener.parts), TextMap(flattener.pieces, len(source))


def _bounded_nesting(source: str) -> str:
    """The source with tags past MAX_NESTING blanked out, character for character (so every offset
    still points at the original)."""
    depth = 0
    blanks: list[tuple[int, int]] = []
    for markup in _MARKUP.finditer(source):
        found = _TAG_NAME.match(markup.group())
        if found is None or markup.group(1):
            continue
        tag = found.group(1).lower()
        if tag in _NOT_NESTING:
            continue
        if markup.group().startswith("</"):
            if depth > MAX_NESTING:
                blanks.append(markup.span())
            depth = max(depth - 1, 0)
        elif not markup.group().endswith("/>"):
            depth += 1
            if depth > MAX_NESTING:
                blanks.append(markup.span())
    if not blanks:
        return source
    parts: list[str] = []
    cursor = 0
    for start, end in blanks:
        parts.append(source[cursor:start])
        parts.append(" " * (end - start))
        cursor = end
    parts.append(source[cursor:])
    return "".join(parts)


def _text_runs(source: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    cursor = 0
    for markup in _MARKUP.finditer(source):
        if markup.start() > cursor and source[cursor : markup.start()].strip():
            runs.append((cursor, markup.start()))
        cursor = markup.end()
    if source[cursor:].strip():
        runs.append((cursor, len(source)))
    return runs


def _walk(root: LexborNode, out: _Flattener) -> None:
    """Depth-first without recursion: deeply nested pages must not exhaust the stack."""
    closing: list[Closing] = []
    node: LexborNode | None = root
    while node is not None:
        after = _enter(node, out)
        child = node.child if after is not None else None
        if after is not None and child is not None:
            closing.append(after)
            node = child
            continue
        if after is not None:
            out.close(after)
        while node is not None and node.next is None:
            node = node.parent
            if node is None or not closing:
                return
            out.close(closing.pop())
            if node is root:
                return
        node = node.next if node is not None else None


def _enter(node: LexborNode, out: _Flattener) -> Closing | None:
    """Write what comes before the node's children; return what comes after (None: skip them)."""
    tag = node.tag or ""
    if tag == "-text":
        out.text(node.text_content or "")
        return ""
    attributes = node.attributes
    if tag in _SKIPPED or "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return None
    if tag in _HEADINGS:
        out.insert("\n\n" + "#" * _HEADINGS[tag] + " ")
        return "\n\n"
    if tag == "li":
        out.insert("\n- ")
        return "\n"
    if tag == "br":
        out.insert("\n")
        return ""
    if tag == "a" and attributes.get("href"):
        located = out.locate(str(attributes["href"]))
        out.insert("[")
        return located
    if tag in _BOLD:
        out.insert("**")
        return "**"
    if tag in _BLOCKS:
        out.insert("\n\n")
        return "\n\n"
    return ""


def _spaces(text: str) -> str:
    """Whitespace as plain spaces, one for one: a line break inside HTML text is not a new block."""
    return re.sub(r"\s", " ", text)
