"""Expected-reference fixtures: hand-written JSON lists compared field by field with extraction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.extract import CitedReference, ExtractedDocument

FIXTURES = Path(__file__).parent / "fixtures"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def expected_rows(fixture: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field of every expected reference, absent ones filled with their empty value."""
    return [
        {
            "line": entry["line"],
            "column": entry["column"],
            "kind": entry["kind"],
            "text": entry["text"],
            "arxiv_id": entry.get("arxiv_id"),
            "version": entry.get("version"),
            "doi": entry.get("doi"),
            "title": entry.get("title"),
            "authors": entry.get("authors", []),
            "year": entry.get("year"),
            "month": entry.get("month"),
            "venue": entry.get("venue"),
            "label": entry.get("label"),
            "malformed": entry.get("malformed", False),
        }
        for entry in fixture["references"]
    ]


def actual_rows(document: ExtractedDocument) -> list[dict[str, Any]]:
    return [_row(reference) for reference in document.references]


def _row(reference: CitedReference) -> dict[str, Any]:
    cited = reference.cited
    return {
        "line": reference.line,
        "column": reference.column,
        "kind": reference.kind,
        "text": reference.text,
        "arxiv_id": cited.arxiv_id,
        "version": cited.version,
        "doi": cited.doi,
        "title": cited.title,
        "authors": list(cited.authors),
        "year": cited.year,
        "month": cited.month,
        "venue": cited.venue,
        "label": cited.label,
        "malformed": reference.malformed_reason is not None,
    }


def text_at(document: ExtractedDocument, reference: CitedReference) -> str:
    """The document's own text at a reference's line and column, as long as the reference's text."""
    line = document.text.split("\n")[reference.line - 1]
    return line[reference.column - 1 : reference.column - 1 + len(reference.text)]
