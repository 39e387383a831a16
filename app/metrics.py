"""Prometheus metrics, served at /metrics: upstream traffic, cache effectiveness, refresh passes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.resolve.mirror_coverage import MirrorCoverage
from clients.arxiv import ClientHooks


class MirrorGauges(Collector):
    """The local mirror's coverage, as last read (at scrape time, by the /metrics route).

    Without a mirror only `arxiv_enrich_mirror_current` (0) is exported: an age or a record count
    of nothing would read as a real one."""

    def __init__(self) -> None:
        self._coverage: MirrorCoverage | None = None
        self._max_age_hours = 0.0

    def update(self, coverage: MirrorCoverage | None, max_age_hours: float) -> None:
        self._coverage, self._max_age_hours = coverage, max_age_hours

    def collect(self) -> Iterator[Metric]:
        coverage, now = self._coverage, datetime.now(UTC)
        current = coverage is not None and coverage.is_current(self._max_age_hours, now)
        yield GaugeMetricFamily("arxiv_enrich_mirror_current",
                                "1 while the mirror is complete and within MIRROR_MAX_AGE_HOURS (resolution "
                                "trusts it), else 0", value=int(current))
        if coverage is None:
            return
        yield GaugeMetricFamily("arxiv_enrich_mirror_complete_through_timestamp_seconds",
                                "Every record arXiv changed up to this moment is held (Unix time)",
                                value=coverage.complete_through.timestamp())
        yield GaugeMetricFamily("arxiv_enrich_mirror_age_seconds",
                                "Seconds since the moment the mirror is complete through",
                                value=coverage.age(now).total_seconds())
        yield GaugeMetricFamily("arxiv_enrich_mirror_records", "Papers held when the mirror last moved",
                                value=coverage.records)
        yield GaugeMetricFamily("arxiv_enrich_mirror_full_harvest_finished_timestamp_seconds",
                                "When the last full harvest finished (Unix time)",
                                value=coverage.full_harvest_finished_at.timestamp())


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
        self.mirror = MirrorGauges()
        r.register(self.mirror)


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
