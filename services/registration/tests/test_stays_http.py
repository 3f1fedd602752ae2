"""Stays through HTTP: entries open them, address changes join them, departures close them; the
stay endpoint answers days used and overstay; the overstay job publishes each overstay once."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from registration.stays.jobs import run_overstay_detection
from registration.stays.models import Stay
from services.registration.tests.builders import Events, arrival_of, foreigner
from shared import clock
from shared.service import Service


async def notify(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/arrivals", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def depart(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/departures", json={"reported_by": "border_service", **body}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def stay_on(client: httpx.AsyncClient, person_id: str, on: date) -> dict[str, Any]:
    response = await client.get(f"/api/v1/persons/{person_id}/stay", params={"on": on.isoformat()})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def stays(service: Service) -> int:
    async with service.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Stay)))


async def test_a_new_address_is_a_new_notification_for_the_same_stay(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    person = foreigner(citizenship="DEU")
    entry = clock.today() - timedelta(days=4)
    first = await notify(client, arrival_of(person, entry=entry))
    moved = arrival_of(person, entry=entry, region="711210000")
    moved["address_changed_on"] = clock.today().isoformat()
    second = await notify(client, moved)

    assert second["person_id"] == first["person_id"]
    assert second["stay_id"] == first["stay_id"]
    assert (first["address_change"], second["address_change"]) == (False, True)
    assert second["late"] is False  # the deadline counts from the move
    assert await stays(service) == 1
    published = await events("arrival.notified")
    assert [e["data"]["address_change"] for e in published] == [False, True]
    assert {e["data"]["stay_id"] for e in published} == {first["stay_id"]}

    next_visit = await notify(client, arrival_of(person, entry=clock.today()))
    assert next_visit["stay_id"] != first["stay_id"]
    assert next_visit["person_id"] == first["person_id"]
    assert await stays(service) == 2


async def test_a_late_notification_is_accepted_and_flagged(
    client: httpx.AsyncClient, events: Events
) -> None:
    answer = await notify(client, arrival_of(foreigner(), entry=clock.today() - timedelta(days=15)))
    assert answer["late"] is True
    [event] = await events("arrival.notified")
    assert event["data"]["late"] is True


async def test_a_visa_free_stay_of_31_days_needs_registration_and_overstays_on_day_31(
    client: httpx.AsyncClient,
) -> None:
    person = foreigner(citizenship="DEU")
    entry = clock.today() - timedelta(days=40)
    answer = await notify(client, arrival_of(person, entry=entry, days=31))
    assert answer["registration_required"] is True
    assert answer["allowed_stay_until"] == (entry + timedelta(days=29)).isoformat()

    day_30 = await stay_on(client, answer["person_id"], entry + timedelta(days=29))
    day_31 = await stay_on(client, answer["person_id"], entry + timedelta(days=30))
    assert (day_30["days_used"], day_30["overstay"]) == (30, False)
    assert (day_31["days_used"], day_31["overstay"], day_31["overstay_days"]) == (31, True, 1)
    assert day_31["stay"]["regime"] == "visa_free"


async def test_an_eaeu_citizen_overstays_on_day_91_in_180_across_entries(
    client: httpx.AsyncClient, service: Service, events: Events
) -> None:
    person = foreigner(citizenship="KGZ")
    today = clock.today()
    first, second, third = (today - timedelta(days=d) for d in (170, 120, 60))
    one = await notify(client, arrival_of(person, entry=first, days=30))
    first_exit = (first + timedelta(days=29)).isoformat()
    await depart(client, {"person_id": one["person_id"], "exit_date": first_exit})
    await notify(client, arrival_of(person, entry=second, days=30))
    by_document = {k: person[k] for k in ("passport_number", "citizenship", "birth_date")}
    await depart(client, {**by_document, "exit_date": (second + timedelta(days=29)).isoformat()})
    three = await notify(client, arrival_of(person, entry=third, days=60))

    assert three["allowed_stay_until"] == (third + timedelta(days=29)).isoformat()
    day_90 = await stay_on(client, one["person_id"], third + timedelta(days=29))
    day_91 = await stay_on(client, one["person_id"], third + timedelta(days=30))
    assert (day_90["days_used"], day_90["overstay"]) == (90, False)
    assert (day_91["days_used"], day_91["overstay"], day_91["overstay_days"]) == (91, True, 1)
    assert day_91["days_allowed_in_window"] == 90 and day_91["window_days"] == 180
    assert day_91["stay"]["regime"] == "eaeu"

    # The daily job: the overstay is published once, however often it runs.
    assert await run_overstay_detection(service, today=today) == 1
    assert await run_overstay_detection(service, today=today) == 0
    assert await run_overstay_detection(service, today=today + timedelta(days=1)) == 0
    [event] = await events("stay.overstay-detected")
    assert event["topic"] == "koshqon.registration.stays"
    assert event["data"]["allowed_until"] == (third + timedelta(days=29)).isoformat()
    assert event["data"]["overstay_days"] == (today - third).days - 29
    assert person["passport_number"] not in json.dumps(event)


async def test_a_departure_closes_the_stay_and_is_published(
    client: httpx.AsyncClient, events: Events
) -> None:
    person = foreigner(citizenship="UZB")
    entry = clock.today() - timedelta(days=10)
    arrived = await notify(client, arrival_of(person, entry=entry, region="551010000"))
    recorded = await depart(client, {"person_id": arrived["person_id"],
                                     "exit_date": (entry + timedelta(days=5)).isoformat(),
                                     "border_point": "Zhibek Zholy"})
    assert recorded["stay_id"] == arrived["stay_id"]
    assert (recorded["days_in_stay"], recorded["overstay_days"]) == (6, 0)
    status = await stay_on(client, arrived["person_id"], clock.today())
    assert status["present"] is False and status["days_used"] == 6
    assert status["stay"]["exit_source"] == "departure"
    [event] = await events("departure.recorded")
    assert event["topic"] == "koshqon.registration.departures"
    assert event["data"]["region"] == "551010000"
    assert event["data"]["exit_date"] == (entry + timedelta(days=5)).isoformat()
    assert person["passport_number"] not in json.dumps(event)


async def test_bad_departures_are_refused_and_change_nothing(
    client: httpx.AsyncClient, events: Events
) -> None:
    person = foreigner()
    entry = clock.today() - timedelta(days=3)
    arrived = await notify(client, arrival_of(person, entry=entry))
    cases = [
        ({"person_id": arrived["person_id"], "exit_date": (entry - timedelta(days=1)).isoformat()},
         422, "before_entry"),
        ({"person_id": arrived["person_id"],
          "exit_date": (clock.today() + timedelta(days=1)).isoformat()}, 422, "date_future"),
        ({"passport_number": "X12345", "exit_date": entry.isoformat()}, 422, "person_identity"),
        ({"person_id": "00000000-0000-4000-8000-000000000000", "exit_date": entry.isoformat()},
         404, None),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/departures",
                                     json={"reported_by": "host", **body},
                                     headers={"Accept-Language": "ru"})
        assert response.status_code == status, response.text
        assert response.headers["content-language"] == "ru"
        if code:
            assert code in [e["code"] for e in response.json()["errors"]]
    assert await events("departure.recorded") == []
    status_now = await stay_on(client, arrived["person_id"], clock.today())
    assert status_now["present"] is True


async def test_a_departure_retried_with_its_key_is_recorded_once(
    client: httpx.AsyncClient, events: Events
) -> None:
    person = foreigner()
    arrived = await notify(client, arrival_of(person, entry=clock.today() - timedelta(days=2)))
    body = {"person_id": arrived["person_id"], "exit_date": clock.today().isoformat(),
            "reported_by": "border_service"}
    headers = {"Idempotency-Key": "exit-1"}
    first = await client.post("/api/v1/departures", json=body, headers=headers)
    second = await client.post("/api/v1/departures", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(await events("departure.recorded")) == 1


async def test_china_and_india_transit_is_72_hours(client: httpx.AsyncClient) -> None:
    entry = clock.today() - timedelta(days=1)
    for citizenship in ("CHN", "IND"):
        answer = await notify(client, arrival_of(foreigner(citizenship=citizenship), entry=entry,
                                                 purpose="transit", days=3))
        assert answer["allowed_stay_until"] == (entry + timedelta(days=3)).isoformat()
        day_4 = await stay_on(client, answer["person_id"], entry + timedelta(days=4))
        assert day_4["stay"]["regime"] == "transit" and day_4["overstay_days"] == 1
    other = await notify(client, arrival_of(foreigner(citizenship="USA"), entry=entry,
                                            purpose="transit", days=3))
    assert other["allowed_stay_until"] == (entry + timedelta(days=29)).isoformat()


async def test_the_stay_endpoint_checks_scope_and_the_officers_region(
    client: httpx.AsyncClient, bearer  # type: ignore[no-untyped-def]
) -> None:
    arrived = await notify(client, arrival_of(foreigner(), entry=clock.today(),
                                              region="751110000"))
    url = f"/api/v1/persons/{arrived['person_id']}/stay"
    own = await client.get(url, headers=bearer("registration:stay:read", region="750000000"))
    assert own.status_code == 200
    other = await client.get(url, headers=bearer("registration:stay:read", region="710000000"))
    assert other.status_code == 403
    assert other.json()["type"] == "urn:koshqon:problem:forbidden_region"
    no_scope = await client.get(url, headers=bearer("registration:arrivals:write"))
    assert no_scope.status_code == 403
    unknown = await client.get("/api/v1/persons/00000000-0000-4000-8000-000000000000/stay",
                               headers={"Accept-Language": "kk"})
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Тұлға табылмады"


async def test_a_new_entry_without_a_reported_exit_closes_the_earlier_stay(
    client: httpx.AsyncClient,
) -> None:
    person = foreigner(citizenship="DEU")
    first_entry = clock.today() - timedelta(days=60)
    first = await notify(client, arrival_of(person, entry=first_entry, days=10))
    await notify(client, arrival_of(person, entry=clock.today() - timedelta(days=5)))
    earlier = await stay_on(client, first["person_id"], first_entry + timedelta(days=20))
    assert earlier["stay"]["exit_source"] == "inferred"
    assert earlier["stay"]["exit_date"] == (first_entry + timedelta(days=9)).isoformat()
    now = await stay_on(client, first["person_id"], clock.today())
    assert now["days_used"] == 10 + 6
