"""Kandas status applications as the portal and officers send them (see API.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.validators import Citizenship, KatoCode

KandasStatus = Literal[
    "submitted",
    "package_complete",
    "hearing",
    "granted",
    "refused",
    "extended",
    "terminated",
    "expired",
]
GroundCode = Field(pattern=r"^[a-z][a-z_]{2,39}$")
TerminationReason = Literal[
    "citizenship_acquired", "applicant_request", "false_information", "left_permanently", "other"
]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surname: str = Field(min_length=1, max_length=200)
    given_names: str = Field(min_length=1, max_length=200)
    birth_date: date
    document_number: str = Field(min_length=5, max_length=20, pattern=r"^[A-Za-z0-9 -]+$")
    citizenship: Citizenship = Field(description="Citizenship (XXA for a stateless person)")


class KandasApplicationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "applicant": {
                    "surname": "NURLANULY",
                    "given_names": "ASKAR",
                    "birth_date": "1988-03-14",
                    "document_number": "AB1234567",
                    "citizenship": "MNG",
                },
                "country_of_origin": "MNG",
                "region": "350000000",
                "family_size": 4,
                "person_id": "0d4c8a55-0e8e-4f0c-9a0d-6f9b6a3c1e21",
            }
        },
    )

    applicant: Applicant
    country_of_origin: Citizenship = Field(description="Country the family comes from")
    region: KatoCode = Field(description="KATO code of the region where the application is filed")
    family_size: int = Field(ge=1, le=30, description="Members of the family, applicant included")
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ()-]{5,30}$")
    person_id: str | None = Field(
        default=None,
        pattern=UUID_PATTERN,
        description="registration's person_id from the arrival answer, when the portal has it",
    )
    submitted_on: date | None = Field(
        default=None, description="Day the application was filed; today when absent"
    )


class PackageCompleteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    registered_on: date | None = Field(
        default=None, description="Day the complete package was registered; today when absent"
    )


class DecisionRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"decision": "propose_refusal", "grounds": ["ethnicity_not_confirmed"]}
        },
    )

    decision: Literal["grant", "propose_refusal", "refuse"]
    grounds: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Codes of the grounds (required to propose a refusal)",
    )
    hearing_held_on: date | None = Field(
        default=None, description="For a refusal: the day the applicant was heard"
    )


class ExtensionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    months: int = Field(ge=1, description="Months to extend by, at most the rule's limit")


class TerminationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: TerminationReason
    note: str | None = Field(default=None, max_length=1000)


class StatusChangeOut(BaseModel):
    status: KandasStatus
    effective_on: date
    recorded_at: datetime
    note: str | None = None
    rules_applied: list[str] = Field(default_factory=list)


class KandasApplicationOut(BaseModel):
    application_id: str
    applicant_id: str
    person_id: str | None
    status: KandasStatus
    country_of_origin: str
    region: str
    family_size: int
    submitted_on: date
    package_registered_on: date | None
    decision_due: date | None = Field(description="Last working day for the decision")
    overdue: bool = Field(description="Pending past decision_due, or decided after it")
    refusal_grounds: list[str] | None
    hearing_due: date | None
    hearing_held_on: date | None
    decided_on: date | None
    valid_from: date | None
    valid_until: date | None
    extensions_used: int
    ended_on: date | None
    termination_reason: str | None
    rules_applied: list[str] = Field(description="The rule versions the decisions applied")
    history: list[StatusChangeOut] = Field(default_factory=list)
    case_id: str | None = Field(
        default=None, description="The one-window case of the application (X-Case-Id)"
    )
