"""Temporary residence permits through HTTP: apply, decide (officer of the region), verify, and
the stay extended to the TRP's end."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from registration.residence_permits.models import ResidencePermit
from registration.residence_permits.service import add_months, decision_deadline
from registration.rulebook import rulebook
from services.registration.tests.builders import Events, arrival_of, foreigner, residence_permit
from shared import clock
from shared.calendar import default_calendar
from shared.service import Service

DECIDE = "registration:residence-permits:decide"


async def apply(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/residence-permits", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_an_issued_trp_extends_the_stay_to_its_end_and_verifies(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    person = foreigner(citizenship="DEU")
    entry = clock.today() - timedelta(days=20)
    arrival = await client.post("/api/v1/arrivals", json=arrival_of(person, entry=entry))
    person_id = arrival.json()["person_id"]
    assert arrival.json()["allowed_stay_until"] == (entry + timedelta(days=29)).isoformat()

    ends_on = clock.today() + timedelta(days=200)
    submitted = await apply(client, residence_permit(person, ends_on=ends_on))
    assert submitted["person_id"] == person_id
    expected_due, _ = decision_deadline(clock.today(), rulebook(), default_calendar())
    assert submitted["decision_due"] == expected_due.isoformat()

    decision = await client.post(
        f"/api/v1/residence-permits/{submitted['application_id']}/decision",
        json={"decision": "approve"}, headers=bearer(DECIDE, region="750000000"),
    )
    assert decision.status_code == 201, decision.text
    issued = decision.json()
    assert issued["status"] == "issued" and issued["within_deadline"] is True
    assert issued["valid_until"] == ends_on.isoformat()

    stay = (await client.get(f"/api/v1/persons/{person_id}/stay")).json()
    assert stay["allowed_until"] == ends_on.isoformat()
    assert stay["stay"]["regime"] == "residence_permit"
    day_41 = (entry + timedelta(days=40)).isoformat()
    day_after_30 = (
        await client.get(f"/api/v1/persons/{person_id}/stay", params={"on": day_41})
    ).json()
    assert day_after_30["overstay"] is False

    check = await client.get(f"/api/v1/verify/residence-permits/{issued['permit_number']}")
    assert check.status_code == 200
    assert check.json() == {"permit_number": issued["permit_number"], "valid": True,
                            "valid_from": clock.today().isoformat(),
                            "valid_until": ends_on.isoformat()}

    [submitted_event] = await events("residence-permit.submitted")
    [issued_event] = await events("residence-permit.issued")
    assert issued_event["topic"] == "koshqon.registration.residence-permits"
    assert issued_event["key"] == submitted["application_id"]
    for event in (submitted_event, issued_event):
        assert person["passport_number"] not in json.dumps(event)


async def test_the_term_is_at_most_the_rule_and_the_region_is_the_officers(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    submitted = await apply(client, residence_permit(
        region="150000000", ends_on=clock.today() + timedelta(days=900), kind="contract"))
    url = f"/api/v1/residence-permits/{submitted['application_id']}/decision"
    elsewhere = await client.post(url, json={"decision": "approve"},
                                  headers=bearer(DECIDE, region="750000000"))
    assert elsewhere.status_code == 403
    assert await events("residence-permit.issued") == []

    decision = await client.post(url, json={"decision": "approve"},
                                 headers=bearer(DECIDE, region="150000000"))
    months = int(rulebook().value("residence_permit.max_term_months", clock.today()))  # type: ignore[arg-type]
    cap = add_months(clock.today(), months) - timedelta(days=1)
    assert decision.json()["valid_until"] == cap.isoformat()
    again = await client.post(url, json={"decision": "refuse", "reason": "other"},
                              headers=bearer(DECIDE, region="150000000"))
    assert again.status_code == 409


async def test_a_refusal_is_published_with_its_reason(
    client: httpx.AsyncClient, events: Events, bearer  # type: ignore[no-untyped-def]
) -> None:
    submitted = await apply(client, residence_permit())
    refused = await client.post(
        f"/api/v1/residence-permits/{submitted['application_id']}/decision",
        json={"decision": "refuse", "reason": "basis_invalid"}, headers=bearer(DECIDE),
    )
    assert refused.status_code == 201
    assert refused.json()["permit_number"] is None
    [event] = await events("residence-permit.refused")
    assert event["data"]["reason"] == "basis_invalid"


async def test_bad_applications_change_nothing(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    past = residence_permit(ends_on=clock.today() - timedelta(days=1))
    no_number = residence_permit()
    del no_number["basis"]["work_permit_number"]
    bad_bin = residence_permit()
    bad_bin["basis"]["employer_bin"] = "123456789012"
    for body, code in ((past, "date_past"), (no_number, "basis_number"), (bad_bin, "bin_invalid")):
        response = await client.post("/api/v1/residence-permits", json=body,
                                     headers={"Accept-Language": "kk"})
        assert response.status_code == 422
        assert code in [e["code"] for e in response.json()["errors"]], response.text
    async with service.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ResidencePermit)) == 0
    assert await events() == []


async def test_one_key_one_application_and_unknown_numbers_are_not_found(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    body = residence_permit()
    headers = {"Idempotency-Key": "trp-1"}
    first = await client.post("/api/v1/residence-permits", json=body, headers=headers)
    second = await client.post("/api/v1/residence-permits", json=body, headers=headers)
    assert first.json() == second.json()
    async with service.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ResidencePermit)) == 1
    assert len(await events("residence-permit.submitted")) == 1
    assert (await client.get("/api/v1/verify/residence-permits/TR0000000000")).status_code == 404


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 22), 12) == date(2027, 11, 22)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
