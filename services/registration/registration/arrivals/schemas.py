"""The arrival notification as the portal and hosts' software send it (see API.md)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from shared.validators import Bin, Citizenship, Iin, KatoCode

HostKind = Literal["hotel", "company", "landlord", "person"]
Purpose = Literal["tourism", "business", "work", "private", "study", "medical", "transit"]


class Host(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: HostKind
    bin: Bin | None = Field(default=None, description="BIN of a hotel or company")
    iin: Iin | None = Field(default=None, description="IIN of a landlord or private person")
    name: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _identified(self) -> Host:
        if self.kind in ("hotel", "company") and self.bin is None:
            raise PydanticCustomError("bin_invalid", "a hotel or company gives its BIN")
        if self.kind in ("landlord", "person") and self.iin is None:
            raise PydanticCustomError("iin_invalid", "a landlord or person gives an IIN")
        return self

    @property
    def identifier(self) -> str:
        return self.bin or self.iin or ""


class Foreigner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passport_number: str = Field(min_length=5, max_length=20, pattern=r"^[A-Za-z0-9 -]+$")
    citizenship: Citizenship
    surname: str = Field(min_length=1, max_length=200)
    given_names: str = Field(min_length=1, max_length=200)
    birth_date: date
    sex: Literal["M", "F", "X"] | None = None


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: KatoCode = Field(description="KATO code of the region, city or district")
    locality: str = Field(min_length=1, max_length=200)
    line: str = Field(min_length=1, max_length=500)


class ArrivalRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "host": {"kind": "hotel", "bin": "123456789025", "name": "Hotel Kazakhstan"},
                "foreigner": {
                    "passport_number": "FA1234567", "citizenship": "UZB", "surname": "KARIMOV",
                    "given_names": "ALISHER", "birth_date": "1990-05-01", "sex": "M",
                },
                "entry_date": "2026-11-20",
                "address": {"region": "750000000", "locality": "Almaty",
                            "line": "Abai ave 1, apt 2"},
                "purpose": "tourism",
                "expected_departure": "2026-12-10",
            }
        },
    )

    host: Host
    foreigner: Foreigner
    entry_date: date
    address: Address
    purpose: Purpose
    expected_departure: date
    address_changed_on: date | None = Field(
        default=None,
        description="For a new address within a stay already notified: the day of the move, "
        "from which the notification deadline counts",
    )


class ArrivalAccepted(BaseModel):
    notification_id: str
    person_id: str
    stay_id: str = Field(description="The stay this entry opened or, for an address change, joined")
    address_change: bool = Field(
        description="True when the person's stay with this entry date was already notified"
    )
    deadline: date = Field(description="Last day the host had to notify")
    late: bool
    registration_required: bool = Field(
        description="True when the declared stay is longer than a stay without registration"
    )
    allowed_stay_until: date
    rules_applied: list[str] = Field(description="The rule versions this decision applied")
