"""Employers' work permits as the portal, officers and the payment gateway see them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.validators import Bin, Citizenship, KatoCode

Category = Literal["1", "2", "3", "4", "seasonal"]
Status = Literal[
    "submitted", "approved", "refused", "withdrawn", "issued", "lapsed", "revoked", "expired"
]
PERSON_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Headcount = Annotated[int, Field(ge=0, le=10_000_000)]
RevocationGround = Literal[
    "employer_violation", "false_information", "worker_departed", "employer_request",
    "court_decision",
]


class Worker(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(
        pattern=PERSON_ID, description="The pseudonym registration returned for the foreigner"
    )
    citizenship: Citizenship
    birth_date: date = Field(description="Kept for verification; never published")


class StaffCounts(BaseModel):
    """The employer's staff before this hire, by category of position, for the local-content
    check; a category left out counts 0."""

    model_config = ConfigDict(extra="forbid")

    citizens: dict[Literal["1", "2", "3", "4"], Headcount] = Field(default_factory=dict)
    foreigners: dict[Literal["1", "2", "3", "4"], Headcount] = Field(default_factory=dict)

    def total(self) -> int:
        return sum(self.citizens.values()) + sum(self.foreigners.values())


class ApplicationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "employer_bin": "123456789025",
                "region": "750000000",
                "category": "3",
                "occupation": "2142",
                "sector": "F",
                "worker": {"person_id": "8f14e45f-ceea-467f-a0e6-8a4c5e2b1f3a",
                           "citizenship": "TUR", "birth_date": "1988-03-14"},
                "staff": {"citizens": {"1": 3, "2": 15, "3": 120, "4": 180},
                          "foreigners": {"1": 1, "2": 1, "3": 4, "4": 6}},
                "validity_years": 1,
            }
        },
    )

    employer_bin: Bin
    region: KatoCode = Field(description="Where the worker will work (KATO code)")
    category: Category = Field(description="Category of position (1-4) or seasonal work")
    occupation: str = Field(pattern=r"^\d{4,6}$", description="Occupation code of the position")
    sector: str = Field(pattern=r"^[A-U]$", description="OKED section letter of the activity")
    worker: Worker
    staff: StaffCounts
    validity_years: int = Field(default=1, ge=1, le=10, description="Years of validity asked")
    intra_corporate_transfer: bool = Field(
        default=False, description="An intra-corporate transfer: outside the quota"
    )


class RefusalReason(BaseModel):
    code: str = Field(description="e.g. local_content, seasonal_occupation, officer")
    params: dict[str, Any] = Field(default_factory=dict)


class FeeNotice(BaseModel):
    amount: int = Field(description="Fee in tenge")
    mci: int = Field(description="The MCI of the year, in tenge")
    coefficient: int = Field(description="The fee in MCI, by category and sector")
    payment_deadline: date


class Step(BaseModel):
    at: datetime
    action: str
    status: Status
    actor: str | None = None


class ApplicationOut(BaseModel):
    application_id: str
    status: Status
    permit_number: str | None = None
    employer_bin: str
    region: str
    category: Category
    occupation: str
    sector: str
    intra_corporate_transfer: bool
    person_id: str
    citizenship: str
    validity_years: int
    submitted_on: date
    decision_due: date
    decided_on: date | None = None
    refusal_reasons: list[RefusalReason] = Field(default_factory=list)
    quota_year: int | None = None
    fee: FeeNotice | None = None
    paid_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    extensions: int = 0
    ended_on: date | None = None
    rules_applied: list[str] = Field(description="The rule versions applied")
    history: list[Step] = Field(default_factory=list)


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "refuse"]
    grounds: list[str] = Field(
        default_factory=list, max_length=20, description="Codes of the grounds of a refusal"
    )


class FeePayment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(gt=0, description="Amount paid, in tenge")
    paid_on: date
    payment_reference: str = Field(min_length=1, max_length=100)


class ExtensionOut(BaseModel):
    permit_number: str
    status: Status
    extension_number: int
    decision_due: date
    decided_on: date
    previous_valid_until: date
    valid_until: date
    rules_applied: list[str]


class RevocationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ground: RevocationGround
