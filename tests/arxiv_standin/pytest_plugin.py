"""pytest fixtures of the offline arXiv stand-in: a real server on loopback per test.

    def test_x(standin, arxiv_config):       # standin.faults.push("http_503"), standin.log, …
        client = ArxivClient(arxiv_config, sleep=no_sleep)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clients.arxiv import ClientConfig
from tests.arxiv_standin.corpus import SHARED_CORPUS, Corpus, StandinPaper, fixture_papers, shared_papers
from tests.arxiv_standin.server import StandIn

# Enough of the shared corpus for realistic batches and old-style ids, quick to load.
SHARED_SAMPLE = 3000


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked shared_corpus count on records only the shared corpus holds (ids the seeds cite,
    batches of hundreds): without it the stand-in serves its fixture records alone."""
    if item.get_closest_marker("shared_corpus") is not None and not SHARED_CORPUS.exists():
        pytest.skip(f"{SHARED_CORPUS} is absent: this test needs the shared corpus's records in the stand-in")


@pytest.fixture(scope="session")
def standin_papers() -> list[StandinPaper]:
    """Our fixture records plus the first records of the shared corpus (where ../shared exists)."""
    return shared_papers(SHARED_SAMPLE) + fixture_papers()


@pytest.fixture
def standin(standin_papers: list[StandinPaper]) -> Iterator[StandIn]:
    with StandIn(Corpus(standin_papers)) as server:
        yield server


@pytest.fixture
def arxiv_config(standin: StandIn) -> ClientConfig:
    """A client config pointed at the stand-in: no interval, short timeouts, few retries."""
    return ClientConfig(api_url=standin.url, oai_url=standin.oai_url, batch_size=50, timeout=2.0,
                        max_retries=3, min_interval=0.0, contact="tests@example.org")


class RecordingSleep:
    """A sleep that records what it was asked to wait and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def no_sleep() -> RecordingSleep:
    return RecordingSleep()
