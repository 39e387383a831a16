"""LaTeX markup in titles and names turned into plain Unicode text ({\\"u}ller -> Müller)."""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_LETTERS = {
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_ACCENT = re.compile(r"\\([\"'`^~=.]|[uvHckr](?![a-zA-Z]))\s*\{?\s*(\\?[a-zA-Z])\s*\}?")
_LETTER = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![a-zA-Z])\s*")
_STYLE = re.compile(r"\\(?:emph|textit|textbf|textsc|texttt|textrm|mathrm|mathbf|mathit|text|url|href\{[^}]*\})\s*")
_COMMAND = re.compile(r"\\[a-zA-Z]+\*?\s*")
_ESCAPED = re.compile(r"\\([&%$#_{}])")


def latex_to_text(value: str) -> str:
    """Accents, special letters, escapes and style commands resolved; braces and $ dropped."""
    text = _ACCENT.sub(_accented, value)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _STYLE.sub("", text)
    text = _ESCAPED.sub(lambda m: "\x00" + m.group(1), text)
    text = _COMMAND.sub("", text)
    text = text.replace("{", "").replace("}", "").replace("$", "").replace("~", " ")
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _accented(match: re.Match[str]) -> str:
    letter = match.group(2).lstrip("\\")
    return letter + _ACCENTS[match.group(1)]
