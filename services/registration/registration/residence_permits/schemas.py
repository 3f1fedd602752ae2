"""Temporary residence permit (TRP) applications, decisions and public verification."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from registration.arrivals.schemas import Foreigner
from shared.validators import Bin, KatoCode

PERMIT_NUMBER = r"^TR[0-9]{10}$"
RefusalReason = Literal[
    "documents_incomplete", "basis_invalid", "security", "previous_violations", "other"
]


class Basis(BaseModel):
    """What the TRP is for: a work permit, or an employment contract."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["work_permit", "contract"]
    work_permit_number: str | None = Field(default=None, min_length=1, max_length=50)
    contract_number: str | None = Field(default=None, min_length=1, max_length=50)
    employer_bin: Bin
    ends_on: date = Field(description="Last day of the work permit or contract")

    @model_validator(mode="after")
    def _number_matches_kind(self) -> Basis:
        number = self.work_permit_number if self.kind == "work_permit" else self.contract_number
        if number is None:
            raise PydanticCustomError("basis_number", "the number of the basis is missing")
        return self

    @property
    def number(self) -> str:
        return self.work_permit_number or self.contract_number or ""


class ResidencePermitRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "foreigner": {
                    "passport_number": "E12345678", "citizenship": "IND", "surname": "SHARMA",
                    "given_names": "RAVI", "birth_date": "1988-02-11", "sex": "M",
                },
                "region": "750000000",
                "basis": {"kind": "work_permit", "work_permit_number": "WP-2026-000123",
                          "employer_bin": "123456789025", "ends_on": "2027-10-31"},
            }
        },
    )

    foreigner: Foreigner
    region: KatoCode = Field(description="KATO code of the region of residence")
    basis: Basis


class ResidencePermitSubmittedOut(BaseModel):
    application_id: str
    person_id: str
    status: Literal["submitted"]
    decision_due: date
    rules_applied: list[str]


class ResidencePermitDecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "refuse"]
    reason: RefusalReason | None = Field(default=None, description="Required to refuse")
    comment: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _refusal_has_reason(self) -> ResidencePermitDecisionRequest:
        if self.decision == "refuse" and self.reason is None:
            raise PydanticCustomError("reason_required", "a refusal needs a reason")
        return self


class ResidencePermitDecisionOut(BaseModel):
    application_id: str
    status: Literal["issued", "refused"]
    permit_number: str | None
    valid_from: date | None
    valid_until: date | None
    refusal_reason: str | None
    decided_on: date
    within_deadline: bool
    rules_applied: list[str]


class ResidencePermitVerification(BaseModel):
    """What anyone may learn about a TRP number: nothing personal."""

    permit_number: str
    valid: bool = Field(description="True when the permit is in force today")
    valid_from: date
    valid_until: date
