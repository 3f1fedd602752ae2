"""The foreign-worker flow as a fold over its steps: which step is pending, by when, and who is
to act. Pure functions of the recorded events' data, so the tests can feed them directly.

invitation → e-Visa (application, decision) → arrival notification → work permit (application,
akimat decision with the quota place, fee payment) → TRP (application, decision).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Status = Literal["open", "completed", "closed"]


@dataclass(frozen=True)
class Actor:
    role: Literal["host", "foreigner", "employer", "officer", "payment_gateway", "family",
                  "centre_staff"]
    service: str
    region: str | None = None


@dataclass(frozen=True)
class Pending:
    step: str
    actor: Actor
    due: date | None = None
    due_kind: str | None = None


@dataclass(frozen=True)
class Step:
    """What the fold needs of a recorded step."""

    service: str
    name: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    status: Status
    pending: Pending | None
    outcome: str | None = None


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    return date.fromisoformat(str(value)) if value else None


FIRST = Pending("invitation.issued", Actor("host", "registration"))

# A decision that ends the flow: the case closes with this outcome (a new application in the same
# case reopens it, as the fold simply goes on).
_CLOSING = {
    ("registration", "evisa.refused"): "evisa_refused",
    ("permits", "work-permit.refused"): "work_permit_refused",
    ("permits", "work-permit.withdrawn"): "work_permit_withdrawn",
    ("permits", "work-permit.lapsed"): "work_permit_fee_unpaid",
    ("permits", "work-permit.revoked"): "work_permit_revoked",
    ("registration", "residence-permit.refused"): "residence_permit_refused",
}


def _next(step: Step) -> Pending | None:
    """The step that follows `step` in the flow, or None when `step` does not move the flow."""
    data = step.data
    match (step.service, step.name):
        case ("registration", "invitation.issued"):
            return Pending("evisa.submitted", Actor("foreigner", "registration"))
        case ("registration", "evisa.submitted"):
            return Pending("evisa.decided", Actor("officer", "registration"),
                           _date(data, "decision_due"), "evisa_decision_due")
        case ("registration", "evisa.issued"):
            # The foreigner enters while the visa is valid; the host then notifies the arrival.
            return Pending("arrival.notified", Actor("host", "registration"),
                           _date(data, "valid_until"), "entry_by_visa_end")
        case ("registration", "arrival.notified"):
            return Pending("work-permit.applied", Actor("employer", "permits"),
                           _date(data, "allowed_stay_until"), "stay_allowed_until")
        case ("permits", "work-permit.applied"):
            return Pending("work-permit.decided",
                           Actor("officer", "permits", str(data.get("region") or "") or None),
                           _date(data, "decision_due"), "work_permit_decision_due")
        case ("permits", "work-permit.approved"):
            return Pending("work-permit.issued", Actor("payment_gateway", "permits"),
                           _date(data, "payment_deadline"), "fee_payment_due")
        case ("permits", "work-permit.issued"):
            return Pending("residence-permit.submitted", Actor("foreigner", "registration"))
        case ("registration", "residence-permit.submitted"):
            return Pending("residence-permit.decided",
                           Actor("officer", "registration", str(data.get("region") or "") or None),
                           _date(data, "decision_due"), "residence_permit_decision_due")
    return None


def progress(steps: Iterable[Step]) -> Progress:
    """Folds the steps (in the order they happened) into the case's status and pending step."""
    state = Progress("open", FIRST)
    for step in steps:
        key = (step.service, step.name)
        if key in _CLOSING:
            state = Progress("closed", None, _CLOSING[key])
        elif key == ("registration", "residence-permit.issued"):
            state = Progress("completed", None, "residence_permit_issued")
        else:
            following = _next(step)
            if following is not None:
                state = Progress("open", following)
    return state
