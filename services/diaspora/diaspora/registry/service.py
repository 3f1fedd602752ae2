"""The diaspora registry's rules: consent is explicit and withdrawable (withdrawal erases contact
data and removes the compatriot from search and the expert roster); statuses move only forward."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.identifiers import new_id
from diaspora.registry import repository
from diaspora.registry.events import (
    CompatriotConsentWithdrawn,
    CompatriotRegistered,
    ConsultationAnswered,
    ConsultationClosed,
    ConsultationRequested,
    ExpertEnrolled,
    ExpertWithdrawn,
    OrganisationRegistered,
    OrganisationStatusChanged,
    ParticipantJoined,
    ProgrammeCreated,
    ProgrammeStatusChanged,
    ProposalStatusChanged,
    ProposalSubmitted,
)
from diaspora.registry.models import (
    Compatriot,
    CompatriotSkill,
    Consultation,
    Expert,
    InvestmentProposal,
    Organisation,
    Participation,
    Programme,
)
from diaspora.registry.schemas import (
    CompatriotOut,
    CompatriotRequest,
    ConsultationOut,
    ConsultationRequest,
    Contacts,
    ExpertOut,
    ExpertRequest,
    OrganisationOut,
    OrganisationRequest,
    ProgrammeOut,
    ProgrammeRequest,
    ProposalOut,
    ProposalRequest,
)
from shared.errors import Problem
from shared.outbox import UnitOfWork

PROGRAMME_MOVES = {"planned": {"open", "cancelled"}, "open": {"completed", "cancelled"}}
PROPOSAL_MOVES = {
    "submitted": {"under_review", "rejected"},
    "under_review": {"accepted", "rejected"},
    "accepted": {"implemented"},
}


def move(current: str, target: str, moves: dict[str, set[str]]) -> None:
    if target not in moves.get(current, set()):
        raise Problem(409, "registry.wrong_status", params={"status": current, "target": target})


async def _found(session: AsyncSession, model: type[repository.Row], row_id: str) -> repository.Row:
    row = await repository.get_for_update(session, model, row_id)
    if row is None:
        raise Problem(404, "registry.not_found")
    return row


async def _active_compatriot(session: AsyncSession, compatriot_id: str) -> Compatriot:
    compatriot = await repository.get(session, Compatriot, compatriot_id)
    if compatriot is None:
        raise Problem(404, "registry.not_found")
    if compatriot.status != "active":
        raise Problem(409, "registry.consent_withdrawn")
    return compatriot


# Organisations


async def register_organisation(
    uow: UnitOfWork, request: OrganisationRequest, *, today: date
) -> Organisation:
    row = Organisation(
        id=new_id(),
        name=request.name,
        country=request.country,
        city=request.city,
        kind=request.kind,
        email=request.contacts.email,
        phone=request.contacts.phone,
        website=request.contacts.website,
        status="active",
        registered_on=today,
    )
    repository.add(uow.session, row)
    uow.publish(
        OrganisationRegistered(
            organisation_id=row.id, country=row.country, kind=row.kind, registered_on=today
        )
    )
    return row


async def change_organisation_status(
    uow: UnitOfWork, organisation_id: str, status: str, *, today: date
) -> Organisation:
    row = await _found(uow.session, Organisation, organisation_id)
    if row.status == status:
        raise Problem(409, "registry.wrong_status", params={"status": row.status, "target": status})
    row.status = status
    uow.publish(OrganisationStatusChanged(organisation_id=row.id, status=status, changed_on=today))
    return row


def organisation_view(row: Organisation) -> OrganisationOut:
    return OrganisationOut(
        organisation_id=row.id,
        name=row.name,
        country=row.country,
        city=row.city,
        kind=row.kind,
        contacts=Contacts(email=row.email, phone=row.phone, website=row.website),
        status=row.status,  # type: ignore[arg-type]
        registered_on=row.registered_on,
    )


# Compatriots


async def register_compatriot(
    uow: UnitOfWork, request: CompatriotRequest, *, today: date, at: datetime
) -> Compatriot:
    """Voluntary registration; the request model already refused it without explicit consent."""
    row = Compatriot(
        id=new_id(),
        status="active",
        full_name=request.full_name,
        email=request.email,
        phone=request.phone,
        country=request.country,
        city=request.city,
        profession=request.profession,
        registered_on=today,
        consent_given_at=at,
    )
    repository.add(uow.session, row)
    await uow.session.flush()
    for skill in request.skills:
        repository.add(uow.session, CompatriotSkill(compatriot_id=row.id, skill=skill))
    uow.publish(
        CompatriotRegistered(
            compatriot_id=row.id, country=row.country, skills=request.skills, registered_on=today
        )
    )
    return row


async def withdraw_consent(
    uow: UnitOfWork, compatriot_id: str, *, today: date, at: datetime
) -> Compatriot:
    """Erases the contact and profile data, leaves search and the expert roster; keeps the fact
    of consent and its withdrawal, which the registry must be able to show."""
    row = await _found(uow.session, Compatriot, compatriot_id)
    if row.status == "withdrawn":
        raise Problem(409, "registry.consent_withdrawn")
    row.status = "withdrawn"
    row.full_name = row.email = row.phone = row.city = row.profession = None
    row.consent_withdrawn_at = at
    await repository.erase_skills(uow.session, row.id)
    for expert in await repository.experts_of(uow.session, row.id):
        expert.status = "withdrawn"
        uow.publish(ExpertWithdrawn(expert_id=expert.id, withdrawn_on=today))
    uow.publish(CompatriotConsentWithdrawn(compatriot_id=row.id, withdrawn_on=today))
    return row


def compatriot_view(row: Compatriot, skills: list[str]) -> CompatriotOut:
    return CompatriotOut(
        compatriot_id=row.id,
        status=row.status,  # type: ignore[arg-type]
        full_name=row.full_name,
        country=row.country,
        city=row.city,
        profession=row.profession,
        skills=skills,
        email=row.email,
        phone=row.phone,
        registered_on=row.registered_on,
        consent_withdrawn_on=row.consent_withdrawn_at.date() if row.consent_withdrawn_at else None,
    )


# Experts


async def enrol_expert(uow: UnitOfWork, request: ExpertRequest, *, today: date) -> Expert:
    compatriot = await _active_compatriot(uow.session, request.compatriot_id)
    row = Expert(
        id=new_id(),
        compatriot_id=compatriot.id,
        field=request.field,
        languages=list(request.languages),
        country=compatriot.country,
        available_from=request.available_from,
        available_until=request.available_until,
        status="active",
        enrolled_on=today,
    )
    repository.add(uow.session, row)
    uow.publish(
        ExpertEnrolled(
            expert_id=row.id,
            compatriot_id=compatriot.id,
            field=row.field,
            country=row.country,
            enrolled_on=today,
        )
    )
    return row


async def withdraw_expert(uow: UnitOfWork, expert_id: str, *, today: date) -> Expert:
    row = await _found(uow.session, Expert, expert_id)
    if row.status != "active":
        raise Problem(
            409, "registry.wrong_status", params={"status": row.status, "target": "withdrawn"}
        )
    row.status = "withdrawn"
    uow.publish(ExpertWithdrawn(expert_id=row.id, withdrawn_on=today))
    return row


def expert_view(row: Expert) -> ExpertOut:
    return ExpertOut(
        expert_id=row.id,
        compatriot_id=row.compatriot_id,
        field=row.field,
        languages=list(row.languages),
        country=row.country,
        available_from=row.available_from,
        available_until=row.available_until,
        status=row.status,  # type: ignore[arg-type]
        enrolled_on=row.enrolled_on,
    )


# Programmes and events


async def create_programme(uow: UnitOfWork, request: ProgrammeRequest) -> Programme:
    row = Programme(id=new_id(), status="planned", **request.model_dump())
    repository.add(uow.session, row)
    uow.publish(
        ProgrammeCreated(
            programme_id=row.id,
            kind=row.kind,
            country=row.country,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )
    )
    return row


async def change_programme_status(
    uow: UnitOfWork, programme_id: str, status: str, *, today: date
) -> Programme:
    row = await _found(uow.session, Programme, programme_id)
    move(row.status, status, PROGRAMME_MOVES)
    row.status = status
    uow.publish(ProgrammeStatusChanged(programme_id=row.id, status=status, changed_on=today))
    return row


async def join_programme(
    uow: UnitOfWork, programme_id: str, compatriot_id: str, *, today: date
) -> Programme:
    """A compatriot whose consent stands joins a programme that is planned or open."""
    row = await _found(uow.session, Programme, programme_id)
    if row.status not in ("planned", "open"):
        raise Problem(409, "registry.programme_closed", params={"status": row.status})
    compatriot = await _active_compatriot(uow.session, compatriot_id)
    if await repository.participation(uow.session, row.id, compatriot.id) is not None:
        raise Problem(409, "registry.already_participating")
    repository.add(
        uow.session,
        Participation(programme_id=row.id, compatriot_id=compatriot.id, joined_on=today),
    )
    uow.publish(
        ParticipantJoined(
            programme_id=row.id,
            compatriot_id=compatriot.id,
            country=compatriot.country,
            joined_on=today,
        )
    )
    return row


async def programme_view(session: AsyncSession, row: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        programme_id=row.id,
        title=row.title,
        kind=row.kind,
        organiser=row.organiser,
        country=row.country,
        city=row.city,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        description=row.description,
        status=row.status,  # type: ignore[arg-type]
        participants=await repository.participants(session, row.id),
    )


# Investment proposals


async def submit_proposal(
    uow: UnitOfWork, request: ProposalRequest, *, today: date
) -> InvestmentProposal:
    # `is not None`: an empty id refers to nothing (404), it must not reach the foreign key.
    if request.compatriot_id is not None:
        await _active_compatriot(uow.session, request.compatriot_id)
    if request.organisation_id is not None and (
        await repository.get(uow.session, Organisation, request.organisation_id) is None
    ):
        raise Problem(404, "registry.not_found")
    row = InvestmentProposal(
        id=new_id(),
        status="submitted",
        submitted_on=today,
        updated_on=today,
        **request.model_dump(),
    )
    repository.add(uow.session, row)
    uow.publish(
        ProposalSubmitted(
            proposal_id=row.id,
            sector=row.sector,
            investor_country=row.investor_country,
            target_region=row.target_region,
            amount_usd=row.amount_usd,
            submitted_on=today,
        )
    )
    return row


async def change_proposal_status(
    uow: UnitOfWork, proposal_id: str, status: str, note: str | None, *, today: date
) -> InvestmentProposal:
    row = await _found(uow.session, InvestmentProposal, proposal_id)
    move(row.status, status, PROPOSAL_MOVES)
    row.status, row.status_note, row.updated_on = status, note, today
    uow.publish(ProposalStatusChanged(proposal_id=row.id, status=status, changed_on=today))
    return row


def proposal_view(row: InvestmentProposal) -> ProposalOut:
    return ProposalOut(
        proposal_id=row.id,
        title=row.title,
        sector=row.sector,
        investor_country=row.investor_country,
        target_region=row.target_region,
        amount_usd=row.amount_usd,
        compatriot_id=row.compatriot_id,
        organisation_id=row.organisation_id,
        description=row.description,
        status=row.status,  # type: ignore[arg-type]
        status_note=row.status_note,
        submitted_on=row.submitted_on,
        updated_on=row.updated_on,
    )


# Consultations


async def request_consultation(
    uow: UnitOfWork, request: ConsultationRequest, *, today: date
) -> Consultation:
    if request.compatriot_id is not None:  # an empty id is unknown (404), not "none"
        await _active_compatriot(uow.session, request.compatriot_id)
    row = Consultation(id=new_id(), status="open", asked_on=today, **request.model_dump())
    repository.add(uow.session, row)
    uow.publish(
        ConsultationRequested(
            consultation_id=row.id, kind=row.kind, consultation_topic=row.topic, asked_on=today
        )
    )
    return row


async def answer_consultation(
    uow: UnitOfWork, consultation_id: str, answer: str, *, today: date
) -> Consultation:
    row = await _found(uow.session, Consultation, consultation_id)
    if row.status != "open":
        raise Problem(
            409, "registry.wrong_status", params={"status": row.status, "target": "answered"}
        )
    row.status, row.answer, row.answered_on = "answered", answer, today
    uow.publish(ConsultationAnswered(consultation_id=row.id, answered_on=today))
    return row


async def close_consultation(uow: UnitOfWork, consultation_id: str, *, today: date) -> Consultation:
    row = await _found(uow.session, Consultation, consultation_id)
    if row.status == "closed":
        raise Problem(
            409, "registry.wrong_status", params={"status": row.status, "target": "closed"}
        )
    row.status = "closed"
    uow.publish(ConsultationClosed(consultation_id=row.id, closed_on=today))
    return row


def consultation_view(row: Consultation) -> ConsultationOut:
    return ConsultationOut(
        consultation_id=row.id,
        compatriot_id=row.compatriot_id,
        kind=row.kind,
        topic=row.topic,
        text=row.text,
        language=row.language,
        status=row.status,  # type: ignore[arg-type]
        answer=row.answer,
        asked_on=row.asked_on,
        answered_on=row.answered_on,
    )
