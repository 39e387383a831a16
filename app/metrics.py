"""Prometheus metrics, served at /metrics: upstream traffic, cache effectiveness, refresh passes."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram

from clients.arxiv import ClientHooks


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.upstream_requests = Counter(
            "arxiv_enrich_upstream_requests", "Requests sent to arXiv, by outcome", ["outcome"], registry=r)
        self.upstream_request_seconds = Histogram(
            "arxiv_enrich_upstream_request_seconds", "Time of one request to arXiv", registry=r,
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120))
        self.upstream_retries = Counter(
            "arxiv_enrich_upstream_retries", "Retries of requests to arXiv, by reason", ["reason"], registry=r)
        self.cache_lookups = Counter(
            "arxiv_enrich_cache_lookups", "Id and title lookups, by kind and cache result",
            ["kind", "result"], registry=r)
        self.refresh_pass_seconds = Histogram(
            "arxiv_enrich_refresh_pass_seconds", "Duration of refresh passes", registry=r,
            buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600))
        self.papers_changed = Counter(
            "arxiv_enrich_papers_changed", "Papers a refresh pass found changed", registry=r)


class MetricsHooks(ClientHooks):
    """clients.arxiv's ClientHooks, counting into our metrics."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def request_done(self, outcome: str, seconds: float) -> None:
        self._metrics.upstream_requests.labels(outcome=outcome).inc()
        self._metrics.upstream_request_seconds.observe(seconds)

    def retrying(self, reason: str, attempt: int) -> None:
        self._metrics.upstream_retries.labels(reason=reason).inc()


# One set per process: every runtime in it reports into the same counters, as Prometheus expects.
METRICS = Metrics()
