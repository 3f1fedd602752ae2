"""Prometheus metrics, one registry per service (several services can share a process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        labels = {"service": service}
        self.requests = Counter(
            "http_requests_total", "HTTP requests answered", ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds", "Time to answer an HTTP request",
            ["method", "route"], registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.outbox_pending = Gauge(
            "outbox_pending", "Events written but not yet published", registry=self.registry
        )
        self.outbox_oldest_age = Gauge(
            "outbox_oldest_age_seconds", "Age of the oldest unpublished event",
            registry=self.registry,
        )
        self.events_published = Gauge(
            "outbox_published_total", "Events published by this process's relay",
            registry=self.registry,
        )
        self.consumer_applied = Gauge(
            "consumer_events_applied_total", "Events applied", ["consumer"], registry=self.registry
        )
        self.consumer_duplicates = Gauge(
            "consumer_events_duplicate_total", "Redelivered events ignored", ["consumer"],
            registry=self.registry,
        )
        self.consumer_dead_lettered = Gauge(
            "consumer_events_dead_lettered_total", "Events sent to a dead-letter topic",
            ["consumer"], registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "consumer_lag", "Records not yet consumed", ["consumer"], registry=self.registry
        )
        self.info = Gauge("koshqon_service_info", "This service", ["service"],
                          registry=self.registry)
        self.info.labels(**labels).set(1)

    def counter(self, name: str, documentation: str, labels: list[str]) -> Counter:
        """A business counter of the service, in the same registry."""
        return Counter(name, documentation, labels, registry=self.registry)
