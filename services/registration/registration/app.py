"""The registration service's composition root."""

from __future__ import annotations

from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

from registration.arrivals import models as _arrival_models  # noqa: F401  (registers tables)
from registration.arrivals.endpoints import router as arrivals_router
from registration.arrivals.events import TOPIC as ARRIVALS_TOPIC
from registration.base import Base, plumbing
from registration.reference.endpoints import router as reference_router

NAME = "registration"
PORT = 8001


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        title="registration",
        description=(
            "Foreigners' entry and stay: invitations, e-Visa, arrival notifications by hosts, "
            "stay limits and overstays, departures, temporary residence permits."
        ),
        port=PORT,
        package="registration",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[arrivals_router, reference_router],
        topics=[ARRIVALS_TOPIC],
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
