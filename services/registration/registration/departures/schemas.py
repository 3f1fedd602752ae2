"""A departure as the border service or the host reports it."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from shared.validators import Citizenship

PERSON_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class DepartureRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "passport_number": "FA1234567", "citizenship": "UZB", "birth_date": "1990-05-01",
                "exit_date": "2026-12-10", "reported_by": "border_service",
                "border_point": "Zhibek Zholy",
            }
        },
    )

    person_id: str | None = Field(default=None, pattern=PERSON_ID)
    passport_number: str | None = Field(
        default=None, min_length=5, max_length=20, pattern=r"^[A-Za-z0-9 -]+$"
    )
    citizenship: Citizenship | None = None
    birth_date: date | None = None
    exit_date: date
    reported_by: Literal["border_service", "host"]
    border_point: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _identified(self) -> DepartureRequest:
        by_document = (self.passport_number, self.citizenship, self.birth_date)
        if self.person_id is None and any(v is None for v in by_document):
            raise PydanticCustomError(
                "person_identity", "person_id, or passport number, citizenship and birth date"
            )
        return self


class DepartureRecordedOut(BaseModel):
    departure_id: str
    person_id: str
    stay_id: str | None = Field(description="The stay it closed; null when none was known")
    entry_date: date | None
    exit_date: date
    days_in_stay: int | None = Field(description="Entry and exit days included")
    overstay_days: int
