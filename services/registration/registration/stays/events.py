"""Events the stays module publishes (topic `koshqon.registration.stays`)."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.stays"


class OverstayDetected(DomainEvent):
    """A foreigner stayed past the allowed stay; published once per stay and allowed-until."""

    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "stay.overstay-detected"
    topic: ClassVar[str] = TOPIC

    stay_id: str = Field(description="The stay's id (the aggregate id)")
    person_id: str = Field(description="Pseudonymous id of the foreigner; no personal data")
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship")
    region: str = Field(description="KATO code of the region of the stay's first address")
    regime: str = Field(
        description="The stay's regime: a citizenship group (visa_free, eaeu, uzbekistan), "
        "transit or visa"
    )
    entry_date: date = Field(description="Date of entry")
    allowed_until: date = Field(description="Last day of the allowed stay")
    detected_on: date = Field(description="Date the overstay job found it")
    overstay_days: int = Field(description="Days present after the allowed stay, as detected")
    departed: bool = Field(description="True when the foreigner had already left when detected")

    def aggregate_id(self) -> str:
        return self.stay_id
