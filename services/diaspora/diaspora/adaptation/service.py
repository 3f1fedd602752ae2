"""Adaptation and integration centres (ҚБЫО): a placement lasts while the kandas status lasts and at
most the rule's months from settling; services delivered and an integration plan per family."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.access import Authorize
from diaspora.accommodation import repository as occupancy
from diaspora.adaptation import repository
from diaspora.adaptation.events import (
    Placed,
    PlacementEnded,
    PlacementEvent,
    PlacementUpdated,
    PlanProgressRecorded,
    PlanSet,
    ServiceDelivered,
)
from diaspora.adaptation.models import AdaptationPlacement, DeliveredService, IntegrationPlanItem
from diaspora.adaptation.schemas import (
    PlacementOut,
    PlacementRequest,
    PlanItemOut,
    PlanRequest,
    ProgressRequest,
    ServiceOut,
    ServiceRequest,
)
from diaspora.dates import last_day_of_period
from diaspora.identifiers import new_id
from diaspora.kandas import repository as kandas_repository
from diaspora.kandas.models import KandasApplication
from diaspora.reference.centres import centre
from shared.errors import Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

STAY_LIMIT_RULE = "adaptation.stay_limit_months"


def placement_until(
    settled_on: date, status_valid_until: date, rules: RuleBook
) -> tuple[date, str]:
    """The earlier of the last day of the months from settling and the status's last day."""
    rule = rules.at(STAY_LIMIT_RULE, settled_on)
    by_months = last_day_of_period(settled_on, int(rule.value))  # type: ignore[arg-type]
    return min(by_months, status_valid_until), rule.ref


def _event(cls: type[PlacementEvent], p: AdaptationPlacement, **fields: object) -> PlacementEvent:
    return cls.model_validate(
        {
            "placement_id": p.id,
            "application_id": p.application_id,
            "applicant_id": p.applicant_id,
            "centre_id": p.centre_id,
            "region": p.region,
            "family_size": p.family_size,
            **fields,
        }
    )


async def place(
    uow: UnitOfWork,
    request: PlacementRequest,
    *,
    today: date,
    rules: RuleBook,
    authorize: Authorize,
) -> AdaptationPlacement:
    """Settles a family with kandas status in a centre, within its capacity."""
    where = centre(request.centre_id, "adaptation")
    if where is None:
        raise invalid("centre_id", "centre_unknown")
    authorize(where.region)
    settled_on = request.settled_on or today
    if settled_on > today:
        raise invalid("settled_on", "date_future")
    application = await kandas_repository.get_for_update(uow.session, request.application_id)
    if application is None:
        raise Problem(404, "kandas.not_found")
    if application.status not in kandas_repository.IN_FORCE or application.valid_until is None:
        raise Problem(409, "adaptation.status_not_in_force", params={"status": application.status})
    if not application.valid_from or not (
        application.valid_from <= settled_on <= application.valid_until
    ):
        raise invalid("settled_on", "date_order", after=str(application.valid_from))
    if await repository.active_for(uow.session, application.id) is not None:
        raise Problem(409, "adaptation.already_placed")
    family_size = request.family_size or application.family_size
    if not await occupancy.take_places(uow.session, where.id, family_size, where.capacity):
        raise Problem(409, "adaptation.centre_full", params={"capacity": where.capacity})
    until, ref = placement_until(settled_on, application.valid_until, rules)
    placement = AdaptationPlacement(
        id=new_id(),
        application_id=application.id,
        applicant_id=application.applicant_id,
        centre_id=where.id,
        region=where.region,
        family_size=family_size,
        settled_on=settled_on,
        placement_until=until,
        rules_applied=[ref],
    )
    repository.add(uow.session, placement)
    uow.publish(_event(Placed, placement, settled_on=settled_on, placement_until=until))
    return placement


async def _active(uow: UnitOfWork, placement_id: str, authorize: Authorize) -> AdaptationPlacement:
    placement = await repository.get_for_update(uow.session, placement_id)
    if placement is None:
        raise Problem(404, "adaptation.not_found")
    authorize(placement.region)
    if placement.ended_on is not None:
        raise Problem(409, "adaptation.ended")
    return placement


async def record_service(
    uow: UnitOfWork,
    placement_id: str,
    request: ServiceRequest,
    *,
    today: date,
    authorize: Authorize,
) -> AdaptationPlacement:
    """Records a service delivered to the family during its placement."""
    placement = await _active(uow, placement_id, authorize)
    delivered_on = request.delivered_on or today
    if delivered_on > today:
        raise invalid("delivered_on", "date_future")
    if delivered_on < placement.settled_on:
        raise invalid("delivered_on", "date_order", after=placement.settled_on.isoformat())
    repository.add(
        uow.session,
        DeliveredService(
            id=new_id(),
            placement_id=placement.id,
            kind=request.kind,
            delivered_on=delivered_on,
            note=request.note,
        ),
    )
    uow.publish(_event(ServiceDelivered, placement, kind=request.kind, delivered_on=delivered_on))
    return placement


async def set_plan(
    uow: UnitOfWork,
    placement_id: str,
    request: PlanRequest,
    *,
    today: date,
    authorize: Authorize,
) -> AdaptationPlacement:
    """Sets (or replaces) the family's individual integration plan."""
    placement = await _active(uow, placement_id, authorize)
    await repository.clear_plan(uow.session, placement.id)
    for item in request.items:
        repository.add(
            uow.session,
            IntegrationPlanItem(
                id=new_id(),
                placement_id=placement.id,
                area=item.area,
                goal=item.goal,
                due_on=item.due_on,
                status="planned",
                progress_percent=0,
                updated_on=today,
            ),
        )
    uow.publish(_event(PlanSet, placement, areas=[i.area for i in request.items], set_on=today))
    return placement


def plan_progress(items: list[IntegrationPlanItem]) -> int | None:
    """Mean progress over the items still pursued (dropped ones do not count)."""
    pursued = [i for i in items if i.status != "dropped"]
    if not pursued:
        return None
    return round(sum(i.progress_percent for i in pursued) / len(pursued))


async def record_progress(
    uow: UnitOfWork,
    placement_id: str,
    item_id: str,
    request: ProgressRequest,
    *,
    today: date,
    authorize: Authorize,
) -> AdaptationPlacement:
    placement = await _active(uow, placement_id, authorize)
    item = await repository.plan_item(uow.session, placement.id, item_id)
    if item is None:
        raise Problem(404, "adaptation.plan_item_not_found")
    item.status = request.status
    # A done item is complete whatever percentage was sent with it.
    item.progress_percent = 100 if request.status == "done" else request.progress_percent
    item.note = request.note
    item.updated_on = today
    overall = plan_progress(await repository.plan(uow.session, placement.id))
    uow.publish(
        _event(
            PlanProgressRecorded,
            placement,
            item_id=item.id,
            area=item.area,
            status=item.status,
            plan_progress_percent=overall or 0,
            recorded_on=today,
        )
    )
    return placement


async def _end(uow: UnitOfWork, placement: AdaptationPlacement, on: date, reason: str) -> None:
    placement.ended_on = on
    placement.end_reason = reason
    await occupancy.release_places(uow.session, placement.centre_id, placement.family_size)
    uow.publish(_event(PlacementEnded, placement, ended_on=on, reason=reason))


async def move_out(
    uow: UnitOfWork,
    placement_id: str,
    ended_on: date | None,
    *,
    today: date,
    authorize: Authorize,
) -> AdaptationPlacement:
    placement = await _active(uow, placement_id, authorize)
    on = ended_on or today
    if on > today:
        raise invalid("ended_on", "date_future")
    if on < placement.settled_on:
        raise invalid("ended_on", "date_order", after=placement.settled_on.isoformat())
    await _end(uow, placement, on, "moved_out")
    return placement


async def end_with_status(
    uow: UnitOfWork, application: KandasApplication, on: date, *, reason: str
) -> None:
    """The status ended (terminated or expired): so does the family's placement."""
    placement = await repository.active_for(uow.session, application.id)
    if placement is not None:
        await _end(uow, placement, max(on, placement.settled_on), reason)


async def follow_extension(
    uow: UnitOfWork, application: KandasApplication, rules: RuleBook
) -> None:
    """The status was extended: the placement may last longer, never past the months' limit."""
    placement = await repository.active_for(uow.session, application.id)
    if placement is None or application.valid_until is None:
        return
    until, _ref = placement_until(placement.settled_on, application.valid_until, rules)
    if until != placement.placement_until:
        placement.placement_until = until
        uow.publish(_event(PlacementUpdated, placement, placement_until=until))


async def end_past_limit(uow: UnitOfWork, *, today: date) -> int:
    """Ends placements whose last day has passed; the day after it is the end."""
    placements = await repository.past_limit(uow.session, today)
    for placement in placements:
        await _end(uow, placement, placement.placement_until + timedelta(days=1), "limit_reached")
    return len(placements)


async def view(session: AsyncSession, placement: AdaptationPlacement) -> PlacementOut:
    delivered = await repository.services(session, placement.id)
    items = await repository.plan(session, placement.id)
    return PlacementOut(
        placement_id=placement.id,
        application_id=placement.application_id,
        centre_id=placement.centre_id,
        region=placement.region,
        family_size=placement.family_size,
        settled_on=placement.settled_on,
        placement_until=placement.placement_until,
        ended_on=placement.ended_on,
        end_reason=placement.end_reason,
        rules_applied=list(placement.rules_applied),
        services=[
            ServiceOut(service_id=s.id, kind=s.kind, delivered_on=s.delivered_on, note=s.note)
            for s in delivered
        ],
        plan=[
            PlanItemOut(
                item_id=i.id,
                area=i.area,
                goal=i.goal,
                due_on=i.due_on,
                status=i.status,
                progress_percent=i.progress_percent,
                updated_on=i.updated_on,
            )
            for i in items
        ],
        plan_progress_percent=plan_progress(items),
    )
