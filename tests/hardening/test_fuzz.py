"""Fuzzing: 10,000 generated inputs for the id grammar and for every extractor; no crash, no hang.

Inputs mix random text with the pieces real documents are made of (ids, URLs, BibTeX and Markdown
syntax), so the generator reaches the parsers' deep paths, not only their first check.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extract import ExtractionError, extract
from clients.arxiv import MalformedIdError, find_id_spans, parse_id

PIECES = [
    "arXiv:", "arxiv.org/abs/", "https://arxiv.org/pdf/", ".pdf", "v2", "2002.05709", "hep-th/9901001",
    "1713.0001", "10.48550/arXiv.", "[", "]", "(", ")", "**", "*", "_", "#", "##", "- ", "1. ", "\n", "\n\n",
    "```", "```bibtex\n", "@article{", "title = {", "}", "eprint = ", "archivePrefix = {arXiv}",
    "journal = {CoRR}", "volume = {abs/", "\\bibitem{", "\\newblock ", "<a href=\"", "\">", "</a>", "<p>",
    "<script>", "</script>", "Authors: ", "Released in: ", "Accepted to: ", "(2020)", " et al.", "√§", "üéâ",
    "\"", "'", "\\", "{", ",", ";", ":", "\t", "\u00a0", "\u200b", "\ufeff",
]
FORMATS = ["auto", "markdown", "html", "text", "bibtex", "latex", "rst"]
document = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)
FUZZ = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.timeout(900)
@FUZZ
@given(document)
def test_the_id_grammar_never_crashes(text: str) -> None:
    with contextlib.suppress(MalformedIdError):
        parse_id(text)
    for span in find_id_spans(text):
        assert text[span.start:span.end] == span.text


@pytest.mark.timeout(900)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_extractor_survives_generated_documents(fmt: str) -> None:
    @FUZZ
    @given(document)
    def run(text: str) -> None:
        try:
            result = extract(text, name=None, format=fmt)  # type: ignore[arg-type]
        except ExtractionError:
            return
        lines = text.splitlines() or [""]
        for reference in result.references:
            assert 1 <= reference.line <= len(lines) + 1
            assert reference.column >= 1

    run()
