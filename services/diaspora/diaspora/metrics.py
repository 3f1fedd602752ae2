"""Business counters of the diaspora service, in the service's own Prometheus registry."""

from __future__ import annotations

from prometheus_client import Counter

from shared.service import Service

_KEY = "diaspora_metrics"


class DiasporaMetrics:
    def __init__(self, service: Service) -> None:
        counter = service.metrics.counter
        self.kandas_decisions_overdue: Counter = counter(
            "kandas_decisions_overdue",
            "Kandas applications found pending past their decision deadline (once each)",
            ["region"],
        )
        # Shared by contract with the alert KoshqonDeadlineBreaches (docs/operations.md).
        self.deadline_breaches: Counter = counter(
            "deadline_breaches", "Statutory deadlines missed", ["deadline", "region"]
        )
        self.kandas_decisions_late: Counter = counter(
            "kandas_decisions_late", "Kandas decisions taken after their deadline", ["region"]
        )
        self.accommodation_overstays: Counter = counter(
            "accommodation_overstays",
            "Stays in a temporary accommodation centre past the calendar-day limit (once each)",
            ["centre"],
        )
        self.accommodation_check_ins_refused: Counter = counter(
            "accommodation_check_ins_refused",
            "Check-ins refused by the stay limit or the centre's capacity",
            ["reason"],
        )


def install(service: Service) -> None:
    service.state[_KEY] = DiasporaMetrics(service)


def metrics_of(service: Service) -> DiasporaMetrics:
    return service.state[_KEY]  # type: ignore[no-any-return]
