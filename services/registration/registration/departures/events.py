"""Events the departures module publishes (topic `koshqon.registration.departures`)."""

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.departures"


class DepartureRecorded(DomainEvent):
    """A foreigner's exit was reported; it closed the stay it belongs to, if one was known."""

    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "departure.recorded"
    topic: ClassVar[str] = TOPIC

    departure_id: str = Field(description="The departure's id (the aggregate id)")
    person_id: str = Field(description="Pseudonymous id of the foreigner; no personal data")
    stay_id: str | None = Field(description="The stay it closed; null when no stay was known")
    citizenship: str | None = Field(description="ISO 3166-1 alpha-3 citizenship, when known")
    region: str | None = Field(description="KATO code of the stay's region, when known")
    entry_date: date | None = Field(description="Entry date of the closed stay")
    exit_date: date = Field(description="Date of exit from Kazakhstan")
    days_in_stay: int | None = Field(
        description="Calendar days of the stay, entry and exit included"
    )
    overstay_days: int = Field(description="Days present after the allowed stay (0 if none)")
    reported_by: Literal["border_service", "host"] = Field(description="Who reported the exit")

    def aggregate_id(self) -> str:
        return self.departure_id
