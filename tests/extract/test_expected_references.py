"""Extraction matches the hand-written expected references of real documents, exactly.

The seed posts live in ../shared/seeds (skipped where absent); the other shapes (BibTeX, HTML,
.bbl, a README with code blocks, a plain-text bibliography) in fixtures/documents.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extract import extract
from tests.extract.expectations import FIXTURES, actual_rows, expected_rows, load, text_at

SEED_FIXTURES = sorted((FIXTURES / "seeds").glob("*.json"))
DOCUMENT_FIXTURES = sorted((FIXTURES / "documents").glob("*.json"))


@pytest.mark.parametrize("fixture_path", SEED_FIXTURES, ids=lambda p: p.stem)
def test_seed_post_references_match_the_hand_written_list(fixture_path: Path, shared_dir: Path) -> None:
    fixture = load(fixture_path)
    document_path = shared_dir / "seeds" / fixture["document"]
    document = extract(document_path.read_bytes(), name=document_path.name)
    assert document.format == fixture["format"]
    assert actual_rows(document) == expected_rows(fixture)


@pytest.mark.parametrize("fixture_path", DOCUMENT_FIXTURES, ids=lambda p: p.stem)
def test_document_references_match_the_hand_written_list(fixture_path: Path) -> None:
    fixture = load(fixture_path)
    document_path = FIXTURES / "documents" / fixture["document"]
    document = extract(document_path.read_bytes(), name=document_path.name)
    assert document.format == fixture["format"]
    assert actual_rows(document) == expected_rows(fixture)


@pytest.mark.parametrize("fixture_path", SEED_FIXTURES + DOCUMENT_FIXTURES, ids=lambda p: p.stem)
def test_every_reference_points_at_its_own_text_in_the_original(
    fixture_path: Path, request: pytest.FixtureRequest
) -> None:
    fixture = load(fixture_path)
    folder = "seeds" if fixture_path.parent.name == "seeds" else "documents"
    base = request.getfixturevalue("shared_dir") / "seeds" if folder == "seeds" else FIXTURES / "documents"
    document = extract((base / fixture["document"]).read_bytes(), name=fixture["document"])
    assert document.references
    for reference in document.references:
        if "\n" not in reference.text:
            assert text_at(document, reference) == reference.text
