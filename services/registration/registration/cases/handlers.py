"""The consumer that keeps case timelines: registration's own topics and permits' work permits."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from registration.arrivals.events import TOPIC as ARRIVALS_TOPIC
from registration.cases.service import parse_type, record_step
from registration.departures.events import TOPIC as DEPARTURES_TOPIC
from registration.evisa.events import TOPIC as EVISA_TOPIC
from registration.invitations.events import TOPIC as INVITATIONS_TOPIC
from registration.residence_permits.events import TOPIC as RESIDENCE_PERMITS_TOPIC
from registration.stays.events import TOPIC as STAYS_TOPIC
from shared.events import Envelope
from shared.inbox import ConsumerSpec

# Permits' topic, named by its contract (contracts/permits/asyncapi.json); no code is shared.
WORK_PERMITS_TOPIC = "koshqon.permits.work-permits"


# Events that begin their aggregate (a new notification, a new departure): without a `caseid`
# no earlier step can share their subject, so `record_step` would pass them over.
FIRST_OF_AGGREGATE = frozenset({("registration", "arrival.notified"),
                                ("registration", "departure.recorded")})


async def on_event(session: AsyncSession, envelope: Envelope) -> None:
    await record_step(session, envelope, now=datetime.now(UTC))


def joins_a_case(envelope: Envelope) -> bool:
    """False for an event that can belong to no case; it is passed over without an inbox row."""
    if envelope.caseid:
        return True
    parsed = parse_type(envelope.type)
    return parsed is not None and parsed not in FIRST_OF_AGGREGATE


CASE_TIMELINE = ConsumerSpec(
    name="registration-cases",
    topics=[
        INVITATIONS_TOPIC, EVISA_TOPIC, ARRIVALS_TOPIC, STAYS_TOPIC, DEPARTURES_TOPIC,
        RESIDENCE_PERMITS_TOPIC, WORK_PERMITS_TOPIC,
    ],
    handlers={},
    # Every event of these topics: those without a case of ours are passed over in the handler,
    # those that cannot have one before it.
    fallback=on_event,
    wants=joins_a_case,
)
