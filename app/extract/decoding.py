"""Bytes to text: the document's encoding guessed, binary data refused with a reason."""

from __future__ import annotations

import codecs

from app.extract.errors import ExtractionError

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file; extract its text first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first"),
    (b"\x7fELF", "an executable"),
)
# Control characters other than tab, newline, carriage return and form feed do not occur in text.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.01
# Above this share of undecodable bytes among non-ASCII bytes the file is in a legacy 8-bit encoding.
_LEGACY_SHARE = 0.5


def decode_document(data: bytes) -> str:
    """The text of `data`: UTF-8 (BOM dropped), UTF-16 with a BOM, or Windows-1252.

    Mostly valid UTF-8 with a few bad bytes is decoded with U+FFFD in their place, so positions of
    everything else stay right; a file where most non-ASCII bytes are invalid UTF-8 is read as
    Windows-1252 (the usual legacy encoding). Binary data raises ExtractionError.
    """
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise ExtractionError(f"not a text document: the data is {what}")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ExtractionError(f"not a text document: invalid UTF-16 ({error.reason})") from error
    _refuse_binary(data[:_SAMPLE])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _invalid_share(data) > _LEGACY_SHARE:
        return data.decode("cp1252", errors="replace")
    return data.decode("utf-8", errors="replace")


def _refuse_binary(sample: bytes) -> None:
    if b"\x00" in sample:
        raise ExtractionError("not a text document: it contains NUL bytes (binary data?)")
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise ExtractionError(f"not a text document: {controls} control characters in the first {len(sample)} bytes")


def _invalid_share(data: bytes) -> float:
    non_ascii = len(data) - len(data.decode("ascii", errors="ignore"))
    if non_ascii == 0:
        return 0.0
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    return invalid / non_ascii
