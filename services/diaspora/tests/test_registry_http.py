"""The diaspora registry through HTTP, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

Events = Any


def compatriot(
    country: str = "DEU", skills: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "full_name": "Aigerim Sultanova",
        "country": country,
        "city": "Berlin",
        "profession": "civil engineer",
        "skills": skills or ["Bridge  Design", "welding"],
        "email": "aigerim@example.de",
        "phone": "+49 30 1234567",
        "consent": True,
        **extra,
    }


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def all_pages(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": 2, **params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(path, params=query)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_organisations_are_registered_listed_and_deactivated(
    client: httpx.AsyncClient, events: Events
) -> None:
    serbia = await created(
        client,
        "/api/v1/organisations",
        {
            "name": "Kazakh Society of Serbia",
            "country": "SRB",
            "city": "Belgrade",
            "kind": "association",
            "contacts": {"email": "info@example.rs"},
        },
    )
    for city in ("Berlin", "Munich", "Hamburg"):
        await created(
            client,
            "/api/v1/organisations",
            {
                "name": f"Qazaq Uyi {city}",
                "country": "DEU",
                "city": city,
                "kind": "cultural_centre",
            },
        )
    german = await all_pages(client, "/api/v1/organisations", country="deu")
    assert sorted(o["city"] for o in german) == ["Berlin", "Hamburg", "Munich"]
    fetched = (await client.get(f"/api/v1/organisations/{serbia['organisation_id']}")).json()
    assert fetched["contacts"]["email"] == "info@example.rs"
    inactive = await client.post(
        f"/api/v1/organisations/{serbia['organisation_id']}/status", json={"status": "inactive"}
    )
    assert inactive.json()["status"] == "inactive"
    registered = await events("organisation.registered")
    assert len(registered) == 4
    assert registered[0]["data"] == {
        "organisation_id": serbia["organisation_id"],
        "country": "SRB",
        "kind": "association",
        "registered_on": serbia["registered_on"],
    }
    assert len(await events("organisation.status-changed")) == 1
    bad = await client.post(
        "/api/v1/organisations",
        json={"name": "X", "country": "XYZ", "city": "Y", "kind": "association"},
    )
    assert bad.status_code == 422


async def test_compatriots_register_with_consent_and_are_found_by_country_and_skill(
    client: httpx.AsyncClient, events: Events
) -> None:
    no_consent = await client.post(
        "/api/v1/compatriots", json=compatriot(consent=False), headers={"Accept-Language": "en"}
    )
    assert no_consent.status_code == 422
    assert no_consent.json()["errors"][0]["code"] == "consent_required"
    assert no_consent.json()["errors"][0]["message"] == "Explicit consent is required"

    engineer = await created(client, "/api/v1/compatriots", compatriot())
    assert engineer["skills"] == ["bridge design", "welding"]
    await created(client, "/api/v1/compatriots", compatriot(skills=["medicine"]))
    await created(client, "/api/v1/compatriots", compatriot(country="TUR"))

    found = await all_pages(client, "/api/v1/compatriots", country="DEU", skill="Bridge Design")
    assert [c["compatriot_id"] for c in found] == [engineer["compatriot_id"]]
    assert len(await all_pages(client, "/api/v1/compatriots", skill="welding")) == 2
    assert len(await all_pages(client, "/api/v1/compatriots", country="DEU")) == 2

    [first, *_] = await events("compatriot.registered")
    assert first["data"]["skills"] == ["bridge design", "welding"]
    for event in await events():
        for personal in ("Aigerim", "aigerim@example.de", "+49 30", "Berlin"):
            assert personal not in event["raw"]


async def test_a_withdrawn_consent_removes_the_compatriot_from_search_and_erases_contacts(
    client: httpx.AsyncClient, events: Events
) -> None:
    person = await created(client, "/api/v1/compatriots", compatriot(skills=["geology"]))
    expert = await created(
        client,
        "/api/v1/experts",
        {"compatriot_id": person["compatriot_id"], "field": "geology", "languages": ["kk", "de"]},
    )
    assert len(await all_pages(client, "/api/v1/compatriots", skill="geology")) == 1
    assert len(await all_pages(client, "/api/v1/experts", field="geology")) == 1

    withdrawn = await client.post(
        f"/api/v1/compatriots/{person['compatriot_id']}/consent-withdrawal"
    )
    assert withdrawn.status_code == 200

    assert await all_pages(client, "/api/v1/compatriots", skill="geology") == []
    assert await all_pages(client, "/api/v1/compatriots", country="DEU") == []
    assert await all_pages(client, "/api/v1/experts", field="geology") == []
    record = (await client.get(f"/api/v1/compatriots/{person['compatriot_id']}")).json()
    assert record["status"] == "withdrawn"
    for erased in ("full_name", "email", "phone", "city", "profession"):
        assert record[erased] is None
    assert record["skills"] == []
    assert record["consent_withdrawn_on"] is not None
    assert (await client.get(f"/api/v1/experts/{expert['expert_id']}")).json()[
        "status"
    ] == "withdrawn"
    [event] = await events("compatriot.consent-withdrawn")
    assert event["data"]["compatriot_id"] == person["compatriot_id"]
    assert len(await events("expert.withdrawn")) == 1
    twice = await client.post(f"/api/v1/compatriots/{person['compatriot_id']}/consent-withdrawal")
    assert twice.status_code == 409
    enrol_again = await client.post(
        "/api/v1/experts", json={"compatriot_id": person["compatriot_id"], "field": "geology"}
    )
    assert enrol_again.status_code == 409


async def test_experts_roster(client: httpx.AsyncClient, events: Events) -> None:
    person = await created(client, "/api/v1/compatriots", compatriot(country="SEN"))
    bad_dates = await client.post(
        "/api/v1/experts",
        json={
            "compatriot_id": person["compatriot_id"],
            "field": "hydrology",
            "available_from": "2027-05-01",
            "available_until": "2027-04-01",
        },
    )
    assert bad_dates.status_code == 422
    expert = await created(
        client,
        "/api/v1/experts",
        {
            "compatriot_id": person["compatriot_id"],
            "field": "hydrology",
            "available_from": "2027-04-01",
            "available_until": "2027-05-01",
        },
    )
    assert expert["country"] == "SEN"
    assert [e["expert_id"] for e in await all_pages(client, "/api/v1/experts", country="SEN")] == [
        expert["expert_id"]
    ]
    left = await client.post(f"/api/v1/experts/{expert['expert_id']}/withdrawal")
    assert left.json()["status"] == "withdrawn"
    assert await all_pages(client, "/api/v1/experts") == []
    assert len(await events("expert.enrolled")) == 1


async def test_programmes_and_participation(client: httpx.AsyncClient, events: Events) -> None:
    forum = await created(
        client,
        "/api/v1/programmes",
        {
            "title": "Qazaq Uyi business forum",
            "kind": "event",
            "organiser": "Otandastar Foundation",
            "country": "SWE",
            "city": "Stockholm",
            "starts_on": "2027-03-10",
            "ends_on": "2027-03-11",
        },
    )
    assert (forum["status"], forum["participants"]) == ("planned", 0)
    person = await created(client, "/api/v1/compatriots", compatriot())
    joined = await client.post(
        f"/api/v1/programmes/{forum['programme_id']}/participations",
        json={"compatriot_id": person["compatriot_id"]},
    )
    assert joined.status_code == 201
    assert joined.json()["participants"] == 1
    twice = await client.post(
        f"/api/v1/programmes/{forum['programme_id']}/participations",
        json={"compatriot_id": person["compatriot_id"]},
    )
    assert twice.status_code == 409
    url = f"/api/v1/programmes/{forum['programme_id']}/status"
    assert (await client.post(url, json={"status": "completed"})).status_code == 409
    assert (await client.post(url, json={"status": "open"})).json()["status"] == "open"
    assert (await client.post(url, json={"status": "completed"})).json()["status"] == "completed"
    closed = await client.post(
        f"/api/v1/programmes/{forum['programme_id']}/participations",
        json={"compatriot_id": person["compatriot_id"]},
    )
    assert closed.status_code == 409
    assert len(await all_pages(client, "/api/v1/programmes", status="completed")) == 1
    [joined_event] = await events("programme.participant-joined")
    assert joined_event["data"]["country"] == "DEU"
    assert len(await events("programme.status-changed")) == 2
    reversed_dates = await client.post(
        "/api/v1/programmes",
        json={
            "title": "x",
            "kind": "programme",
            "organiser": "y",
            "starts_on": "2027-03-10",
            "ends_on": "2027-03-01",
        },
    )
    assert reversed_dates.status_code == 422


async def test_investment_proposals_move_through_their_statuses(
    client: httpx.AsyncClient, events: Events
) -> None:
    proposal = await created(
        client,
        "/api/v1/investment-proposals",
        {
            "title": "Greenhouse complex",
            "sector": "agriculture",
            "investor_country": "TUR",
            "target_region": "610000000",
            "amount_usd": 2_500_000,
        },
    )
    assert proposal["status"] == "submitted"
    url = f"/api/v1/investment-proposals/{proposal['proposal_id']}/status"
    assert (await client.post(url, json={"status": "accepted"})).status_code == 409
    for status in ("under_review", "accepted", "implemented"):
        moved = await client.post(url, json={"status": status, "note": f"now {status}"})
        assert moved.status_code == 200, moved.text
    fetched = (await client.get(f"/api/v1/investment-proposals/{proposal['proposal_id']}")).json()
    assert (fetched["status"], fetched["status_note"]) == ("implemented", "now implemented")
    assert len(await all_pages(client, "/api/v1/investment-proposals", sector="agriculture")) == 1
    [submitted] = await events("investment-proposal.submitted")
    assert submitted["data"]["target_region"] == "610000000"
    assert [e["data"]["status"] for e in await events("investment-proposal.status-changed")] == [
        "under_review",
        "accepted",
        "implemented",
    ]


async def test_consultations_are_answered_and_closed(
    client: httpx.AsyncClient, events: Events
) -> None:
    person = await created(client, "/api/v1/compatriots", compatriot())
    asked = await created(
        client,
        "/api/v1/consultations",
        {
            "compatriot_id": person["compatriot_id"],
            "kind": "question",
            "topic": "repatriation",
            "text": "Which documents do I need for kandas status?",
        },
    )
    assert asked["status"] == "open"
    cid = asked["consultation_id"]
    assert len(await all_pages(client, "/api/v1/consultations", status="open")) == 1
    answered = await client.post(
        f"/api/v1/consultations/{cid}/answer", json={"answer": "A passport and proof of ethnicity."}
    )
    assert answered.json()["status"] == "answered"
    assert (
        await client.post(f"/api/v1/consultations/{cid}/answer", json={"answer": "again"})
    ).status_code == 409
    closed = await client.post(f"/api/v1/consultations/{cid}/close")
    assert closed.json()["status"] == "closed"
    assert (await client.get(f"/api/v1/consultations/{cid}")).json()["answer"] == (
        "A passport and proof of ethnicity."
    )
    [requested] = await events("consultation.requested")
    assert requested["data"]["consultation_topic"] == "repatriation"
    assert "Which documents" not in requested["raw"]
    assert (
        len(await events("consultation.answered")) == len(await events("consultation.closed")) == 1
    )


async def test_registry_scopes_are_enforced(client: httpx.AsyncClient, bearer: Any) -> None:
    reader = bearer("diaspora:registry:read")
    writer = bearer("diaspora:registry:write")
    denied = await client.post("/api/v1/compatriots", json=compatriot(), headers=reader)
    assert denied.status_code == 403
    allowed = await client.post("/api/v1/compatriots", json=compatriot(), headers=writer)
    assert allowed.status_code == 201
    answer = await client.post(
        "/api/v1/programmes",
        headers=writer,
        json={
            "title": "x",
            "kind": "programme",
            "organiser": "y",
            "starts_on": "2027-03-10",
            "ends_on": "2027-03-11",
        },
    )
    assert answer.status_code == 403
    missing = await client.get("/api/v1/consultations/nope")
    assert missing.status_code == 404
