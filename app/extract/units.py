"""The references of one block, read stage by stage: the reference unit it is (unit_spans.py), the
ids it mentions (unit_mentions.py), then what it claims about them (claims.py, whose chain of
steps lists the order in which titles, labels, authors, years and venues are read).
"""

from __future__ import annotations

from app.extract.arxiv_mentions import IdHints
from app.extract.blocks import BlockKind
from app.extract.candidates import ReferenceDraft
from app.extract.claims import read_claims
from app.extract.mojibake import MojibakeRepair
from app.extract.unit_mentions import id_references
from app.extract.unit_spans import read_unit


def read_block(
    text: str,
    kind: BlockKind,
    start: int,
    end: int,
    bibliography: bool,
    has_ids: bool,
    has_markup: bool,
    repair: MojibakeRepair,
    hints: IdHints,
    has_italic: bool = False,
    names_paper: bool = False,
) -> list[ReferenceDraft]:
    """The references of the block whose content is text[start:end]. `has_ids` and `has_markup`
    say whether the document's hints put an id or a link or bold span there (Markdown only);
    `bibliography` whether the block is a bibliography entry; `has_italic` whether it may hold an
    italic span (Markdown only), `names_paper` whether it is a list item that says "paper"."""
    if not (has_ids or has_markup or bibliography or has_italic or names_paper):
        return []
    unit = read_unit(
        text,
        kind,
        start,
        end,
        bibliography=bibliography,
        has_markup=has_markup,
        has_italic=has_italic,
        names_paper=names_paper,
    )
    ids = id_references(unit, hints) if has_ids else []
    return read_claims(unit, ids, repair)
