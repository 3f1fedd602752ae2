"""The registration service's composition root."""

from __future__ import annotations

from registration import messages as _messages  # noqa: F401  (registers kk/ru/en messages)
from registration.access_log.endpoints import router as access_log_router
from registration.arrivals import models as _arrival_models  # noqa: F401  (registers tables)
from registration.arrivals.endpoints import router as arrivals_router
from registration.arrivals.events import TOPIC as ARRIVALS_TOPIC
from registration.base import Base, plumbing
from registration.cases import models as _case_models  # noqa: F401
from registration.cases.endpoints import router as cases_router
from registration.cases.handlers import CASE_TIMELINE
from registration.departures import models as _departure_models  # noqa: F401
from registration.departures.endpoints import router as departures_router
from registration.departures.events import TOPIC as DEPARTURES_TOPIC
from registration.evisa import models as _evisa_models  # noqa: F401
from registration.evisa.endpoints import router as evisa_router
from registration.evisa.events import TOPIC as EVISA_TOPIC
from registration.evisa.jobs import visa_expiry_job
from registration.invitations import models as _invitation_models  # noqa: F401
from registration.invitations.endpoints import router as invitations_router
from registration.invitations.events import TOPIC as INVITATIONS_TOPIC
from registration.reference.endpoints import router as reference_router
from registration.residence_permits import models as _permit_models  # noqa: F401
from registration.residence_permits.endpoints import router as residence_permits_router
from registration.residence_permits.events import TOPIC as RESIDENCE_PERMITS_TOPIC
from registration.rulebook import rulebook
from registration.stays import models as _stay_models  # noqa: F401
from registration.stays.endpoints import router as stays_router
from registration.stays.events import TOPIC as STAYS_TOPIC
from registration.stays.jobs import overstay_job
from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

NAME = "registration"
PORT = 8001


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        rules=rulebook,
        title="registration",
        description=(
            "Foreigners' entry and stay: invitations, e-Visa, arrival notifications by hosts, "
            "stay limits and overstays, departures, temporary residence permits."
        ),
        port=PORT,
        package="registration",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[
            invitations_router,
            evisa_router,
            arrivals_router,
            stays_router,
            access_log_router,
            departures_router,
            residence_permits_router,
            reference_router,
            cases_router,
        ],
        topics=[
            INVITATIONS_TOPIC,
            EVISA_TOPIC,
            ARRIVALS_TOPIC,
            STAYS_TOPIC,
            DEPARTURES_TOPIC,
            RESIDENCE_PERMITS_TOPIC,
        ],
        consumers=[CASE_TIMELINE],
        jobs=[overstay_job, visa_expiry_job],
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
