"""POST /api/v1/invitations through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from registration.invitations.models import Invitation, Invitee
from registration.rulebook import rulebook
from services.registration.tests.builders import Events, foreigner, invitation
from shared import clock
from shared.service import Service


async def count(service: Service, model: Any) -> int:
    async with service.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_an_invitation_gets_a_10_digit_number_and_the_fee_of_the_year(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    body = invitation(invitees=[foreigner(citizenship="IND"), foreigner(citizenship="CHN")])
    response = await client.post("/api/v1/invitations", json=body)

    assert response.status_code == 201, response.text
    answer = response.json()
    assert len(answer["invitation_number"]) == 10 and answer["invitation_number"].isdigit()
    assert answer["status"] == "issued"
    today = clock.today()
    mci = int(rulebook().value("mci.tenge", today))  # type: ignore[arg-type]
    share = Decimal(str(rulebook().value("invitation.fee_mci_per_invitee", today)))
    assert answer["fee"]["mci_tenge"] == mci
    assert Decimal(str(answer["fee"]["amount_tenge"])) == share * mci * 2
    assert answer["fee"]["invitees"] == 2
    assert await count(service, Invitee) == 2

    [event] = await events("invitation.issued")
    assert event["topic"] == "koshqon.registration.invitations"
    assert event["key"] == answer["invitation_number"]
    assert event["data"]["invitee_citizenships"] == ["IND", "CHN"]
    assert event["data"]["person_ids"] == answer["person_ids"]
    text = json.dumps(event)
    for personal in ("SHARMA", "RAVI", body["invitees"][0]["passport_number"], body["host"]["bin"]):
        assert personal not in text


async def test_a_person_invites_with_an_iin(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/invitations", json=invitation(host_kind="person"))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda b: b["host"].update(bin="123456789012"), "host.bin", "bin_invalid"),
        (lambda b: b.update(host={"kind": "person", "iin": "900101300000"}), "host.iin",
         "iin_invalid"),
        (lambda b: b["invitees"][0].update(citizenship="ZZZ"), "invitees.0.citizenship",
         "citizenship_unknown"),
        (lambda b: b.update(region="990000000"), "region", "region_unknown"),
        (lambda b: b.update(planned_departure="2020-01-01"), "planned_departure", "date_order"),
        (lambda b: b.update(planned_entry=(date.today() - timedelta(days=3)).isoformat()),
         "planned_entry", "date_past"),
        (lambda b: b.update(invitees=[]), "invitees", "too_short"),
    ],
)
async def test_bad_input_is_refused_in_the_callers_language_and_changes_nothing(
    client: httpx.AsyncClient, service: Service, events: Events, change, field: str, code: str  # type: ignore[no-untyped-def]
) -> None:
    body = invitation()
    change(body)
    answers = {}
    for language in ("kk", "ru", "en"):
        response = await client.post(
            "/api/v1/invitations", json=body, headers={"Accept-Language": language}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert (field, code) in [(e["field"], e["code"]) for e in problem["errors"]], problem
        answers[language] = problem["errors"][0]["message"]
    assert len(set(answers.values())) == 3  # three languages, three texts
    assert await count(service, Invitation) == 0
    assert await events() == []


async def test_the_same_idempotency_key_creates_one_invitation(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    body = invitation()
    headers = {"Idempotency-Key": "inv-1"}
    first = await client.post("/api/v1/invitations", json=body, headers=headers)
    second = await client.post("/api/v1/invitations", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await count(service, Invitation) == 1
    assert len(await events("invitation.issued")) == 1


async def test_the_host_needs_the_invitations_scope(
    client: httpx.AsyncClient, bearer
) -> None:  # type: ignore[no-untyped-def]
    wrong = await client.post("/api/v1/invitations", json=invitation(),
                              headers=bearer("registration:arrivals:write"))
    assert wrong.status_code == 403
    right = await client.post("/api/v1/invitations", json=invitation(),
                              headers=bearer("registration:invitations:write"))
    assert right.status_code == 201
