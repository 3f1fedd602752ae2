"""HTTP endpoints of the diaspora registry: organisations, compatriots, experts, programmes,
investment proposals and consultations (POST create, GET list with `limit` + `cursor`, GET one,
and the status transitions)."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from diaspora.base import plumbing
from diaspora.pagination import CursorQuery, LimitQuery, Page
from diaspora.registry import repository, service
from diaspora.registry.models import (
    Compatriot,
    Consultation,
    Expert,
    InvestmentProposal,
    Organisation,
    Programme,
)
from diaspora.registry.schemas import (
    AnswerRequest,
    CompatriotOut,
    CompatriotRequest,
    ConsultationOut,
    ConsultationRequest,
    ConsultationTopic,
    ExpertOut,
    ExpertRequest,
    OrganisationKind,
    OrganisationOut,
    OrganisationRequest,
    OrganisationStatusRequest,
    ParticipationRequest,
    ProgrammeKind,
    ProgrammeOut,
    ProgrammeRequest,
    ProgrammeStatus,
    ProgrammeStatusRequest,
    ProposalOut,
    ProposalRequest,
    ProposalStatus,
    ProposalStatusRequest,
)
from shared import audit, clock
from shared.auth.deps import require_scope
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.http import ServiceDep
from shared.outbox import UnitOfWork
from shared.service import Service

router = APIRouter(tags=["diaspora registry"])

# diaspora keeps an audit log (plumbing_tables(..., audit=True) in diaspora/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

READ = [require_scope("diaspora:registry:read")]
WRITE = [require_scope("diaspora:registry:write")]
MANAGE = [require_scope("diaspora:registry:manage")]
Reader = Annotated[Principal | None, require_scope("diaspora:registry:read")]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO alpha-3")]


async def _created(
    request: Request, svc: Service, make: Callable[[UnitOfWork], Awaitable[BaseModel]]
) -> JSONResponse:
    async def action(uow: UnitOfWork) -> tuple[int, Any]:
        return 201, (await make(uow)).model_dump(mode="json")

    return await svc.idempotent(request, action)


async def _one(svc: Service, model: type[repository.Row], row_id: str) -> repository.Row:
    async with svc.db.transaction() as session:
        row = await repository.get(session, model, row_id)
    if row is None:
        raise Problem(404, "registry.not_found")
    return row


async def _page(
    svc: Service,
    query: Any,
    model: type[repository.Row],
    view: Callable[[Any], BaseModel],
    limit: int,
    cursor: str | None,
) -> Page[Any]:
    """One page of a registry list, each row in its public view."""
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(session, query, model, limit=limit, cursor=cursor)
    return Page(items=[view(r) for r in rows], next_cursor=next_cursor)


# Organisations


@router.post(
    "/organisations",
    status_code=201,
    response_model=OrganisationOut,
    summary="Register a diaspora organisation abroad",
    dependencies=WRITE,
)
async def post_organisation(
    body: OrganisationRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        row = await service.register_organisation(uow, body, today=clock.today())
        return service.organisation_view(row)

    return await _created(request, svc, make)


@router.get(
    "/organisations",
    response_model=Page[OrganisationOut],
    summary="Organisations, by country and kind",
    dependencies=READ,
)
async def list_organisations(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    country: Country = None,
    kind: OrganisationKind | None = None,
) -> Page[OrganisationOut]:
    return await _page(
        svc, repository.organisations(country, kind), Organisation, service.organisation_view,
        limit, cursor,
    )


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationOut,
    summary="One organisation",
    dependencies=READ,
)
async def get_organisation(organisation_id: str, svc: ServiceDep) -> OrganisationOut:
    return service.organisation_view(await _one(svc, Organisation, organisation_id))


@router.post(
    "/organisations/{organisation_id}/status",
    response_model=OrganisationOut,
    summary="Mark an organisation active or inactive",
    dependencies=MANAGE,
)
async def post_organisation_status(
    organisation_id: str, body: OrganisationStatusRequest, svc: ServiceDep
) -> OrganisationOut:
    async with svc.unit_of_work() as uow:
        row = await service.change_organisation_status(
            uow, organisation_id, body.status, today=clock.today()
        )
    return service.organisation_view(row)


# Compatriots


@router.post(
    "/compatriots",
    status_code=201,
    response_model=CompatriotOut,
    summary="A compatriot abroad registers voluntarily (explicit consent)",
    dependencies=WRITE,
)
async def post_compatriot(
    body: CompatriotRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        row = await service.register_compatriot(uow, body, today=clock.today(), at=clock.now())
        return service.compatriot_view(row, body.skills)

    return await _created(request, svc, make)


@router.get(
    "/compatriots",
    response_model=Page[CompatriotOut],
    summary="Search compatriots by country and professional skill",
)
async def search_compatriots(
    svc: ServiceDep,
    principal: Reader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    country: Country = None,
    skill: Annotated[str | None, Query(max_length=100, description="One skill, any case")] = None,
) -> Page[CompatriotOut]:
    """Only compatriots whose consent stands are found."""
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session,
            repository.compatriot_search(country, skill),
            Compatriot,
            limit=limit,
            cursor=cursor,
        )
        skills = await repository.skills_of(session, [r.id for r in rows])
        # A search shows names and contacts: one entry naming every record it returned.
        await audit.record(
            session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="compatriot.searched", resource="compatriots",
            details={"country": country, "skill": skill, "compatriot_ids": [r.id for r in rows]},
        )
    return Page(
        items=[service.compatriot_view(r, skills[r.id]) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/compatriots/{compatriot_id}",
    response_model=CompatriotOut,
    summary="One compatriot (after a withdrawal only the erased record)",
)
async def get_compatriot(compatriot_id: str, svc: ServiceDep, principal: Reader) -> CompatriotOut:
    async with svc.db.transaction() as session:
        row = await repository.get(session, Compatriot, compatriot_id)
        if row is None:
            raise Problem(404, "registry.not_found")
        skills = await repository.skills_of(session, [row.id])
        await audit.record(
            session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="compatriot.read", resource=f"compatriot/{compatriot_id}",
        )
    return service.compatriot_view(row, skills[row.id])


@router.post(
    "/compatriots/{compatriot_id}/consent-withdrawal",
    response_model=CompatriotOut,
    summary="Withdraw consent: leave search, contact data erased",
    dependencies=WRITE,
)
async def post_consent_withdrawal(compatriot_id: str, svc: ServiceDep) -> CompatriotOut:
    async with svc.unit_of_work() as uow:
        row = await service.withdraw_consent(
            uow, compatriot_id, today=clock.today(), at=clock.now()
        )
    return service.compatriot_view(row, [])


# Experts


@router.post(
    "/experts",
    status_code=201,
    response_model=ExpertOut,
    summary="Enrol a registered compatriot in the expert roster",
    dependencies=WRITE,
)
async def post_expert(body: ExpertRequest, request: Request, svc: ServiceDep) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        return service.expert_view(await service.enrol_expert(uow, body, today=clock.today()))

    return await _created(request, svc, make)


@router.get(
    "/experts",
    response_model=Page[ExpertOut],
    summary="The roster, by field and country",
    dependencies=READ,
)
async def list_experts(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    field: str | None = None,
    country: Country = None,
) -> Page[ExpertOut]:
    return await _page(
        svc, repository.experts(field, country), Expert, service.expert_view,
        limit, cursor,
    )


@router.get(
    "/experts/{expert_id}", response_model=ExpertOut, summary="One expert", dependencies=READ
)
async def get_expert(expert_id: str, svc: ServiceDep) -> ExpertOut:
    return service.expert_view(await _one(svc, Expert, expert_id))


@router.post(
    "/experts/{expert_id}/withdrawal",
    response_model=ExpertOut,
    summary="Leave the roster",
    dependencies=WRITE,
)
async def post_expert_withdrawal(expert_id: str, svc: ServiceDep) -> ExpertOut:
    async with svc.unit_of_work() as uow:
        row = await service.withdraw_expert(uow, expert_id, today=clock.today())
    return service.expert_view(row)


# Programmes and events


@router.post(
    "/programmes",
    status_code=201,
    response_model=ProgrammeOut,
    summary="Announce a programme or event",
    dependencies=MANAGE,
)
async def post_programme(body: ProgrammeRequest, request: Request, svc: ServiceDep) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        return await service.programme_view(uow.session, await service.create_programme(uow, body))

    return await _created(request, svc, make)


@router.get(
    "/programmes",
    response_model=Page[ProgrammeOut],
    summary="Programmes and events",
    dependencies=READ,
)
async def list_programmes(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: ProgrammeStatus | None = None,
    kind: ProgrammeKind | None = None,
) -> Page[ProgrammeOut]:
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session, repository.programmes(status, kind), Programme, limit=limit, cursor=cursor
        )
        items = [await service.programme_view(session, r) for r in rows]
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/programmes/{programme_id}",
    response_model=ProgrammeOut,
    summary="One programme with its number of participants",
    dependencies=READ,
)
async def get_programme(programme_id: str, svc: ServiceDep) -> ProgrammeOut:
    row = await _one(svc, Programme, programme_id)
    async with svc.db.transaction() as session:
        return await service.programme_view(session, row)


@router.post(
    "/programmes/{programme_id}/status",
    response_model=ProgrammeOut,
    summary="Open, complete or cancel a programme",
    dependencies=MANAGE,
)
async def post_programme_status(
    programme_id: str, body: ProgrammeStatusRequest, svc: ServiceDep
) -> ProgrammeOut:
    async with svc.unit_of_work() as uow:
        row = await service.change_programme_status(
            uow, programme_id, body.status, today=clock.today()
        )
        return await service.programme_view(uow.session, row)


@router.post(
    "/programmes/{programme_id}/participations",
    status_code=201,
    response_model=ProgrammeOut,
    summary="A compatriot joins",
    dependencies=WRITE,
)
async def post_participation(
    programme_id: str, body: ParticipationRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        row = await service.join_programme(
            uow, programme_id, body.compatriot_id, today=clock.today()
        )
        return await service.programme_view(uow.session, row)

    return await _created(request, svc, make)


# Investment proposals


@router.post(
    "/investment-proposals",
    status_code=201,
    response_model=ProposalOut,
    summary="Submit an investment proposal",
    dependencies=WRITE,
)
async def post_proposal(body: ProposalRequest, request: Request, svc: ServiceDep) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        return service.proposal_view(await service.submit_proposal(uow, body, today=clock.today()))

    return await _created(request, svc, make)


@router.get(
    "/investment-proposals",
    response_model=Page[ProposalOut],
    summary="Investment proposals, by status and sector",
    dependencies=READ,
)
async def list_proposals(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: ProposalStatus | None = None,
    sector: str | None = None,
) -> Page[ProposalOut]:
    return await _page(
        svc, repository.proposals(status, sector), InvestmentProposal, service.proposal_view,
        limit, cursor,
    )


@router.get(
    "/investment-proposals/{proposal_id}",
    response_model=ProposalOut,
    summary="One investment proposal",
    dependencies=READ,
)
async def get_proposal(proposal_id: str, svc: ServiceDep) -> ProposalOut:
    return service.proposal_view(await _one(svc, InvestmentProposal, proposal_id))


@router.post(
    "/investment-proposals/{proposal_id}/status",
    response_model=ProposalOut,
    summary="Move a proposal on: under_review → accepted | rejected → implemented",
    dependencies=MANAGE,
)
async def post_proposal_status(
    proposal_id: str, body: ProposalStatusRequest, svc: ServiceDep
) -> ProposalOut:
    async with svc.unit_of_work() as uow:
        row = await service.change_proposal_status(
            uow, proposal_id, body.status, body.note, today=clock.today()
        )
    return service.proposal_view(row)


# Consultations


@router.post(
    "/consultations",
    status_code=201,
    response_model=ConsultationOut,
    summary="A compatriot asks a question or makes a proposal",
    dependencies=WRITE,
)
async def post_consultation(
    body: ConsultationRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    async def make(uow: UnitOfWork) -> BaseModel:
        row = await service.request_consultation(uow, body, today=clock.today())
        return service.consultation_view(row)

    return await _created(request, svc, make)


@router.get(
    "/consultations",
    response_model=Page[ConsultationOut],
    summary="Consultations, by status and topic",
    dependencies=READ,
)
async def list_consultations(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: Annotated[str | None, Query(pattern=r"^(open|answered|closed)$")] = None,
    topic: ConsultationTopic | None = None,
) -> Page[ConsultationOut]:
    return await _page(
        svc, repository.consultations(status, topic), Consultation, service.consultation_view,
        limit, cursor,
    )


@router.get(
    "/consultations/{consultation_id}",
    response_model=ConsultationOut,
    summary="One consultation",
    dependencies=READ,
)
async def get_consultation(consultation_id: str, svc: ServiceDep) -> ConsultationOut:
    return service.consultation_view(await _one(svc, Consultation, consultation_id))


@router.post(
    "/consultations/{consultation_id}/answer",
    response_model=ConsultationOut,
    summary="Answer a consultation (ministry)",
    dependencies=MANAGE,
)
async def post_answer(
    consultation_id: str, body: AnswerRequest, svc: ServiceDep
) -> ConsultationOut:
    async with svc.unit_of_work() as uow:
        row = await service.answer_consultation(
            uow, consultation_id, body.answer, today=clock.today()
        )
    return service.consultation_view(row)


@router.post(
    "/consultations/{consultation_id}/close",
    response_model=ConsultationOut,
    summary="Close a consultation",
    dependencies=WRITE,
)
async def post_close(consultation_id: str, svc: ServiceDep) -> ConsultationOut:
    async with svc.unit_of_work() as uow:
        row = await service.close_consultation(uow, consultation_id, today=clock.today())
    return service.consultation_view(row)
