"""Requests and answers of the diaspora registry."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from shared.validators import Citizenship, KatoCode

OrganisationKind = Literal[
    "association", "cultural_centre", "business", "youth", "education", "media", "other"
]
ProgrammeKind = Literal["programme", "event"]
ProgrammeStatus = Literal["planned", "open", "completed", "cancelled"]
ProposalStatus = Literal["submitted", "under_review", "accepted", "rejected", "implemented"]
ConsultationTopic = Literal[
    "repatriation", "citizenship", "education", "business", "investment", "culture", "other"
]
Email = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Phone = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ()-]{5,30}$")


class Contacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Email
    phone: str | None = Phone
    website: str | None = Field(default=None, max_length=300, pattern=r"^https?://\S+$")


class OrganisationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "name": "Kazakh Cultural Society of Serbia",
                "country": "SRB",
                "city": "Belgrade",
                "kind": "cultural_centre",
                "contacts": {"email": "info@example.org"},
            }
        },
    )

    name: str = Field(min_length=1, max_length=300)
    country: Citizenship = Field(description="ISO 3166-1 alpha-3 country")
    city: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    contacts: Contacts = Field(default_factory=Contacts)


class OrganisationOut(BaseModel):
    organisation_id: str
    name: str
    country: str
    city: str
    kind: str
    contacts: Contacts
    status: Literal["active", "inactive"]
    registered_on: date


class OrganisationStatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "inactive"]


def _normalise_skills(skills: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for skill in skills:
        cleaned = " ".join(skill.split()).lower()
        if cleaned:
            seen[cleaned] = None
    return list(seen)


class CompatriotRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "full_name": "Aigerim Sultanova",
                "country": "DEU",
                "city": "Berlin",
                "profession": "civil engineer",
                "skills": ["bridge design", "project management"],
                "email": "a.s@example.de",
                "consent": True,
            }
        },
    )

    full_name: str = Field(min_length=1, max_length=300)
    country: Citizenship = Field(description="Country of residence")
    city: str | None = Field(default=None, max_length=200)
    profession: str | None = Field(default=None, max_length=200)
    skills: list[str] = Field(default_factory=list, max_length=30)
    email: str | None = Email
    phone: str | None = Phone
    consent: bool = Field(description="Explicit consent to be registered and found; must be true")

    @field_validator("skills")
    @classmethod
    def _skills(cls, skills: list[str]) -> list[str]:
        if any(len(s) > 100 for s in skills):
            raise PydanticCustomError("too_long", "a skill is too long", {"max_length": 100})
        return _normalise_skills(skills)

    @field_validator("consent")
    @classmethod
    def _explicit(cls, consent: bool) -> bool:
        if consent is not True:
            raise PydanticCustomError("consent_required", "explicit consent is required")
        return consent


class CompatriotOut(BaseModel):
    compatriot_id: str
    status: Literal["active", "withdrawn"]
    full_name: str | None
    country: str
    city: str | None
    profession: str | None
    skills: list[str]
    email: str | None
    phone: str | None
    registered_on: date
    consent_withdrawn_on: date | None


class ExpertRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    compatriot_id: str = Field(min_length=1, max_length=36)
    field: str = Field(min_length=1, max_length=100, description="Field of expertise")
    languages: list[Literal["kk", "ru", "en", "de", "tr", "zh", "fr", "other"]] = Field(
        default_factory=list
    )
    available_from: date | None = None
    available_until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ExpertRequest:
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            raise PydanticCustomError(
                "date_order", "until before from", {"after": "available_from"}
            )
        return self


class ExpertOut(BaseModel):
    expert_id: str
    compatriot_id: str
    field: str
    languages: list[str]
    country: str
    available_from: date | None
    available_until: date | None
    status: Literal["active", "withdrawn"]
    enrolled_on: date


class ProgrammeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "title": "Qazaq Uyi business forum",
                "kind": "event",
                "organiser": "Otandastar Foundation",
                "country": "SWE",
                "city": "Stockholm",
                "starts_on": "2027-03-10",
                "ends_on": "2027-03-11",
            }
        },
    )

    title: str = Field(min_length=1, max_length=300)
    kind: ProgrammeKind
    organiser: str = Field(min_length=1, max_length=300)
    country: Citizenship | None = None
    city: str | None = Field(default=None, max_length=200)
    starts_on: date
    ends_on: date
    description: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _ordered(self) -> ProgrammeRequest:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("date_order", "ends before it starts", {"after": "starts_on"})
        return self


class ProgrammeStatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "completed", "cancelled"]


class ParticipationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    compatriot_id: str = Field(min_length=1, max_length=36)


class ProgrammeOut(BaseModel):
    programme_id: str
    title: str
    kind: str
    organiser: str
    country: str | None
    city: str | None
    starts_on: date
    ends_on: date
    description: str | None
    status: ProgrammeStatus
    participants: int


class ProposalRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "title": "Greenhouse complex",
                "sector": "agriculture",
                "investor_country": "TUR",
                "target_region": "610000000",
                "amount_usd": 2500000,
            }
        },
    )

    title: str = Field(min_length=1, max_length=300)
    sector: str = Field(min_length=1, max_length=100)
    investor_country: Citizenship
    target_region: KatoCode
    amount_usd: int | None = Field(default=None, ge=0)
    compatriot_id: str | None = Field(default=None, max_length=36)
    organisation_id: str | None = Field(default=None, max_length=36)
    description: str | None = Field(default=None, max_length=5000)


class ProposalStatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["under_review", "accepted", "rejected", "implemented"]
    note: str | None = Field(default=None, max_length=2000)


class ProposalOut(BaseModel):
    proposal_id: str
    title: str
    sector: str
    investor_country: str
    target_region: str
    amount_usd: int | None
    compatriot_id: str | None
    organisation_id: str | None
    description: str | None
    status: ProposalStatus
    status_note: str | None
    submitted_on: date
    updated_on: date


class ConsultationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "kind": "question",
                "topic": "repatriation",
                "text": "Which documents do I need?",
                "language": "kk",
            }
        },
    )

    compatriot_id: str | None = Field(default=None, max_length=36)
    kind: Literal["question", "proposal"]
    topic: ConsultationTopic
    text: str = Field(min_length=1, max_length=5000)
    language: Literal["kk", "ru", "en"] = "kk"


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(min_length=1, max_length=10000)


class ConsultationOut(BaseModel):
    consultation_id: str
    compatriot_id: str | None
    kind: str
    topic: str
    text: str
    language: str
    status: Literal["open", "answered", "closed"]
    answer: str | None
    asked_on: date
    answered_on: date | None
