"""Events the arrivals module publishes (topic `koshqon.registration.arrivals`)."""

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.arrivals"


class ArrivalNotified(DomainEvent):
    """A host notified the arrival of a foreigner at an address (a new stay or a new address)."""

    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "arrival.notified"
    topic: ClassVar[str] = TOPIC

    notification_id: str = Field(description="The notification's id (the aggregate id)")
    person_id: str = Field(
        description="Pseudonymous id of the foreigner, stable across visits; no personal data"
    )
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship")
    region: str = Field(description="KATO code of the region or city of the address")
    host_kind: Literal["hotel", "company", "landlord", "person"] = Field(
        description="Kind of receiving party"
    )
    purpose: str = Field(description="Declared purpose of the stay")
    entry_date: date = Field(description="Date of entry into Kazakhstan")
    notified_on: date = Field(description="Date the notification was received (Astana time)")
    deadline: date = Field(description="Last day the notification was due")
    late: bool = Field(description="True when notified after the deadline")
    registration_required: bool = Field(
        description="True when the declared stay needs a temporary residence permit"
    )
    allowed_stay_until: date = Field(description="Last day of the allowed stay from this entry")
    # Added after v1's first release; optional, so v1 consumers and old events stay valid.
    stay_id: str | None = Field(
        default=None, description="The stay this notification belongs to (one per entry)"
    )
    address_change: bool = Field(
        default=False,
        description="True when this notifies a new address for a stay already notified",
    )

    def aggregate_id(self) -> str:
        return self.notification_id
