"""`statistics_freshness_seconds{indicator}`: how old the newest event counted into each indicator
is, computed at scrape time from timestamps a periodic job reads from the `freshness` table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from statistics_service.facts import repository
from statistics_service.indicators.service import freshness_seconds

if TYPE_CHECKING:
    from shared.service import Service

STATE_KEY = "freshness"
REFRESH_SECONDS = 5.0


class FreshnessCollector(Collector):
    def __init__(self) -> None:
        self.newest: dict[str, datetime] = {}

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "statistics_freshness_seconds",
            "Seconds since the newest event counted into the indicator",
            labels=["indicator"],
        )
        now = datetime.now(UTC)
        for indicator, newest in sorted(self.newest.items()):
            seconds = freshness_seconds(newest, now)
            if seconds is not None:
                gauge.add_metric([indicator], seconds)
        yield gauge


def install(service: Service) -> None:
    """Registers the collector in the service's metrics registry."""
    collector = FreshnessCollector()
    service.metrics.registry.register(collector)
    service.state[STATE_KEY] = collector


async def refresh(service: Service) -> int:
    """Reads the newest event time of every indicator; returns how many indicators have one."""
    collector: FreshnessCollector = service.state[STATE_KEY]
    async with service.db.transaction() as session:
        collector.newest.update(await repository.all_freshness(session))
    return len(collector.newest)
