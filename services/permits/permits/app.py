"""The permits service's composition root."""

from __future__ import annotations

from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

from permits.base import Base, plumbing
from permits.presence import models as _presence_models  # noqa: F401  (registers tables)
from permits.presence.handlers import PRESENCE

NAME = "permits"
PORT = 8002


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        title="permits",
        description=(
            "Foreign labour: quotas, employers' work permits, labour-immigrant permits "
            "(household work, monthly tax prepayment), public verification."
        ),
        port=PORT,
        package="permits",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[],
        topics=["koshqon.permits.work-permits", "koshqon.permits.labour-immigrant-permits"],
        consumers=[PRESENCE],
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
