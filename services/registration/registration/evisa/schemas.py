"""e-Visa applications, decisions and public verification as the portal sees them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from registration.arrivals.schemas import Foreigner

Category = Literal["business", "tourism", "medical_treatment", "private"]
RefusalReason = Literal[
    "documents_incomplete", "invitation_invalid", "security", "previous_violations", "other"
]
INVITATION_NUMBER = r"^[0-9]{10}$"
VISA_NUMBER = r"^EV[0-9]{10}$"


class EvisaApplicationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "invitation_number": "4821057733",
                "applicant": {
                    "passport_number": "E12345678", "citizenship": "IND", "surname": "SHARMA",
                    "given_names": "RAVI", "birth_date": "1988-02-11", "sex": "M",
                },
                "category": "business",
                "purpose": "Negotiations with the inviting company",
                "planned_entry": "2026-12-01",
            }
        },
    )

    invitation_number: str = Field(pattern=INVITATION_NUMBER)
    applicant: Foreigner
    category: Category
    purpose: str = Field(min_length=1, max_length=500)
    planned_entry: date


class EvisaSubmittedOut(BaseModel):
    application_id: str
    person_id: str
    status: Literal["submitted"]
    decision_due: date = Field(description="Last working day for the officer's decision")
    rules_applied: list[str]


class EvisaDecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "refuse"]
    reason: RefusalReason | None = Field(default=None, description="Required to refuse")
    comment: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _refusal_has_reason(self) -> EvisaDecisionRequest:
        if self.decision == "refuse" and self.reason is None:
            raise PydanticCustomError("reason_required", "a refusal needs a reason")
        return self


class VisaOut(BaseModel):
    visa_number: str
    valid_from: date
    valid_until: date
    entries: int = Field(description="Entries allowed: an e-Visa allows one")


class EvisaDecisionOut(BaseModel):
    application_id: str
    status: Literal["issued", "refused"]
    visa_number: str | None = Field(description="Set when approved")
    visa: VisaOut | None
    refusal_reason: str | None
    decided_on: date
    within_deadline: bool
    rules_applied: list[str]


class StatusChangeOut(BaseModel):
    status: str
    on: date
    at: datetime
    note: str | None


class EvisaApplicationOut(BaseModel):
    application_id: str
    person_id: str
    status: Literal["submitted", "issued", "refused", "used", "expired"]
    category: str
    citizenship: str
    invitation_number: str
    planned_entry: date
    submitted_on: date
    decision_due: date
    decided_on: date | None
    refusal_reason: str | None
    visa: VisaOut | None
    history: list[StatusChangeOut]
    rules_applied: list[str]


class VisaVerification(BaseModel):
    """What anyone may learn about a visa number: nothing personal."""

    visa_number: str
    valid: bool = Field(description="True when the visa is in force today")
    status: Literal["issued", "used", "expired"]
    category: str
    valid_from: date
    valid_until: date
    entries: int
