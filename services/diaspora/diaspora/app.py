"""The diaspora service's composition root."""

from __future__ import annotations

from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

from diaspora.base import Base, plumbing

NAME = "diaspora"
PORT = 8003


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        title="diaspora",
        description=(
            "Kandas status, accommodation and adaptation centres, regional resettlement quota "
            "and support, the registry of compatriots and diaspora organisations."
        ),
        port=PORT,
        package="diaspora",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[],
        topics=["koshqon.diaspora.kandas"],
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
