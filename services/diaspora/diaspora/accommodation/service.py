"""Temporary accommodation centres: a family stays until kandas status is granted and at most the
rule's calendar days from its first check-in; a centre never takes more than its capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from diaspora.access import Authorize
from diaspora.accommodation import repository
from diaspora.accommodation.events import CheckedIn, CheckedOut, OverstayFlagged, StayEvent
from diaspora.accommodation.models import AccommodationStay
from diaspora.accommodation.schemas import CheckInRequest, StayOut
from diaspora.identifiers import new_id
from diaspora.kandas import repository as kandas_repository
from diaspora.kandas.models import KandasApplication
from diaspora.reference.centres import centre
from shared.errors import Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

STAY_LIMIT_RULE = "accommodation.stay_limit_calendar_days"
# The status is not granted yet: these families may stay in a temporary centre.
ELIGIBLE_STATUSES = ("submitted", "package_complete", "hearing")


@dataclass(frozen=True)
class StayLimit:
    until: date
    ref: str


def stay_limit(first_check_in: date, rules: RuleBook) -> StayLimit:
    """The last calendar day of the stay: the first check-in is day 1."""
    rule = rules.at(STAY_LIMIT_RULE, first_check_in)
    return StayLimit(first_check_in + timedelta(days=int(rule.value) - 1), rule.ref)  # type: ignore[arg-type]


def days_stayed(stay: AccommodationStay, until: date) -> int:
    return (until - stay.checked_in_on).days + 1


def _fields(stay: AccommodationStay) -> dict[str, object]:
    return {
        "stay_id": stay.id,
        "application_id": stay.application_id,
        "applicant_id": stay.applicant_id,
        "centre_id": stay.centre_id,
        "region": stay.region,
        "family_size": stay.family_size,
    }


def _event(cls: type[StayEvent], stay: AccommodationStay, **fields: object) -> StayEvent:
    return cls.model_validate({**_fields(stay), **fields})


class CheckInRefused(Problem):
    """A check-in the limits refuse; `reason` labels the metric."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(409, f"accommodation.{reason}", params=params)
        self.reason = reason


async def check_in(
    uow: UnitOfWork,
    request: CheckInRequest,
    *,
    today: date,
    rules: RuleBook,
    authorize: Authorize,
) -> AccommodationStay:
    """Checks a family in; refused past the stay limit, for a granted status, or when full."""
    place = centre(request.centre_id, "accommodation")
    if place is None:
        raise invalid("centre_id", "centre_unknown")
    authorize(place.region)
    checked_in_on = request.checked_in_on or today
    if checked_in_on > today:
        raise invalid("checked_in_on", "date_future")
    application = await kandas_repository.get_for_update(uow.session, request.application_id)
    if application is None:
        raise Problem(404, "kandas.not_found")
    if application.status not in ELIGIBLE_STATUSES:
        raise Problem(
            409, "accommodation.status_not_eligible", params={"status": application.status}
        )
    if await repository.active_for(uow.session, application.id) is not None:
        raise Problem(409, "accommodation.already_in_centre")
    first = await repository.first_check_in(uow.session, application.id)
    limit = stay_limit(min(first, checked_in_on) if first else checked_in_on, rules)
    if checked_in_on > limit.until or today > limit.until:
        raise CheckInRefused("stay_limit_reached", until=limit.until.isoformat())
    family_size = request.family_size or application.family_size
    if not await repository.take_places(uow.session, place.id, family_size, place.capacity):
        raise CheckInRefused("centre_full", capacity=place.capacity)
    stay = AccommodationStay(
        id=new_id(),
        application_id=application.id,
        applicant_id=application.applicant_id,
        centre_id=place.id,
        region=place.region,
        family_size=family_size,
        checked_in_on=checked_in_on,
        stay_limit_until=limit.until,
        rules_applied=[limit.ref],
    )
    repository.add(uow.session, stay)
    uow.publish(_event(CheckedIn, stay, checked_in_on=checked_in_on, stay_limit_until=limit.until))
    return stay


def _check_out(uow: UnitOfWork, stay: AccommodationStay, on: date, reason: str) -> None:
    stay.checked_out_on = on
    stay.checkout_reason = reason
    uow.publish(
        _event(
            CheckedOut,
            stay,
            checked_out_on=on,
            reason=reason,
            days_stayed=days_stayed(stay, on),
            overstayed=on > stay.stay_limit_until,
        )
    )


async def check_out(
    uow: UnitOfWork,
    stay_id: str,
    *,
    reason: str,
    checked_out_on: date | None,
    today: date,
    authorize: Authorize,
) -> AccommodationStay:
    """Checks a family out and frees its places; leaving after the limit is flagged `overstayed`."""
    stay = await repository.get_for_update(uow.session, stay_id)
    if stay is None:
        raise Problem(404, "accommodation.not_found")
    authorize(stay.region)
    if stay.checked_out_on is not None:
        raise Problem(409, "accommodation.already_checked_out")
    on = checked_out_on or today
    if on > today:
        raise invalid("checked_out_on", "date_future")
    if on < stay.checked_in_on:
        raise invalid("checked_out_on", "date_order", after=stay.checked_in_on.isoformat())
    _check_out(uow, stay, on, reason)
    await repository.release_places(uow.session, stay.centre_id, stay.family_size)
    return stay


async def check_out_granted(uow: UnitOfWork, application: KandasApplication, on: date) -> None:
    """The status is granted: the family's right to the temporary centre ends that day."""
    stay = await repository.active_for(uow.session, application.id)
    if stay is None:
        return
    _check_out(uow, stay, max(on, stay.checked_in_on), "status_granted")
    await repository.release_places(uow.session, stay.centre_id, stay.family_size)


async def flag_overstays(uow: UnitOfWork, *, today: date) -> list[AccommodationStay]:
    """Publishes `accommodation.overstay-flagged` once for each stay past its limit."""
    stays = await repository.newly_overstayed(uow.session, today)
    for stay in stays:
        stay.overstay_flagged_on = today
        uow.publish(
            _event(OverstayFlagged, stay, stay_limit_until=stay.stay_limit_until, flagged_on=today)
        )
    return stays


def to_view(stay: AccommodationStay, today: date) -> StayOut:
    last_day = stay.checked_out_on or today
    return StayOut(
        stay_id=stay.id,
        application_id=stay.application_id,
        centre_id=stay.centre_id,
        region=stay.region,
        family_size=stay.family_size,
        checked_in_on=stay.checked_in_on,
        stay_limit_until=stay.stay_limit_until,
        checked_out_on=stay.checked_out_on,
        checkout_reason=stay.checkout_reason,
        overstayed=last_day > stay.stay_limit_until,
        rules_applied=list(stay.rules_applied),
    )
