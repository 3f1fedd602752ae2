"""The statistics service's composition root."""

from __future__ import annotations

from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings
from statistics_service.base import Base, plumbing
from statistics_service.facts import models as _fact_models  # noqa: F401  (registers tables)
from statistics_service.facts.projections import PROJECTION
from statistics_service.indicators.endpoints import router as indicators_router
from statistics_service.reference.endpoints import router as reference_router

NAME = "statistics"
PORT = 8004


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        title="statistics",
        description=(
            "PII-free indicators projected from every service's events, official reference "
            "series from the source documents, open data."
        ),
        port=PORT,
        package="statistics_service",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[indicators_router, reference_router],
        topics=[],
        consumers=[PROJECTION],
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
