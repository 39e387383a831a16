"""reStructuredText rewritten as the Markdown the prose reader understands, with an offset map back
to the source (as html.py does for HTML), so every reference keeps its line and column in the RST.

What differs from Markdown and matters for citations:
- hyperlinks `` `Title <https://arxiv.org/abs/1507.06527>`_ `` (or ``__``) become ``[Title](url)``
  (in Markdown the backticks would make the whole link an inline code span, its URL unread);
- footnotes and citations (``.. [#] …``, ``.. [1] …``, ``.. [Mnih2016] …``) become list items (``- …``,
  ``[1] …``), one reference unit each, as a reading list's items are;
- section titles (a line under, or between, lines of one repeated punctuation character) become
  ATX headings; their adornment lines would otherwise read as Markdown fences (``~~~``), thematic
  breaks or front matter (``---``);
- interpreted text (`` `x` ``, ``:role:`x```) becomes emphasis, and a named reference
  (`` `text`_ ``) its text, instead of code spans.
``**bold**``, ``*emphasis*`` and ````literal```` are written the same way in both and kept, except
bold in an entry whose hyperlink already names the paper (commentary, not a title).
"""

from __future__ import annotations

import re

from app.extract.positions import TextMap

# A section adornment: one punctuation character repeated (at least three times), alone on its line.
_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1{2,}[ \t]*")
_FOOTNOTE = re.compile(r"\.\.[ \t]+\[(?:(?P<number>\d{1,4})|#[\w.-]*|\*|[A-Za-z][\w.-]*)\](?:[ \t]+|$)")
# Inline markup, tried left to right: a literal first (its content is never rewritten), then a
# hyperlink with an embedded URL, then interpreted text or a named reference.
_INLINE = re.compile(
    r"(?P<literal>``[^`]+?``)"
    r"|(?<![\w`])`(?P<text>[^`<]*?)(?P<gap>[ \t\n]*)<(?P<url>[^<>`\s]+)>`(?P<under>__?)(?![\w`])"
    r"|(?P<role>:[\w.+-]+:)?(?<![\w`])`(?P<interpreted>[^`\s](?:[^`]*?[^`\s])?)`(?P<ref>__?)?(?![\w`])"
)

Edit = tuple[int, int, str]


_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)[^*\n]+?(?<=\S)\*\*(?![\w*])")


def rst_to_markdown(source: str) -> tuple[str, TextMap]:
    """The document as Markdown, and the map from its offsets to the RST source."""
    entries: list[tuple[int, int]] = []
    edits = _block_edits(source, entries)
    inline = _inline_edits(source)
    edits.extend(inline)
    edits.extend(_commentary_edits(source, entries, inline))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    return TextMap.from_edits(source, edits)


def _lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line break."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in source.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        spans.append((start, start + len(content)))
        start += len(line)
    return spans


def _block_edits(source: str, entries: list[tuple[int, int]]) -> list[Edit]:
    """Headings and footnote markers; the (start, end) of each footnote or citation entry (its
    first line and the indented lines after it) is added to `entries`."""
    lines = _lines(source)
    texts = [source[start:end] for start, end in lines]
    edits: list[Edit] = []
    levels: dict[tuple[str, bool], int] = {}
    index = 0
    while index < len(lines):
        heading = _heading_at(texts, index)
        if heading is not None:
            title_index, last_index, style = heading
            level = levels.setdefault(style, min(len(levels) + 1, 6))
            for adornment in range(index, last_index + 1):
                if adornment != title_index:
                    edits.append((*lines[adornment], ""))
            title_start = lines[title_index][0]
            indent = len(texts[title_index]) - len(texts[title_index].lstrip())
            edits.append((title_start, title_start + indent, "#" * level + " "))
            index = last_index + 1
            continue
        footnote = _FOOTNOTE.match(texts[index])
        if footnote is not None:
            start = lines[index][0]
            number = footnote.group("number")
            # a block of its own even without a blank line before it, as each entry is in RST
            edits.append((start, start + footnote.end(), f"\n[{number}] " if number else "\n- "))
            last = index
            while last + 1 < len(lines) and texts[last + 1][:1] in (" ", "\t") and texts[last + 1].strip():
                last += 1
            entries.append((start, lines[last][1]))
        index += 1
    return edits


def _heading_at(texts: list[str], index: int) -> tuple[int, int, tuple[str, bool]] | None:
    """A section title starting at line `index`: (title line, last line, style), or None."""
    over = _ADORNMENT.fullmatch(texts[index])
    if over is not None and index + 2 < len(texts):
        title, under = texts[index + 1], _ADORNMENT.fullmatch(texts[index + 2])
        if title.strip() and under is not None and under.group(1) == over.group(1):
            return index + 1, index + 2, (over.group(1), True)
    if over is not None or index + 1 >= len(texts):
        return None
    title = texts[index]
    under = _ADORNMENT.fullmatch(texts[index + 1])
    # a title is one unindented line that starts a block; the underline at least as long (docutils
    # only warns about a shorter one, but a short run of dashes under prose is more often a rule)
    if (
        under is None
        or not title.strip()
        or title[0] in " \t"
        or (index > 0 and texts[index - 1].strip())
        or len(under.group().rstrip()) < len(title.rstrip())
    ):
        return None
    return index, index + 1, (under.group(1), False)


def _inline_edits(source: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _INLINE.finditer(source):
        if match.group("literal") is not None:
            continue
        if match.group("url") is not None:
            start, end = match.span()
            if match.group("text").strip():
                edits.append((start, start + 1, "["))
                edits.append((match.start("gap"), match.start("url"), "]("))
                edits.append((match.end("url"), end, ")"))
            else:  # `<url>`_: an autolink
                edits.append((start, start + 1, ""))
                edits.append((match.end("url") + 1, end, ""))
            continue
        role = match.group("role")
        start = match.start("role") if role else match.start()
        end = match.end()
        inner_start, inner_end = match.span("interpreted")
        if match.group("ref") is not None:  # a named reference: its text
            edits.append((start, inner_start, ""))
            edits.append((inner_end, end, ""))
        else:
            edits.append((start, inner_start, "*"))
            edits.append((inner_end, end, "*"))
    return edits


def _commentary_edits(source: str, entries: list[tuple[int, int]], inline: list[Edit]) -> list[Edit]:
    """Strong emphasis in an entry that links its paper (`` `Title <url>`_, Mnih et al, 2016.
    **Algorithm: A3C.** ``) as plain emphasis: the entry's title is its link's text, and the bold
    words after it are commentary (a label, a contribution), which as Markdown's only bold span of
    a one-paper item would be taken for the title."""
    edits: list[Edit] = []
    links = [edit[0] for edit in inline if edit[2] in ("[", "")]
    for start, end in entries:
        if not any(start <= link < end for link in links):
            continue
        for strong in _STRONG.finditer(source, start, end):
            a, b = strong.span()
            if any(a < edit_end and edit_start < b for edit_start, edit_end, _ in inline):
                continue
            edits.append((a, a + 2, "*"))
            edits.append((b - 2, b, "*"))
    return edits
