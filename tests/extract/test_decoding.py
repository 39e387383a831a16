"""Bytes become text, or a clear error: binary data is refused, damaged text is still read."""

from __future__ import annotations

import codecs

import pytest

from app.extract import ExtractionError, extract

REFERENCE = "See arXiv:2002.05709 for details.\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (bytes(range(256)) * 40, "NUL"),
    ],
)
def test_binary_data_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract(data)


def test_a_few_invalid_utf8_bytes_are_replaced_and_the_rest_is_read() -> None:
    data = "Café — naïve résumé ".encode() + b"\xff notes\n" + REFERENCE.encode()
    document = extract(data, name="notes.txt")
    assert "\ufffd" in document.text
    (reference,) = document.references
    assert (reference.line, reference.column, reference.cited.arxiv_id) == (2, 5, "2002.05709")


def test_a_windows_1252_document_is_decoded_as_such() -> None:
    data = "Les “références” de René: arXiv:2002.05709\n".encode("cp1252")
    document = extract(data, name="notes.txt")
    assert document.text.startswith("Les “références” de René")
    assert document.references[0].column == 27


def test_a_utf8_bom_is_dropped_so_columns_start_at_the_text() -> None:
    document = extract(codecs.BOM_UTF8 + REFERENCE.encode(), name="notes.txt")
    assert (document.references[0].line, document.references[0].column) == (1, 5)


def test_utf16_with_a_bom_is_read() -> None:
    document = extract(REFERENCE.encode("utf-16"), name="notes.txt")
    assert document.references[0].cited.arxiv_id == "2002.05709"


def test_sha256_is_of_the_original_bytes() -> None:
    import hashlib

    data = codecs.BOM_UTF8 + REFERENCE.encode()
    assert extract(data).sha256 == hashlib.sha256(data).hexdigest()


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(ExtractionError, match="unknown document format"):
        extract(REFERENCE, format="pdf")  # type: ignore[arg-type]
