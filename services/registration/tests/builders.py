"""Valid request bodies for the registration tests, unique per call."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from tests.support.data import bin_number

_sequence = itertools.count(1)

# The `events` fixture: the outbox's events, optionally of one event name.
Events = Callable[..., Awaitable[list[dict[str, Any]]]]


def foreigner(
    *, citizenship: str = "IND", passport: str | None = None, birth_date: str = "1988-02-11"
) -> dict[str, Any]:
    n = next(_sequence)
    return {
        "passport_number": passport or f"RG{n:07d}",
        "citizenship": citizenship,
        "surname": "SHARMA",
        "given_names": "RAVI",
        "birth_date": birth_date,
        "sex": "M",
    }


def invitation(
    *,
    invitees: list[dict[str, Any]] | None = None,
    host_kind: str = "company",
    region: str = "750000000",
    category: str = "business",
    planned_entry: date | None = None,
) -> dict[str, Any]:
    n = next(_sequence)
    entry = planned_entry or date.today() + timedelta(days=10)
    host: dict[str, Any] = {"kind": host_kind, "name": f"Host {n}"}
    host["bin" if host_kind == "company" else "iin"] = bin_number(n + 7000)
    return {
        "host": host,
        "region": region,
        "category": category,
        "planned_entry": entry.isoformat(),
        "planned_departure": (entry + timedelta(days=14)).isoformat(),
        "invitees": invitees or [foreigner()],
    }


def evisa_application(
    invitation_number: str, applicant: dict[str, Any], *, category: str = "business",
    planned_entry: date | None = None,
) -> dict[str, Any]:
    entry = planned_entry or date.today() + timedelta(days=10)
    return {
        "invitation_number": invitation_number,
        "applicant": applicant,
        "category": category,
        "purpose": "Negotiations with the inviting company",
        "planned_entry": entry.isoformat(),
    }


def residence_permit(
    person: dict[str, Any] | None = None, *, region: str = "750000000",
    ends_on: date | None = None, kind: str = "work_permit",
) -> dict[str, Any]:
    n = next(_sequence)
    basis: dict[str, Any] = {
        "kind": kind,
        "employer_bin": bin_number(n + 9000),
        "ends_on": (ends_on or date.today() + timedelta(days=200)).isoformat(),
    }
    basis["work_permit_number" if kind == "work_permit" else "contract_number"] = f"WP-{n:06d}"
    return {"foreigner": person or foreigner(), "region": region, "basis": basis}


def arrival_of(
    person: dict[str, Any], *, entry: date, days: int = 20, region: str = "750000000",
    purpose: str = "tourism",
) -> dict[str, Any]:
    """An arrival notification for a given foreigner (so several entries are one person)."""
    n = next(_sequence)
    return {
        "host": {"kind": "hotel", "bin": bin_number(n + 3000), "name": f"Hotel {n}"},
        "foreigner": dict(person),
        "entry_date": entry.isoformat(),
        "address": {"region": region, "locality": "Almaty", "line": "Abai ave 1, apt 2"},
        "purpose": purpose,
        "expected_departure": (entry + timedelta(days=days - 1)).isoformat(),
    }
