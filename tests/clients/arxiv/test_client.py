"""The arXiv client against the stand-in: batching, politeness, and every fault arXiv serves."""

from __future__ import annotations

import itertools

import pytest

from clients.arxiv import (
    ArxivApiError,
    ArxivClient,
    ClientConfig,
    Found,
    NotFound,
    PartialLookup,
    UpstreamUnavailable,
    VersionNotFound,
    all_of,
    phrase,
)
from clients.arxiv.retry import RATE_LIMIT_FLOOR
from tests.arxiv_standin.faults import Fault
from tests.arxiv_standin.pytest_plugin import RecordingSleep
from tests.arxiv_standin.server import StandIn

SIMCLR = "2002.05709"


def client_for(config: ClientConfig, sleep: RecordingSleep, **changes: object) -> ArxivClient:
    from dataclasses import replace

    return ArxivClient(replace(config, **changes), sleep=sleep)  # type: ignore[arg-type]


@pytest.mark.shared_corpus
async def test_ids_go_in_batches_of_batch_size_as_form_posts(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep,
    standin_papers: list,  # type: ignore[type-arg]
) -> None:
    ids = [p.arxiv_id for p in standin_papers[:120]]
    async with client_for(arxiv_config, no_sleep, batch_size=50) as client:
        answers = await client.lookup(ids)
    assert all(isinstance(answers[i], Found) for i in answers)
    assert len(answers) == 120
    requests = standin.api_requests()
    assert [len(r.ids) for r in requests] == [50, 50, 20]
    assert all(r.method == "POST" for r in requests)
    assert all(r.params["max_results"] == str(len(r.ids)) for r in requests)
    assert requests[0].headers["User-Agent"].startswith("arxiv-enrich/")
    assert "mailto:tests@example.org" in requests[0].headers["User-Agent"]


@pytest.mark.shared_corpus
async def test_entries_are_matched_by_id_not_by_order(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    # The server answers in publication order; ask in the reverse of it.
    ids = ["1706.03762", SIMCLR, "hep-th/9108002"]
    async with client_for(arxiv_config, no_sleep) as client:
        answers = await client.lookup(ids)
    for asked, answer in answers.items():
        assert isinstance(answer, Found)
        assert answer.paper.arxiv_id == asked.base


async def test_prefixed_and_url_forms_are_sent_normalised(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        answers = await client.lookup([f"arXiv:{SIMCLR}", "https://arxiv.org/abs/1706.03762v5"])
    assert all(isinstance(a, Found) for a in answers.values())
    sent = standin.api_requests()[0].ids
    assert sorted(sent) == sorted([SIMCLR, "1706.03762v5", "1706.03762"])


async def test_unknown_id_is_not_found_only_after_three_complete_answers(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        answers = await client.lookup(["2002.99999", SIMCLR])
    assert isinstance(answers[next(i for i in answers if i.base == "2002.99999")], NotFound)
    requests = standin.api_requests()
    assert len(requests) == 3
    assert requests[1].ids == requests[2].ids == ["2002.99999"]


async def test_a_transient_empty_page_does_not_make_a_paper_missing(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    standin.faults.push("transient_empty")
    async with client_for(arxiv_config, no_sleep) as client:
        answers = await client.lookup([SIMCLR])
    assert isinstance(next(iter(answers.values())), Found)


async def test_a_missing_version_is_version_not_found_with_the_latest(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        answers = await client.lookup(["1706.03762v99", "1706.03762v1"])
    by_version = {k.version: v for k, v in answers.items()}
    assert isinstance(by_version[99], VersionNotFound)
    assert by_version[99].latest.version >= 5
    assert isinstance(by_version[1], Found)
    assert by_version[1].paper.version == 1
    assert by_version[1].latest.version == by_version[99].latest.version


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault("http_503"), "http_5xx"),
        (Fault("http_500"), "http_5xx"),
        (Fault("reset"), "connection"),
        (Fault("truncated"), "malformed"),
        (Fault("empty_body"), "malformed"),
        (Fault("html_block"), "malformed"),
        (Fault("billion_laughs"), "malformed"),
        (Fault("external_entity"), "malformed"),
        (Fault("slow", delay=3.0), "timeout"),
    ],
)
async def test_each_fault_is_retried_until_a_good_answer(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep, fault: Fault, kind: str
) -> None:
    retried: list[str] = []
    standin.faults.push(fault)
    async with client_for(arxiv_config, no_sleep, timeout=1.0) as client:
        client._policy.on_retry = lambda reason, _attempt: retried.append(reason)
        answers = await client.lookup([SIMCLR])
    assert isinstance(next(iter(answers.values())), Found)
    assert retried == [kind]
    assert len(standin.api_requests()) == 2


async def test_retry_after_is_honoured(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    standin.faults.push(Fault("http_503", retry_after="7"))
    async with client_for(arxiv_config, no_sleep) as client:
        await client.lookup([SIMCLR])
    assert no_sleep.waits == [7.0]


async def test_429_without_retry_after_backs_off_at_least_the_floor(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    standin.faults.push("http_429", "http_429")
    async with client_for(arxiv_config, no_sleep) as client:
        await client.lookup([SIMCLR])
    assert len(no_sleep.waits) == 2
    assert all(wait >= RATE_LIMIT_FLOOR for wait in no_sleep.waits)


async def test_after_max_retries_arxiv_is_unavailable_not_missing(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    standin.faults.push(*["http_503"] * 10)
    async with client_for(arxiv_config, no_sleep, max_retries=3) as client:
        with pytest.raises(UpstreamUnavailable) as caught:
            await client.lookup([SIMCLR])
    assert caught.value.attempts == 4
    assert len(standin.api_requests()) == 4


async def test_error_feed_becomes_a_typed_error_with_arxivs_message(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        with pytest.raises(ArxivApiError) as caught:
            await client.search("ti:(unbalanced")
    assert caught.value.status == 400
    assert "Invalid query string" in caught.value.message
    assert len(standin.api_requests()) == 1


@pytest.mark.shared_corpus
async def test_one_request_at_a_time_min_interval_apart(
    standin: StandIn, arxiv_config: ClientConfig
) -> None:
    import asyncio

    async with ArxivClient(ClientConfig(api_url=standin.url, min_interval=0.2, batch_size=1)) as client:
        await asyncio.gather(*(client.lookup([i]) for i in (SIMCLR, "1706.03762", "hep-th/9108002")))
    starts = sorted(r.started for r in standin.api_requests())
    assert len(starts) == 3
    # A lower bound only: the gate sleeps at least min_interval between starts, however loaded.
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(starts))
    assert standin.state.most_in_flight == 1


async def test_a_quoted_title_phrase_finds_the_paper_where_bare_words_find_many(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        exact = await client.search(phrase("ti", "Attention Is All You Need"), max_results=5)
        loose = await client.search("Attention Is All You Need", max_results=5)
        both = await client.search(all_of(phrase("ti", "Attention"), phrase("au", "Vaswani")))
    assert [p.arxiv_id for p in exact.papers] == ["1706.03762"]
    assert loose.total > exact.total
    assert [p.arxiv_id for p in both.papers] == ["1706.03762"]
    assert standin.api_requests()[1].params["search_query"] == "Attention Is All You Need"


@pytest.mark.shared_corpus
async def test_search_all_pages_through_results(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    async with client_for(arxiv_config, no_sleep) as client:
        first = await client.search("cat:hep-th", max_results=1)
        papers = [p async for p in client.search_all("cat:hep-th", limit=45, page_size=20)]
    assert first.total >= 45
    assert len({p.arxiv_id for p in papers}) == 45
    assert [r.params["start"] for r in standin.api_requests()[1:]] == ["0", "20", "40"]


async def test_harvest_follows_resumption_tokens_and_waits_out_a_503(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    standin.state.oai_page_size = 1000
    standin.faults.push(Fault("http_503", retry_after="2"))
    async with client_for(arxiv_config, no_sleep) as client:
        pages = [page async for page in client.harvest(metadata_prefix="arXivRaw")]
    assert len(pages) == -(-len(standin.state.corpus) // 1000)
    assert sum(len(p.records) for p in pages) == len(standin.state.corpus)
    assert pages[-1].resumption_token is None
    assert no_sleep.waits == [2.0]
    assert all(p.versions for page in pages for p in page.records)


async def test_a_failed_confirmation_round_keeps_the_answers_of_the_first(
    standin: StandIn, arxiv_config: ClientConfig, no_sleep: RecordingSleep
) -> None:
    # The first answer has SimCLR and lacks the made-up id; every confirmation attempt then fails.
    standin.faults.push(Fault("slow", delay=0.001), *["http_503"] * 10)
    async with client_for(arxiv_config, no_sleep, max_retries=2) as client:
        with pytest.raises(PartialLookup) as caught:
            await client.lookup([SIMCLR, "2002.99999"])
    (found,) = caught.value.answers.items()
    assert str(found[0]) == SIMCLR and isinstance(found[1], Found)
    assert found[1].paper.title.startswith("A Simple Framework")
    assert isinstance(caught.value, UpstreamUnavailable)  # callers that know no better: unverified


def test_the_sync_client_keeps_one_gate_so_successive_calls_stay_apart(
    standin: StandIn, arxiv_config: ClientConfig
) -> None:
    from dataclasses import replace

    from clients.arxiv import SyncArxivClient

    with SyncArxivClient(replace(arxiv_config, min_interval=1.0)) as client:
        client.lookup([SIMCLR])
        client.lookup(["1706.03762"])
        client.search('ti:"Attention Is All You Need"', max_results=1)
    starts = [r.started for r in standin.api_requests()]
    assert len(starts) == 3
    # The gate made the later calls wait (a fresh client per call would have started at once).
    # (the server sees each start a little after the client: a first request also connects)
    assert all(later - earlier >= 0.8 for earlier, later in itertools.pairwise(starts))
