"""An invitation request from a host, and the answer with its number and state fee."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from registration.arrivals.schemas import Foreigner
from shared.validators import Bin, Iin, KatoCode

Category = Literal["business", "tourism", "medical_treatment", "private"]
MAX_INVITEES = 50  # a request size bound, not a legal rule


class InvitingHost(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["company", "person"]
    bin: Bin | None = Field(default=None, description="BIN of an inviting company")
    iin: Iin | None = Field(default=None, description="IIN of an inviting person")
    name: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _identified(self) -> InvitingHost:
        if self.kind == "company" and self.bin is None:
            raise PydanticCustomError("bin_invalid", "a company gives its BIN")
        if self.kind == "person" and self.iin is None:
            raise PydanticCustomError("iin_invalid", "a person gives an IIN")
        return self

    @property
    def identifier(self) -> str:
        return self.bin or self.iin or ""


class InvitationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "host": {"kind": "company", "bin": "123456789025", "name": "Kazakh Steel LLP"},
                "region": "750000000",
                "category": "business",
                "planned_entry": "2026-12-01",
                "planned_departure": "2026-12-20",
                "invitees": [{
                    "passport_number": "E12345678", "citizenship": "IND", "surname": "SHARMA",
                    "given_names": "RAVI", "birth_date": "1988-02-11", "sex": "M",
                }],
            }
        },
    )

    host: InvitingHost
    region: KatoCode = Field(description="KATO code of the host's address")
    category: Category
    planned_entry: date
    planned_departure: date
    invitees: list[Foreigner] = Field(min_length=1, max_length=MAX_INVITEES)


class FeeOut(BaseModel):
    amount_tenge: float = Field(description="State fee for all invitees, in tenge")
    mci_tenge: int = Field(description="The MCI rate in tenge that applied")
    mci_per_invitee: float
    invitees: int


class InvitationIssuedOut(BaseModel):
    invitation_number: str = Field(description="10 digits")
    status: Literal["issued"]
    issued_on: date
    person_ids: list[str] = Field(description="Pseudonymous ids of the invitees, in order")
    fee: FeeOut
    rules_applied: list[str]
    case_id: str | None = Field(
        default=None,
        description="The one-window case the invitation opened (also the X-Case-Id header)",
    )
