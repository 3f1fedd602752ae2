"""e-Visa through HTTP: apply with an invitation, decide, read, verify, use, expire."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from registration.evisa.jobs import run_visa_expiry
from registration.evisa.models import EvisaApplication
from registration.evisa.service import review_deadline
from registration.rulebook import rulebook
from services.registration.tests.builders import (
    Events,
    arrival_of,
    evisa_application,
    foreigner,
    invitation,
)
from shared import clock
from shared.calendar import default_calendar
from shared.service import Service

DECIDE = "registration:evisa:decide"


async def invited(client: httpx.AsyncClient, person: dict[str, Any]) -> str:
    response = await client.post("/api/v1/invitations", json=invitation(invitees=[person]))
    assert response.status_code == 201, response.text
    return str(response.json()["invitation_number"])


async def applied(
    client: httpx.AsyncClient, person: dict[str, Any], planned_entry: date | None = None,
    category: str = "business",
) -> dict[str, Any]:
    number = await invited(client, person)
    response = await client.post(
        "/api/v1/evisa/applications",
        json=evisa_application(number, person, planned_entry=planned_entry, category=category),
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_apply_approve_verify_and_read_the_history(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    person = foreigner(citizenship="IND")
    submitted = await applied(client, person, category="tourism")
    assert submitted["status"] == "submitted"
    expected_due, _ = review_deadline(clock.today(), rulebook(), default_calendar())
    assert submitted["decision_due"] == expected_due.isoformat()
    application_id = submitted["application_id"]

    decision = await client.post(
        f"/api/v1/evisa/applications/{application_id}/decision",
        json={"decision": "approve"}, headers=bearer(DECIDE),
    )
    assert decision.status_code == 201, decision.text
    issued = decision.json()
    assert issued["status"] == "issued" and issued["within_deadline"] is True
    visa_number = issued["visa_number"]
    assert visa_number.startswith("EV") and len(visa_number) == 12
    days = rulebook().value("evisa.validity_days", clock.today())["tourism"]  # type: ignore[index, call-overload]
    valid_from = date.fromisoformat(issued["visa"]["valid_from"])
    assert issued["visa"]["valid_until"] == (valid_from + timedelta(days=days - 1)).isoformat()
    assert issued["visa"]["entries"] == 1

    check = await client.get(f"/api/v1/verify/visas/{visa_number}")
    assert check.status_code == 200
    verified = check.json()
    assert verified["category"] == "tourism"
    assert verified["valid"] is (valid_from <= clock.today())
    assert set(verified) == {"visa_number", "valid", "status", "category", "valid_from",
                             "valid_until", "entries"}
    assert "IND" not in json.dumps(verified) and person["passport_number"] not in check.text

    read = await client.get(f"/api/v1/evisa/applications/{application_id}")
    assert read.status_code == 200
    assert [h["status"] for h in read.json()["history"]] == ["submitted", "issued"]
    assert read.json()["visa"]["visa_number"] == visa_number

    submitted_events = await events("evisa.submitted")
    issued_events = await events("evisa.issued")
    assert len(submitted_events) == len(issued_events) == 1
    assert issued_events[0]["topic"] == "koshqon.registration.evisa"
    assert issued_events[0]["key"] == application_id
    for event in submitted_events + issued_events:
        text = json.dumps(event)
        assert person["passport_number"] not in text and "SHARMA" not in text


async def test_a_refusal_needs_a_reason_and_a_decision_is_final(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    submitted = await applied(client, foreigner())
    url = f"/api/v1/evisa/applications/{submitted['application_id']}/decision"
    no_reason = await client.post(url, json={"decision": "refuse"}, headers=bearer(DECIDE))
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["code"] == "reason_required"

    refused = await client.post(url, json={"decision": "refuse", "reason": "security",
                                           "comment": "checked"}, headers=bearer(DECIDE))
    assert refused.status_code == 201
    assert refused.json()["status"] == "refused" and refused.json()["visa_number"] is None
    [event] = await events("evisa.refused")
    assert event["data"]["reason"] == "security"

    again = await client.post(url, json={"decision": "approve"}, headers=bearer(DECIDE))
    assert again.status_code == 409
    assert again.json()["type"] == "urn:koshqon:problem:already_decided"
    assert await events("evisa.issued") == []


async def test_only_an_invitee_may_apply_with_an_invitation(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    number = await invited(client, foreigner())
    stranger = await client.post(
        "/api/v1/evisa/applications", json=evisa_application(number, foreigner()),
        headers={"Accept-Language": "kk"},
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["code"] == "not_invited"
    unknown = await client.post(
        "/api/v1/evisa/applications", json=evisa_application("1234567890", foreigner())
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "invitation_number"
    async with service.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(EvisaApplication)) == 0
    assert await events("evisa.submitted") == []


async def test_officer_scopes_are_enforced(client: httpx.AsyncClient, bearer) -> None:  # type: ignore[no-untyped-def]
    submitted = await applied(client, foreigner())
    url = f"/api/v1/evisa/applications/{submitted['application_id']}/decision"
    forbidden = await client.post(url, json={"decision": "approve"},
                                  headers=bearer("registration:evisa:read"))
    assert forbidden.status_code == 403
    missing = await client.post("/api/v1/evisa/applications/nope/decision",
                                json={"decision": "approve"}, headers=bearer(DECIDE))
    assert missing.status_code == 404


async def test_a_duplicate_application_with_one_key_creates_one_record(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    person = foreigner()
    number = await invited(client, person)
    body = evisa_application(number, person)
    headers = {"Idempotency-Key": "evisa-1"}
    first = await client.post("/api/v1/evisa/applications", json=body, headers=headers)
    second = await client.post("/api/v1/evisa/applications", json=body, headers=headers)
    assert first.json() == second.json()
    async with service.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(EvisaApplication)) == 1
    assert len(await events("evisa.submitted")) == 1


async def test_an_entry_on_the_visa_uses_it_and_the_stay_lasts_to_its_end(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    person = foreigner(citizenship="IND")
    today = clock.today()
    submitted = await applied(client, person, planned_entry=today)
    decision = await client.post(
        f"/api/v1/evisa/applications/{submitted['application_id']}/decision",
        json={"decision": "approve"}, headers=bearer(DECIDE),
    )
    visa = decision.json()["visa"]
    arrival = await client.post("/api/v1/arrivals", json=arrival_of(person, entry=today,
                                                                      purpose="business"))
    assert arrival.status_code == 201, arrival.text
    assert arrival.json()["allowed_stay_until"] == visa["valid_until"]
    stay = (await client.get(f"/api/v1/persons/{arrival.json()['person_id']}/stay")).json()
    assert stay["stay"]["regime"] == "visa"
    [used] = await events("evisa.used")
    assert used["data"]["stay_id"] == arrival.json()["stay_id"]
    read = await client.get(f"/api/v1/evisa/applications/{submitted['application_id']}")
    assert read.json()["status"] == "used"


@pytest.mark.parametrize("runs", [2])
async def test_an_unused_visa_expires_once(
    client: httpx.AsyncClient, service: Service, events: Events, bearer, runs: int  # type: ignore[no-untyped-def]
) -> None:
    submitted = await applied(client, foreigner())
    decision = await client.post(
        f"/api/v1/evisa/applications/{submitted['application_id']}/decision",
        json={"decision": "approve"}, headers=bearer(DECIDE),
    )
    valid_until = date.fromisoformat(decision.json()["visa"]["valid_until"])
    assert await run_visa_expiry(service, today=valid_until) == 0  # still valid on its last day
    results = [await run_visa_expiry(service, today=valid_until + timedelta(days=1))
               for _ in range(runs)]
    assert results == [1, 0]
    [expired] = await events("evisa.expired")
    assert expired["data"]["valid_until"] == valid_until.isoformat()
    check = await client.get(f"/api/v1/verify/visas/{decision.json()['visa_number']}")
    assert check.json()["status"] == "expired" and check.json()["valid"] is False
    unknown = await client.get("/api/v1/verify/visas/EV0000000000")
    assert unknown.status_code == 404
