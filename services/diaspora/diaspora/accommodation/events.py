"""Events of centres for kandas (topic `koshqon.diaspora.centres`, key: the stay or placement id).

No names or contacts: pseudonymous applicant id, centre, region (KATO), family size, dates.
"""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.diaspora.centres"


class StayEvent(DomainEvent):
    service: ClassVar[str] = "diaspora"
    topic: ClassVar[str] = TOPIC

    stay_id: str = Field(description="The stay's id (the aggregate id)")
    application_id: str = Field(description="The family's kandas application")
    applicant_id: str = Field(description="Pseudonymous id of the applicant")
    centre_id: str = Field(description="Temporary accommodation centre (reference data id)")
    region: str = Field(description="KATO code of the centre's region")
    family_size: int = Field(description="Places the family takes")

    def aggregate_id(self) -> str:
        return self.stay_id


class CheckedIn(StayEvent):
    """A family checked in to a temporary accommodation centre."""

    name: ClassVar[str] = "accommodation.checked-in"
    checked_in_on: date = Field(description="Day the family checked in")
    stay_limit_until: date = Field(description="Last calendar day the stay may last")


class CheckedOut(StayEvent):
    """A family left a temporary accommodation centre."""

    name: ClassVar[str] = "accommodation.checked-out"
    checked_out_on: date = Field(description="Day the family left the centre")
    reason: str = Field(description="left, status_granted, limit_reached, refused or transferred")
    days_stayed: int = Field(description="Calendar days, the check-in day counted")
    overstayed: bool = Field(description="True when the family left after stay_limit_until")


class OverstayFlagged(StayEvent):
    """A family is still in the centre past the calendar-day limit (published once per stay)."""

    name: ClassVar[str] = "accommodation.overstay-flagged"
    stay_limit_until: date = Field(description="Last calendar day the stay may last")
    flagged_on: date = Field(description="Day the job found it")
