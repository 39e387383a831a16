"""A small stand-in for the harvest tests: a few hundred records in pages of 25, so a harvest has
many pages and takes a moment, not minutes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.arxiv_standin.corpus import Corpus, StandinPaper
from tests.arxiv_standin.server import StandIn

RECORDS = 400
PAGE = 25


@pytest.fixture
def standin(standin_papers: list[StandinPaper]) -> Iterator[StandIn]:
    with StandIn(Corpus(standin_papers[:RECORDS])) as server:
        server.state.oai_page_size = PAGE
        yield server
