"""POST /api/v1/arrivals through HTTP, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from registration.app import create_service
from registration.arrivals.models import ArrivalNotification
from registration.base import plumbing
from shared.calendar import default_calendar
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import running


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[Service]:
    # No relay: the outbox keeps every event for the assertions.
    settings = ServiceSettings(database_url=database_url, bus="memory", run_relay=False)
    yield create_service(settings)


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with running(service) as c:
        yield c


async def stored_count(service: Service) -> int:
    async with service.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ArrivalNotification)))


async def outbox_events(service: Service) -> list[dict]:
    async with service.db.transaction() as session:
        rows = (await session.execute(select(plumbing.outbox))).all()
    return [{"headers": r.headers, "data": json.loads(r.value)} for r in rows]


async def test_an_arrival_is_recorded_and_published_without_personal_data(
    client: httpx.AsyncClient, service: Service
) -> None:
    body = arrival(region="751110000", citizenship="UZB", days=20)
    response = await client.post("/api/v1/arrivals", json=body, headers={"X-Case-Id": "C-1"})

    assert response.status_code == 201, response.text
    answer = response.json()
    entry = date.fromisoformat(body["entry_date"])
    assert answer["deadline"] == default_calendar().add_working_days(entry, 3).isoformat()
    assert answer["late"] is False
    assert answer["registration_required"] is False
    assert answer["allowed_stay_until"] == (entry + timedelta(days=29)).isoformat()
    assert "arrival.notification_deadline_working_days@v1" in answer["rules_applied"]
    assert await stored_count(service) == 1

    [event] = await outbox_events(service)
    assert event["headers"]["ce_type"] == "kz.koshqon.registration.arrival.notified.v1"
    assert event["headers"]["ce_caseid"] == "C-1"
    assert event["data"]["person_id"] == answer["person_id"]
    assert event["data"]["region"] == "751110000"
    text = json.dumps(event)
    for personal in ("KARIMOV", "ALISHER", body["foreigner"]["passport_number"], "Abai ave",
                     "1990-05-01", body["host"]["bin"]):
        assert personal not in text


async def test_a_notification_after_the_deadline_is_accepted_and_flagged_late(
    client: httpx.AsyncClient,
) -> None:
    entry = date.today() - timedelta(days=20)
    response = await client.post("/api/v1/arrivals", json=arrival(entry=entry, days=25))
    assert response.status_code == 201
    assert response.json()["late"] is True
    assert response.json()["deadline"] == default_calendar().add_working_days(entry, 3).isoformat()


@pytest.mark.parametrize(("days", "required"), [(30, False), (31, True)])
async def test_a_stay_longer_than_30_days_needs_registration(
    client: httpx.AsyncClient, days: int, required: bool
) -> None:
    response = await client.post("/api/v1/arrivals", json=arrival(days=days))
    assert response.status_code == 201
    assert response.json()["registration_required"] is required


async def test_an_eaeu_citizen_may_stay_90_days_from_entry(client: httpx.AsyncClient) -> None:
    entry = date.today() - timedelta(days=1)
    response = await client.post("/api/v1/arrivals", json=arrival(citizenship="KGZ", entry=entry))
    assert response.json()["allowed_stay_until"] == (entry + timedelta(days=89)).isoformat()


async def test_repeat_visits_resolve_to_the_same_person(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/v1/arrivals", json=arrival(passport="fa 123-4567"))
    again = await client.post("/api/v1/arrivals", json=arrival(passport="FA1234567"))
    other = await client.post(
        "/api/v1/arrivals", json=arrival(passport="FA1234567", birth_date="1991-05-01")
    )
    assert first.json()["person_id"] == again.json()["person_id"]
    assert other.json()["person_id"] != first.json()["person_id"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda b: b["host"].update(bin="123456789012"), "host.bin", "bin_invalid"),
        (lambda b: b["foreigner"].update(citizenship="XYZ"), "foreigner.citizenship",
         "citizenship_unknown"),
        (lambda b: b["address"].update(region="999999999"), "address.region", "region_unknown"),
        (lambda b: b.update(purpose="holiday"), "purpose", "choice"),
        (lambda b: b.update(expected_departure="2000-01-01"), "expected_departure", "date_order"),
        (lambda b: b.update(entry_date=(date.today() + timedelta(days=5)).isoformat()),
         "entry_date", "date_future"),
    ],
)
async def test_bad_input_gets_a_localized_problem_and_changes_nothing(
    client: httpx.AsyncClient, service: Service, change, field: str, code: str  # type: ignore[no-untyped-def]
) -> None:
    body = arrival()
    change(body)
    response = await client.post("/api/v1/arrivals", json=body, headers={"Accept-Language": "ru"})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == "ru"
    problem = response.json()
    assert problem["title"] == "Некорректный запрос"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ]
    assert all(e["message"] and e["message"] != e["code"] for e in problem["errors"])
    assert await stored_count(service) == 0
    assert await outbox_events(service) == []


async def test_problem_messages_follow_accept_language(client: httpx.AsyncClient) -> None:
    titles = {}
    for language in ("kk", "ru", "en", "de, ru;q=0.5"):
        response = await client.post(
            "/api/v1/arrivals", json={}, headers={"Accept-Language": language}
        )
        titles[language] = response.json()["title"]
    assert titles["kk"] == "Сұраныс дұрыс емес"
    assert titles["en"] == "The request is not valid"
    assert titles["de, ru;q=0.5"] == titles["ru"] == "Некорректный запрос"


async def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(
    client: httpx.AsyncClient, service: Service
) -> None:
    body = arrival()
    headers = {"Idempotency-Key": "portal-req-1"}
    first = await client.post("/api/v1/arrivals", json=body, headers=headers)
    second = await client.post("/api/v1/arrivals", json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers.get("idempotent-replayed") == "true"
    assert await stored_count(service) == 1
    assert len(await outbox_events(service)) == 1

    reused = await client.post("/api/v1/arrivals", json=arrival(), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:koshqon:problem:idempotency.conflict"
    assert await stored_count(service) == 1


async def test_concurrent_retries_with_one_key_create_one_record(
    client: httpx.AsyncClient, service: Service
) -> None:
    body = arrival()
    headers = {"Idempotency-Key": "storm-1"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/arrivals", json=body, headers=headers) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["notification_id"] for r in responses}) == 1
    assert await stored_count(service) == 1
    assert len(await outbox_events(service)) == 1


async def test_regions_reference_lists_17_regions_and_3_cities(client: httpx.AsyncClient) -> None:
    regions = (await client.get("/api/v1/reference/regions")).json()
    kinds = [r["kind"] for r in regions]
    assert kinds.count("region") == 17
    assert kinds.count("city") == 3
    almaty = next(r for r in regions if r["code"] == "750000000")
    assert almaty["names"] == {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty"}


async def test_tokens_are_verified_and_their_scopes_enforced(
    client: httpx.AsyncClient, service: Service
) -> None:
    from shared.auth import issue_dev_token

    secret = service.settings.dev_token_secret.get_secret_value()
    writer = issue_dev_token(secret, scopes=["registration:arrivals:write"])
    reader = issue_dev_token(secret, scopes=["registration:stay:read"])

    ok = await client.post("/api/v1/arrivals", json=arrival(),
                           headers={"Authorization": f"Bearer {writer}"})
    assert ok.status_code == 201
    wrong_scope = await client.post("/api/v1/arrivals", json=arrival(),
                                    headers={"Authorization": f"Bearer {reader}"})
    assert wrong_scope.status_code == 403
    assert wrong_scope.json()["type"] == "urn:koshqon:problem:forbidden"
    forged = await client.post("/api/v1/arrivals", json=arrival(),
                               headers={"Authorization": "Bearer forged.token.value"})
    assert forged.status_code == 401
    assert await stored_count(service) == 1

    service.settings = service.settings.model_copy(update={"auth_required": True})
    anonymous = await client.post("/api/v1/arrivals", json=arrival())
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
