"""Repair of UTF-8 text that was once decoded as Mac Roman ("H√§rk√∂nen" for "Härkönen").

ftfy does not undo this kind of damage, so the repair is done here: runs of characters from the
upper half of Mac Roman are turned back into their bytes, and every complete UTF-8 sequence in
them is decoded. A document is repaired only when it holds at least one sequence that legitimate
text never contains (a 3- or 4-byte sequence, or a 2-byte one led by a maths sign such as "√"),
so correct text with an accent after a dash or a quote is left alone. Only the pieces claims are
read from are repaired (MojibakeRepair), so a large document is never copied. Emoji whose first byte (the
Apple logo U+F8FF in Mac Roman) was dropped along the way are restored too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.extract.positions import TextMap

_HIGH_HALF = bytes(range(0x80, 0x100)).decode("mac_roman")
_BYTE_OF = {char: 0x80 + index for index, char in enumerate(_HIGH_HALF)}
_RUN = re.compile("[" + re.escape(_HIGH_HALF) + "]{2,}")
# Lead bytes of 2-byte sequences whose Mac Roman characters (¬ √ ƒ ≈ ∆) are maths signs that
# ordinary prose never puts directly before an accented letter.
_TELLING_LEADS = frozenset(range(0xC2, 0xC7))

Edit = tuple[int, int, str]


def repair_mojibake(text: str, *, force: bool = False) -> tuple[str, TextMap]:
    """The repaired text and the map from its offsets back to `text`.

    Without `force`, text holding no telling sequence is returned unchanged; with it (a piece of a
    document already judged damaged), every complete sequence is repaired.
    """
    edits: list[Edit] = []
    telling = force
    for run in _RUN.finditer(text):
        for start, end, repaired, is_telling in _repairs_in(run.group(), run.start()):
            edits.append((start, end, repaired))
            telling = telling or is_telling
    if not telling or not edits:
        return text, TextMap.identity(len(text))
    return TextMap.from_edits(text, edits)


def is_damaged(text: str) -> bool:
    """Whether the document holds a telling mojibake sequence (and so is repaired)."""
    return any(telling for run in _RUN.finditer(text) for *_, telling in _repairs_in(run.group(), run.start()))


class MojibakeRepair:
    """Repairs the pieces of a document that extraction reads claims from (titles, names, venues).

    The document itself is not copied: its structure (markup, ids, URLs) is ASCII and unaffected,
    and positions then need no mapping. Whether to repair is decided once, for the whole document.
    """

    def __init__(self, active: bool) -> None:
        self.active = active

    @classmethod
    def for_document(cls, text: str) -> MojibakeRepair:
        return cls(is_damaged(text))

    def __call__(self, piece: str) -> str:
        if not self.active or piece.isascii():
            return piece
        return _repaired(piece)

    def with_map(self, piece: str) -> tuple[str, TextMap]:
        if not self.active or _RUN.search(piece) is None:
            return piece, TextMap.identity(len(piece))
        return repair_mojibake(piece, force=True)


NO_REPAIR = MojibakeRepair(False)


# Pure, and asked of the same pieces again and again (a post's paragraphs are read for metadata
# lines, titles and claims; the search for runs costs by the character): memoised, bounded.
@lru_cache(maxsize=2048)
def _repaired(piece: str) -> str:
    if _RUN.search(piece) is None:
        return piece
    return repair_mojibake(piece, force=True)[0]


def _repairs_in(run: str, offset: int) -> list[tuple[int, int, str, bool]]:
    raw = bytes(_BYTE_OF[char] for char in run)
    repairs: list[tuple[int, int, str, bool]] = []
    index = 0
    while index < len(raw):
        size = _sequence_size(raw[index])
        if size and index + size <= len(raw):
            try:
                decoded = raw[index : index + size].decode("utf-8")
            except UnicodeDecodeError:
                decoded = ""
            if decoded:
                telling = size > 2 or raw[index] in _TELLING_LEADS
                repairs.append((offset + index, offset + index + size, decoded, telling))
                index += size
                continue
        emoji = _emoji_without_lead(raw, index)
        if emoji:
            repairs.append((offset + index, offset + index + 3, emoji, True))
            index += 3
            continue
        index += 1
    return repairs


def _emoji_without_lead(raw: bytes, index: int) -> str:
    """An emoji whose first byte was lost: Mac Roman's 0xF0 is the Apple logo (U+F8FF), which many
    systems drop, leaving "üéâ" for "🎉" (F0 9F 8E 89)."""
    if raw[index] != 0x9F or index + 3 > len(raw):
        return ""
    try:
        decoded = (b"\xf0" + raw[index : index + 3]).decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return decoded if 0x1F000 <= ord(decoded) <= 0x1FAFF else ""


def _sequence_size(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0
