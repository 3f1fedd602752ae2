"""The permits service's composition root."""

from __future__ import annotations

from permits import messages as _messages  # noqa: F401  (registers problem messages)
from permits.base import Base, plumbing
from permits.jobs import DEADLINES
from permits.labour_immigrants import models as _labour_immigrant_models  # noqa: F401
from permits.labour_immigrants.endpoints import router as labour_immigrants_router
from permits.labour_immigrants.events import TOPIC as LABOUR_IMMIGRANTS_TOPIC
from permits.presence import models as _presence_models  # noqa: F401  (registers tables)
from permits.presence.handlers import PRESENCE
from permits.quotas import models as _quota_models  # noqa: F401
from permits.quotas.endpoints import router as quotas_router
from permits.quotas.events import TOPIC as QUOTAS_TOPIC
from permits.rulebook import rulebook
from permits.verification.endpoints import router as verification_router
from permits.work_permits import models as _work_permit_models  # noqa: F401
from permits.work_permits.endpoints import router as work_permits_router
from permits.work_permits.events import TOPIC as WORK_PERMITS_TOPIC
from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

NAME = "permits"
PORT = 8002


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        rules=rulebook,
        title="permits",
        description=(
            "Foreign labour: quotas, employers' work permits, labour-immigrant permits "
            "(household work, monthly tax prepayment), public verification."
        ),
        port=PORT,
        package="permits",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[
            quotas_router,
            work_permits_router,
            labour_immigrants_router,
            verification_router,
        ],
        topics=[QUOTAS_TOPIC, WORK_PERMITS_TOPIC, LABOUR_IMMIGRANTS_TOPIC],
        consumers=[PRESENCE],
        jobs=[DEADLINES],
        state={"rules": rulebook()},
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
