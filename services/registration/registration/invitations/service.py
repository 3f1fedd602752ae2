"""Invitations: a host invites foreigners; the state fee is MCI-based and per invitee."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from registration.invitations import repository
from registration.invitations.events import InvitationIssued
from registration.invitations.models import Invitation, Invitee
from registration.invitations.schemas import FeeOut, InvitationIssuedOut, InvitationRequest
from registration.persons import normalize_passport, person_id_for
from shared.errors import FieldError, Problem
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

TIYN = Decimal("0.01")


def invitation_fee(
    invitees: int, on: date, rules: RuleBook
) -> tuple[Decimal, int, Decimal, list[str]]:
    """The fee in tenge, the MCI rate, the MCI per invitee and the rule refs, on `on`."""
    mci = rules.at("mci.tenge", on)
    per_invitee = rules.at("invitation.fee_mci_per_invitee", on)
    rate = int(mci.value)  # type: ignore[arg-type]
    share = Decimal(str(per_invitee.value))
    amount = (share * rate * invitees).quantize(TIYN, rounding=ROUND_HALF_UP)
    return amount, rate, share, [per_invitee.ref, mci.ref]


def check_dates(request: InvitationRequest, today: date) -> None:
    errors: list[FieldError] = []
    if request.planned_entry < today:
        errors.append(FieldError("planned_entry", "date_past"))
    if request.planned_departure < request.planned_entry:
        after = {"after": request.planned_entry.isoformat()}
        errors.append(FieldError("planned_departure", "date_order", after))
    for index, invitee in enumerate(request.invitees):
        if invitee.birth_date > today:
            errors.append(FieldError(f"invitees.{index}.birth_date", "date_future"))
    if errors:
        raise Problem(422, "validation", params={"count": len(errors)}, errors=errors)


async def _new_number(session: AsyncSession) -> str:
    while True:
        number = str(10**9 + secrets.randbelow(9 * 10**9))  # 10 digits, no leading zero
        if not await repository.number_taken(session, number):
            return number


async def issue_invitation(
    uow: UnitOfWork,
    request: InvitationRequest,
    *,
    today: date,
    now: datetime,
    rules: RuleBook,
    pseudonym_key: bytes,
) -> InvitationIssuedOut:
    """Issues the invitation with its number and assesses the state fee."""
    check_dates(request, today)
    amount, rate, share, refs = invitation_fee(len(request.invitees), today, rules)
    invitation = Invitation(
        number=await _new_number(uow.session),
        host_kind=request.host.kind,
        host_identifier=request.host.identifier,
        host_name=request.host.name,
        region=request.region,
        category=request.category,
        planned_entry=request.planned_entry,
        planned_departure=request.planned_departure,
        status="issued",
        issued_on=today,
        mci_tenge=rate,
        fee_tiyn=int(amount / TIYN),
        rules_applied=refs,
        created_at=now,
    )
    repository.add(uow.session, invitation)
    await uow.session.flush()  # the invitees refer to the invitation
    person_ids: list[str] = []
    for foreigner in request.invitees:
        person_id = person_id_for(
            foreigner.passport_number, foreigner.citizenship, foreigner.birth_date, pseudonym_key
        )
        person_ids.append(person_id)
        repository.add(
            uow.session,
            Invitee(
                id=str(uuid.uuid4()),
                invitation_number=invitation.number,
                person_id=person_id,
                passport_number=normalize_passport(foreigner.passport_number),
                citizenship=foreigner.citizenship,
                surname=foreigner.surname,
                given_names=foreigner.given_names,
                birth_date=foreigner.birth_date,
            ),
        )
    uow.publish(
        InvitationIssued(
            invitation_number=invitation.number,
            host_kind=request.host.kind,
            region=invitation.region,
            category=invitation.category,
            invitee_count=len(request.invitees),
            invitee_citizenships=[f.citizenship for f in request.invitees],
            person_ids=person_ids,
            planned_entry=invitation.planned_entry,
            issued_on=today,
            fee_tenge=float(amount),
            mci_tenge=rate,
        )
    )
    return InvitationIssuedOut(
        invitation_number=invitation.number,
        status="issued",
        issued_on=today,
        person_ids=person_ids,
        fee=FeeOut(
            amount_tenge=float(amount), mci_tenge=rate, mci_per_invitee=float(share),
            invitees=len(request.invitees),
        ),
        rules_applied=refs,
    )
