"""The statistics service's composition root."""

from __future__ import annotations

from shared.bus import Bus
from shared.jobs import periodic
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings
from statistics_service import messages as _messages  # noqa: F401  (registers messages)
from statistics_service.base import Base, plumbing
from statistics_service.dashboard.endpoints import router as dashboard_router
from statistics_service.facts import models as _fact_models  # noqa: F401  (registers tables)
from statistics_service.facts.projections import PROJECTION
from statistics_service.forecasts.endpoints import router as forecasts_router
from statistics_service.freshness import metrics as freshness
from statistics_service.indicators.endpoints import router as indicators_router
from statistics_service.open_data.endpoints import router as open_data_router
from statistics_service.publication.job import publish_changed
from statistics_service.publication.settings import PublicationSettings
from statistics_service.reference.endpoints import router as reference_router
from statistics_service.rulebook import rulebook

NAME = "statistics"
PORT = 8004


def _setup(service: Service) -> None:
    # The dashboard lives at the root, outside /api/v1.
    service.app.include_router(dashboard_router)
    freshness.install(service)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        rules=rulebook,
        title="statistics",
        description=(
            "PII-free indicators projected from every service's events, official reference "
            "series from the source documents, open data, forecasts and a dashboard."
        ),
        port=PORT,
        package="statistics_service",
        metadata=Base.metadata,
        plumbing=plumbing,
        # Open data first: `/reference/{id}.csv` must not be taken for a series id.
        routers=[open_data_router, indicators_router, forecasts_router, reference_router],
        topics=[],
        consumers=[PROJECTION],
        jobs=[
            periodic("statistics-freshness", freshness.REFRESH_SECONDS, freshness.refresh),
            periodic("statistics-publication", PublicationSettings().publish_interval_seconds,
                     publish_changed),
        ],
        setup=_setup,
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
