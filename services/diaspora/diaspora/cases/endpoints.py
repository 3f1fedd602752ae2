"""HTTP endpoint of one-window cases (kandas-family flow)."""

from fastapi import APIRouter

from diaspora.cases import messages as _messages  # noqa: F401  (registers kk/ru/en)
from diaspora.cases.schemas import ActorOut, CaseOut, PendingOut, TimelineEntry
from diaspora.cases.service import fold, timeline
from shared import clock
from shared.auth.deps import require_scope
from shared.http import ServiceDep

router = APIRouter(tags=["cases"])


@router.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    summary="One-window case timeline (kandas flow)",
    dependencies=[require_scope("diaspora:cases:read")],
)
async def get_case(case_id: str, svc: ServiceDep) -> CaseOut:
    """Every step of the kandas applications filed under this case number, in the order they
    happened, the step pending with its deadline, and who is to act."""
    async with svc.db.transaction() as session:
        ids, steps = await timeline(session, case_id)
    state = fold(steps)
    pending = None
    if state.pending is not None:
        p = state.pending
        pending = PendingOut(
            step=p.step,
            actor=ActorOut(role=p.actor.role, service=p.actor.service, region=p.actor.region),
            due=p.due, due_kind=p.due_kind,
            overdue=p.due is not None and p.due < clock.today(),
        )
    return CaseOut(
        case_id=case_id, applications=ids, status=state.status, outcome=state.outcome,
        pending=pending,
        timeline=[
            TimelineEntry(
                on=s.on, step=s.step, record_id=s.record_id, event=s.event,
                event_type=f"kz.koshqon.diaspora.{s.event}.v1", service="diaspora", at=s.at,
                details={k: v for k, v in s.details.items() if v is not None},
            )
            for s in steps
        ],
    )
