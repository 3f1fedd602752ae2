"""Cases of the kandas-family flow: opening one with a readable number, and its timeline from the
service's own records, each step named with the event that was published for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.cases import repository
from diaspora.cases.flow import Entry, Progress, progress
from shared.errors import Problem

FLOW = "kandas_family"
PREFIX = "KF"

# The event published with each step (`kz.koshqon.diaspora.<name>.v1`).
EVENT_OF_STEP = {
    "kandas.submitted": "kandas.application-submitted",
    "kandas.package_complete": "kandas.package-completed",
    "kandas.hearing": "kandas.refusal-proposed",
    "kandas.granted": "kandas.status-granted",
    "kandas.refused": "kandas.refused",
    "kandas.extended": "kandas.status-extended",
    "kandas.terminated": "kandas.status-terminated",
    "kandas.expired": "kandas.status-expired",
    "accommodation.checked-in": "accommodation.checked-in",
    "accommodation.checked-out": "accommodation.checked-out",
    "resettlement.applied": "resettlement.applied",
    "resettlement.approved": "resettlement.approved",
    "resettlement.refused": "resettlement.refused",
    "resettlement.support-scheduled": "resettlement.support-scheduled",
    "adaptation.placed": "adaptation.placed",
    "adaptation.service-delivered": "adaptation.service-delivered",
    "adaptation.plan-set": "adaptation.plan-set",
    "adaptation.ended": "adaptation.placement-ended",
}
# Within one day, the order the flow takes.
ORDER = {name: i for i, name in enumerate(EVENT_OF_STEP)} | {
    "accommodation.checked-in": 0.5, "accommodation.checked-out": 4.5,
}


def case_number(prefix: str, year: int, number: int) -> str:
    """`KF-2026-000045`: readable, and unique within its series."""
    return f"{prefix}-{year}-{number:06d}"


async def open_case(session: AsyncSession, requested: str | None, *, today: date) -> str:
    """The case of a kandas application: the portal's number if it sent one, else a new number of
    this year's series (never one already in use)."""
    if requested:
        return requested
    while True:
        number = await repository.next_in_series(session, f"{PREFIX}-{today.year}")
        case_id = case_number(PREFIX, today.year, number)
        if not await repository.case_in_use(session, case_id):
            return case_id


@dataclass
class Step:
    step: str
    on: date
    record_id: str
    at: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def event(self) -> str:
        return EVENT_OF_STEP.get(self.step, self.step)


def _utc(value: datetime) -> datetime:
    # SQLite gives the stored UTC moment back without its zone.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def timeline(session: AsyncSession, case_id: str) -> tuple[list[str], list[Step]]:
    """The applications of the case and every step of them, in the order they happened."""
    apps = await repository.applications(session, case_id)
    if not apps:
        raise Problem(404, "case.not_found")
    ids = [a.id for a in apps]
    by_id = {a.id: a for a in apps}
    steps: list[Step] = []
    for change in await repository.status_changes(session, ids):
        app = by_id[change.application_id]
        details: dict[str, Any] = {"region": app.region, "status": change.status}
        if change.status == "package_complete":
            details["decision_due"] = _iso(app.decision_due)
        elif change.status == "hearing":
            details["hearing_due"] = _iso(app.hearing_due)
        elif change.status in ("granted", "extended"):
            details["valid_until"] = _iso(app.valid_until)
        steps.append(Step(f"kandas.{change.status}", change.effective_on, app.id,
                          _utc(change.recorded_at), details))
    for stay in await repository.stays(session, ids):
        facts = {"centre_id": stay.centre_id, "region": stay.region,
                 "stay_limit_until": _iso(stay.stay_limit_until)}
        steps.append(Step("accommodation.checked-in", stay.checked_in_on, stay.id, None, facts))
        if stay.checked_out_on:
            steps.append(Step("accommodation.checked-out", stay.checked_out_on, stay.id, None,
                              {**facts, "reason": stay.checkout_reason}))
    resettlements = await repository.resettlements(session, ids)
    schedule: dict[str, list[Any]] = {}
    for payment in await repository.payments(session, [r.id for r in resettlements]):
        schedule.setdefault(payment.resettlement_id, []).append(payment)
    for row in resettlements:
        steps.append(Step("resettlement.applied", row.applied_on, row.id, None,
                          {"region": row.region}))
        if row.decided_on and row.status in ("approved", "refused"):
            steps.append(Step(f"resettlement.{row.status}", row.decided_on, row.id, None,
                              {"region": row.region, "quota_year": row.quota_year}))
        if row.status == "approved" and row.decided_on:
            payments = schedule.get(row.id, [])
            steps.append(Step("resettlement.support-scheduled", row.decided_on, row.id, None, {
                "total_tenge": row.total_tenge, "mci_tenge": row.mci_tenge,
                "payments": len(payments),
                "first_due_on": _iso(payments[0].due_on) if payments else None,
                "last_due_on": _iso(payments[-1].due_on) if payments else None,
            }))
    placements = await repository.placements(session, ids)
    placement_ids = [p.id for p in placements]
    for placement in placements:
        facts = {"centre_id": placement.centre_id, "region": placement.region,
                 "placement_until": _iso(placement.placement_until)}
        steps.append(Step("adaptation.placed", placement.settled_on, placement.id, None, facts))
        if placement.ended_on:
            steps.append(Step("adaptation.ended", placement.ended_on, placement.id, None,
                              {"reason": placement.end_reason}))
    for delivered in await repository.services_delivered(session, placement_ids):
        steps.append(Step("adaptation.service-delivered", delivered.delivered_on,
                          delivered.placement_id, None, {"kind": delivered.kind}))
    plans: dict[str, list[Any]] = {}
    for item in await repository.plan_items(session, placement_ids):
        plans.setdefault(item.placement_id, []).append(item)
    for placement_id, items in plans.items():
        # A plan is set (or replaced) as a whole; its items carry the day it was set until
        # progress on one of them is recorded, so the earliest day is the day it was set.
        steps.append(Step("adaptation.plan-set", min(i.updated_on for i in items), placement_id,
                          None, {"areas": sorted({i.area for i in items})}))
    steps.sort(key=lambda s: (s.on, ORDER.get(s.step, len(ORDER)),
                              s.at or datetime.min.replace(tzinfo=UTC)))
    return ids, steps


def fold(steps: list[Step]) -> Progress:
    return progress(Entry(s.step, s.details) for s in steps)
