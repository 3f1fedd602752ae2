"""The diaspora service's composition root."""

from __future__ import annotations

from diaspora import messages as _messages  # noqa: F401  (registers the service's messages)
from diaspora.accommodation import models as _accommodation_models  # noqa: F401  (tables)
from diaspora.accommodation.endpoints import router as accommodation_router
from diaspora.accommodation.events import TOPIC as CENTRES_TOPIC
from diaspora.adaptation import models as _adaptation_models  # noqa: F401  (tables)
from diaspora.adaptation.endpoints import router as adaptation_router
from diaspora.base import Base, plumbing
from diaspora.cases import models as _case_models  # noqa: F401  (tables)
from diaspora.cases.endpoints import router as cases_router
from diaspora.jobs import JOBS
from diaspora.kandas import models as _kandas_models  # noqa: F401  (tables)
from diaspora.kandas.endpoints import router as kandas_router
from diaspora.kandas.events import TOPIC as KANDAS_TOPIC
from diaspora.metrics import install as install_metrics
from diaspora.reference.endpoints import router as reference_router
from diaspora.registry import models as _registry_models  # noqa: F401  (tables)
from diaspora.registry.endpoints import router as registry_router
from diaspora.registry.events import TOPIC as REGISTRY_TOPIC
from diaspora.resettlement import models as _resettlement_models  # noqa: F401  (tables)
from diaspora.resettlement.endpoints import router as resettlement_router
from diaspora.resettlement.events import TOPIC as RESETTLEMENT_TOPIC
from diaspora.rulebook import rulebook
from shared.bus import Bus
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings

NAME = "diaspora"
PORT = 8003


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        rules=rulebook,
        title="diaspora",
        description=(
            "Kandas status, accommodation and adaptation centres, regional resettlement quota "
            "and support, the registry of compatriots and diaspora organisations."
        ),
        port=PORT,
        package="diaspora",
        metadata=Base.metadata,
        plumbing=plumbing,
        routers=[
            kandas_router,
            accommodation_router,
            adaptation_router,
            resettlement_router,
            registry_router,
            cases_router,
            reference_router,
        ],
        topics=[KANDAS_TOPIC, CENTRES_TOPIC, RESETTLEMENT_TOPIC, REGISTRY_TOPIC],
        jobs=JOBS,
        setup=install_metrics,
    )


def create_service(settings: ServiceSettings | None = None, bus: Bus | None = None) -> Service:
    settings = (settings or ServiceSettings.for_service(NAME)).with_defaults(NAME, PORT)
    return Service(definition(), settings, bus)
