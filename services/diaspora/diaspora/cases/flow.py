"""The kandas-family flow as a fold over its timeline: which step is pending, by when, and who is
to act. Pure functions, so the tests can feed them directly.

application → package registered (the decision clock) → status granted (or a hearing, then a
decision) → resettlement under a region's quota with support payments → adaptation centre
placement → integration plan. A stay in a temporary accommodation centre runs beside the first
steps and does not move the flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Status = Literal["open", "completed", "closed"]
Role = Literal["family", "officer", "centre_staff"]


@dataclass(frozen=True)
class Actor:
    role: Role
    service: str = "diaspora"
    region: str | None = None


@dataclass(frozen=True)
class Pending:
    step: str
    actor: Actor
    due: date | None = None
    due_kind: str | None = None


@dataclass(frozen=True)
class Entry:
    """A step of the timeline as the fold sees it: its name and the facts it carries."""

    step: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    status: Status
    pending: Pending | None
    outcome: str | None = None


FIRST = Pending("kandas.submitted", Actor("family"))

_CLOSING = {
    "kandas.refused": "kandas_refused",
    "kandas.terminated": "kandas_terminated",
    "kandas.expired": "kandas_expired",
}


def _region(facts: Mapping[str, Any]) -> str | None:
    value = facts.get("region")
    return str(value) if value else None


def _date(facts: Mapping[str, Any], key: str) -> date | None:
    value = facts.get(key)
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _next(entry: Entry) -> Pending | None:
    facts = entry.facts
    match entry.step:
        case "kandas.submitted":
            # The employment centre registers the complete package; the clock starts then.
            return Pending("kandas.package_complete", Actor("officer", region=_region(facts)))
        case "kandas.package_complete":
            return Pending("kandas.granted", Actor("officer", region=_region(facts)),
                           _date(facts, "decision_due"), "kandas_decision_due")
        case "kandas.hearing":
            return Pending("kandas.hearing_held", Actor("family"), _date(facts, "hearing_due"),
                           "hearing_due")
        case "kandas.granted":
            return Pending("resettlement.applied", Actor("family"))
        case "resettlement.applied":
            return Pending("resettlement.approved", Actor("officer", region=_region(facts)))
        case "resettlement.refused":
            # A family may apply for another region of the programme.
            return Pending("resettlement.applied", Actor("family"))
        case "resettlement.approved":
            return Pending("adaptation.placed", Actor("family"))
        case "adaptation.placed":
            return Pending("adaptation.plan-set", Actor("centre_staff", region=_region(facts)))
    return None


def progress(entries: Iterable[Entry]) -> Progress:
    """Folds the timeline (in the order it happened) into the case's status and pending step."""
    state = Progress("open", FIRST)
    for entry in entries:
        if entry.step in _CLOSING:
            state = Progress("closed", None, _CLOSING[entry.step])
        elif entry.step == "adaptation.plan-set":
            state = Progress("completed", None, "integration_plan_set")
        else:
            following = _next(entry)
            if following is not None:
                state = Progress("open", following)
    return state
