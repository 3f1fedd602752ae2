"""HTTP endpoint of one-window cases (foreign-worker flow)."""

from fastapi import APIRouter

from registration.cases import messages as _messages  # noqa: F401  (registers kk/ru/en)
from registration.cases.schemas import ActorOut, CaseOut, PendingOut, StepOut
from registration.cases.service import FLOW, fold, load
from shared import clock
from shared.auth.deps import require_scope
from shared.http import ServiceDep

router = APIRouter(tags=["cases"])

# What of an event's data the timeline shows: references and dates, never personal data.
DETAIL_FIELDS = (
    "invitation_number", "application_id", "visa_number", "person_id", "notification_id",
    "permit_number", "region", "category", "status", "decision_due", "payment_deadline",
    "fee_amount", "valid_from", "valid_until", "entry_date", "allowed_stay_until", "decided_on",
    "within_deadline", "quota_year", "refused_by", "reason", "late",
)


@router.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    summary="One-window case timeline (foreign-worker flow)",
    dependencies=[require_scope("registration:cases:read")],
)
async def get_case(case_id: str, service: ServiceDep) -> CaseOut:
    """Steps done (time, event type, service), the step pending with its deadline, and who is to
    act. The timeline follows the events on the bus, so a step shows a moment after its request."""
    async with service.db.transaction() as session:
        case, steps = await load(session, case_id)
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
        case_id=case.case_id, flow=FLOW, owner="registration", opened_at=case.opened_at,
        status=state.status, outcome=state.outcome, pending=pending,
        timeline=[
            StepOut(
                step=s.name, event_type=s.event_type, service=s.service, at=s.occurred_at,
                subject=s.subject, event_id=s.event_id,
                details={k: s.data[k] for k in DETAIL_FIELDS if s.data.get(k) is not None},
            )
            for s in steps
        ],
    )
