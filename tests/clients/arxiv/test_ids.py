"""The id grammar: every way a paper is named, and every way an id can be wrong."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.arxiv import ArxivId, MalformedIdError, find_id_spans, ids, parse_id
from clients.arxiv.ids import OLD_ARCHIVES


@pytest.mark.parametrize(
    ("text", "base", "version"),
    [
        ("2002.05709", "2002.05709", None),
        ("arXiv:2002.05709v3", "2002.05709", 3),
        ("ARXIV:2002.05709V3", "2002.05709", 3),
        ("Ar{X}iv:1706.03762", "1706.03762", None),
        ("arXiv preprint arXiv:1412.6980", "1412.6980", None),
        ("2002.05709 [cs.LG]", "2002.05709", None),
        ("0704.0001", "0704.0001", None),
        ("hep-th/9901001v2", "hep-th/9901001", 2),
        ("math.GT/0309136", "math/0309136", None),
        ("hepth/9901001", "hep-th/9901001", None),
        ("cs/0112017", "cs/0112017", None),
        ("https://arxiv.org/abs/2002.05709", "2002.05709", None),
        ("http://www.arxiv.org/pdf/2002.05709v2.pdf", "2002.05709", 2),
        ("https://export.arxiv.org/abs/hep-ph/9805268?context=x#a", "hep-ph/9805268", None),
        ("arxiv.org/html/2103.00020v1", "2103.00020", 1),
        ("https://arxiv.org/format/2002.05709", "2002.05709", None),
        ("10.48550/arXiv.2002.05709", "2002.05709", None),
        ("https://doi.org/10.48550/ARXIV.1706.03762", "1706.03762", None),
        ("doi:10.48550/arxiv.hep-th/9901001", "hep-th/9901001", None),
    ],
)
def test_every_form_parses_to_the_canonical_id(text: str, base: str, version: int | None) -> None:
    assert parse_id(text) == ArxivId(base, version)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1713.00001", "month 13"),
        ("1400.00001", "month 00"),
        ("1401.12345", "before 1501 have 4 digits"),
        ("1501.1234", "from 1501 on have 5 digits"),
        ("2002.057091", "not 6"),
        ("0703.1234", "April 2007"),
        ("hep-th/0704001", "1991-08 to 2007-03"),
        ("foo-bar/9901001", "not an arXiv archive"),
        ("2002.05709v0", "v1 or later"),
        ("abc", "not of the form"),
        ("", "empty"),
    ],
)
def test_ids_that_cannot_be_are_rejected_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(MalformedIdError) as caught:
        parse_id(text)
    assert reason in caught.value.reason


@st.composite
def valid_ids(draw: st.DrawFn) -> ArxivId:
    version = draw(st.one_of(st.none(), st.integers(1, 30)))
    if draw(st.booleans()):
        yy = draw(st.integers(7, 26))
        mm = draw(st.integers(4 if yy == 7 else 1, 12))
        digits = 5 if yy >= 15 else 4
        number = draw(st.integers(1, 10**digits - 1))
        return ArxivId(f"{yy:02d}{mm:02d}.{number:0{digits}d}", version)
    archive = draw(st.sampled_from(sorted(OLD_ARCHIVES)))
    year = draw(st.integers(1992, 2006))
    month = draw(st.integers(1, 12))
    number = draw(st.integers(1, 999))
    return ArxivId(f"{archive}/{year % 100:02d}{month:02d}{number:03d}", version)


def _forms(arxiv_id: ArxivId, data: st.DataObject) -> list[str]:
    vid = arxiv_id.versioned
    prefix = data.draw(st.sampled_from(["arXiv:", "arxiv:", "ARXIV:", "Ar{X}iv:"]))
    host = data.draw(st.sampled_from(["arxiv.org", "www.arxiv.org", "export.arxiv.org"]))
    scheme = data.draw(st.sampled_from(["http://", "https://", ""]))
    tail = data.draw(st.sampled_from(["", "?context=cs", "#section"]))
    doi_prefix = data.draw(st.sampled_from(["", "https://doi.org/", "doi:"]))
    doi_case = data.draw(st.sampled_from(["arXiv", "ARXIV", "arxiv"]))
    forms = [vid, f"{prefix}{vid}", f"{vid} [cs.LG]", f"{scheme}{host}/abs/{vid}{tail}",
             f"{scheme}{host}/pdf/{vid}", f"{scheme}{host}/pdf/{vid}.pdf", f"{scheme}{host}/html/{vid}"]
    if arxiv_id.version is None:
        forms.append(f"{doi_prefix}10.48550/{doi_case}.{arxiv_id.base}")
    return forms


@settings(max_examples=300, deadline=None)
@given(valid_ids(), st.data())
def test_every_valid_id_round_trips_through_every_form(arxiv_id: ArxivId, data: st.DataObject) -> None:
    for form in _forms(arxiv_id, data):
        assert parse_id(form) == arxiv_id, form
    spans = list(find_id_spans(f"see {_forms(arxiv_id, data)[3]} for details."))
    assert [s.arxiv_id for s in spans] == [arxiv_id]


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_random_text_raises_nothing_unexpected(text: str) -> None:
    with contextlib.suppress(MalformedIdError):
        parse_id(text)
    for span in find_id_spans(text):
        assert text[span.start:span.end] == span.text
        if span.arxiv_id is not None:
            assert parse_id(span.text) == span.arxiv_id


def test_spans_skip_numbers_that_are_not_ids() -> None:
    text = ("doi 10.1007/978-3-030-2004.07871 costs 1906.004 dollars, version 1.2.3; "
            "but arXiv:2002.05709 and [hep-ph/9805268] are papers, 1713.00001 is not.")
    spans = list(find_id_spans(text))
    assert [(s.text, s.arxiv_id is not None) for s in spans] == [
        ("arXiv:2002.05709", True), ("hep-ph/9805268", True), ("1713.00001", False)]
    assert spans[-1].reason is not None
    assert "month 13" in spans[-1].reason


@pytest.mark.timeout(30)
def test_a_long_hostile_document_does_not_hang_the_scanner() -> None:
    # A pattern that backtracks catastrophically would take hours here; the real scan takes a second.
    text = ("word " * 200 + "\n") * 5000 + "1234." * 100_000
    assert list(find_id_spans(text)) == []


# Each line read on its own, with its spans' offsets moved to the whole text's.
def _line_by_line(text: str) -> list[ids.IdSpanFields]:
    found: list[ids.IdSpanFields] = []
    line_start = 0
    for line in text.split("\n"):
        for start, end, *rest in ids.id_span_fields(line):
            found.append((line_start + start, line_start + end, *rest))  # type: ignore[arg-type]
        line_start += len(line) + 1
    return found


SCAN_PIECES = [
    *("arXiv:", "arxiv ", "ar{X}iv:", "Ar{x}iv", "{", "}", "arXiv preprint ", "doi:", "DOI:  ", "doi:" + " " * 40),
    *("10.48550/arXiv.", "https://", "http://www.", "https://export.", "https://dx.doi.org/", "arxiv.org/abs/"),
    *("arxiv.org/pdf/", "2002.05709", "2002.0570", "1706.03762v2", "0704.0001", "hep-th/9901001", "math.GT/"),
    *("quant-ph/", "supr-con.SC/", "9901001", "1234567", ".pdf", "v3", "3.5", "1/2", " ", "  ", "\n", "\t"),
    *("(", ")", "[", "]", "ARXIV:", "arxİv:", "arXıv ", "DOİ:", "dOi:"),
    *(".", ",", ";", "/", "-", "_", "a", "x" * 40, " the paper ", "İ", "ı", "٣"),
    # whole forms whose match starts furthest before its first anchor
    *("https://dx.doi.org/10.48550/arXiv.2002.05709", "http://dx.doi.org/10.48550/arxiv.hep-th/9901001"),
    *("https://export.arxiv.org/abs/2002.05709", "https://www.arxiv.org/pdf/1706.03762v1", "supr-con.SC/9901001v2"),
]
scan_texts = st.lists(st.sampled_from(SCAN_PIECES), max_size=16).map("".join)


@settings(max_examples=3000, deadline=None)
@given(scan_texts)
def test_no_reference_spans_lines(text: str) -> None:
    # "doi:" or "arXiv:" at the end of one line and an id on the next are two pieces of text
    assert list(ids.id_span_fields(text)) == _line_by_line(text)


@pytest.mark.parametrize("text", ["arXiv:２００２.０５７０９", "ａｒＸｉｖ：２００２．０５７０９", "٢٠٠٢.٠٥٧٠٩",
                                  "https://arxiv.org/abs/２００２.０５７０９"])
def test_non_ascii_digits_and_letters_are_read_as_ascii(text: str) -> None:
    assert parse_id(text) == ArxivId("2002.05709")
    (span,) = find_id_spans(f"see {text}.")
    assert span.arxiv_id == ArxivId("2002.05709") and span.text == text and span.start == 4
