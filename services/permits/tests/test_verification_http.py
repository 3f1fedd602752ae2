"""Public verification of permits by number and birth date, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from permits.jobs import run_deadlines
from shared.service import Service

ALMATY = "750000000"


async def verify(client: httpx.AsyncClient, number: str, birth_date: str,
                 **headers: str) -> httpx.Response:
    return await client.get(f"/api/v1/verify/permits/{number}",
                            params={"birth_date": birth_date}, headers=headers)


async def issued_work_permit(client: httpx.AsyncClient, application: Any, today: date
                             ) -> dict[str, Any]:
    await client.put(f"/api/v1/quotas/{today.year}/{ALMATY}/2", json={"limit": 5})
    filed = (await client.post("/api/v1/work-permits/applications",
                               json=application(category="2", birth_date="1985-07-09"))).json()
    approved = (await client.post(
        f"/api/v1/work-permits/applications/{filed['application_id']}/decision",
        json={"decision": "approve"})).json()
    return (await client.post(
        f"/api/v1/work-permits/{approved['permit_number']}/fee-payments",
        json={"amount": approved["fee"]["amount"], "paid_on": today.isoformat(),
              "payment_reference": "PAY-V-1"})).json()  # type: ignore[no-any-return]


async def test_a_valid_work_permit_says_so_and_nothing_more(
    client: httpx.AsyncClient, service: Service, application: Any, today: date
) -> None:
    permit = await issued_work_permit(client, application, today)
    # Public: answered without a token even where every other call needs one.
    service.settings = service.settings.model_copy(update={"auth_required": True})
    response = await verify(client, permit["permit_number"], "1985-07-09")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "permit_number": permit["permit_number"], "valid": True, "kind": "work-permit",
        "category": "2", "region": ALMATY, "valid_until": permit["valid_until"],
    }


async def test_a_wrong_birth_date_reveals_nothing(
    client: httpx.AsyncClient, application: Any, today: date
) -> None:
    permit = await issued_work_permit(client, application, today)
    number = permit["permit_number"]
    wrong = await verify(client, number, "1985-07-10", **{"Accept-Language": "ru"})
    unknown_number = number[:-1] + ("0" if number[-1] != "0" else "1")
    unknown = await verify(client, unknown_number, "1985-07-10", **{"Accept-Language": "ru"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.headers["content-type"] == "application/problem+json"
    body, other = wrong.json(), unknown.json()
    assert body.pop("instance") != other.pop("instance")
    assert body == other
    assert "valid" not in wrong.text and permit["valid_until"] not in wrong.text
    missing = await client.get(f"/api/v1/verify/permits/{number}")
    assert missing.status_code == 422


async def test_a_labour_immigrant_permit_is_valid_while_paid(
    client: httpx.AsyncClient, service: Service, presence: Any, new_iin: Any, today: date,
    set_today: Any,
) -> None:
    await client.put(f"/api/v1/quotas/{today.year}/{ALMATY}/labour-immigrant",
                     json={"limit": 5})
    person = await presence.arrive()
    mci = 4325 if today.year >= 2026 else 3932
    permit = (await client.post("/api/v1/labour-immigrant-permits", json={
        "foreigner": {"person_id": person, "citizenship": "UZB", "birth_date": "1993-01-31"},
        "employer_iin": new_iin(), "region": ALMATY, "months": 1,
        "payment": {"amount": 4 * mci, "paid_on": today.isoformat(),
                    "payment_reference": "KGD-V-1"},
    })).json()
    number = permit["permit_number"]
    valid = (await verify(client, number, "1993-01-31")).json()
    assert valid == {"permit_number": number, "valid": True, "kind": "labour-immigrant-permit",
                     "category": None, "region": ALMATY, "valid_until": permit["paid_until"]}
    assert (await verify(client, number, "1993-01-30")).status_code == 404

    day_after = date.fromisoformat(permit["paid_until"]) + timedelta(days=1)
    await run_deadlines(service, today=day_after)
    set_today(day_after)
    lapsed = (await verify(client, number, "1993-01-31")).json()
    assert lapsed["valid"] is False
