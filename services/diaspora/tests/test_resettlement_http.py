"""Regional resettlement through HTTP: quotas, applications, approval with a support schedule, and
a quota that is never over-allocated under concurrency on the real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from diaspora.app import create_service
from diaspora.rulebook import rulebook
from shared import clock
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.platform import running

Events = Any
KOSTANAY, PAVLODAR, ALMATY = "390000000", "550000000", "750000000"
YEAR = clock.today().year


async def set_quota(
    client: httpx.AsyncClient, places: int, region: str = KOSTANAY
) -> httpx.Response:
    return await client.put(f"/api/v1/resettlement/quotas/{YEAR}/{region}", json={"places": places})


async def resettlement_of(
    client: httpx.AsyncClient, flow: Any, region: str = KOSTANAY, family_size: int = 4
) -> dict[str, Any]:
    granted = await flow.granted(family_size=family_size)
    response = await client.post(
        "/api/v1/resettlement/applications",
        json={"application_id": granted["application_id"], "region": region},
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def decision_url(resettlement: dict[str, Any]) -> str:
    return f"/api/v1/resettlement/applications/{resettlement['resettlement_id']}/decision"


async def test_the_ministry_sets_quotas_only_for_programme_regions(
    client: httpx.AsyncClient, events: Events
) -> None:
    created = await set_quota(client, 50)
    assert created.status_code == 200, created.text
    assert created.json() == {
        "year": YEAR,
        "region": KOSTANAY,
        "places": 50,
        "allocated": 0,
        "remaining": 50,
    }
    changed = await set_quota(client, 30)
    assert changed.json()["places"] == 30
    almaty = await set_quota(client, 10, region=ALMATY)
    assert almaty.status_code == 422
    assert almaty.json()["errors"][0]["code"] == "region_not_in_programme"
    listed = (await client.get(f"/api/v1/resettlement/quotas/{YEAR}")).json()
    assert [(q["region"], q["places"]) for q in listed] == [(KOSTANAY, 30)]
    assert [e["data"]["places"] for e in await events("resettlement.quota-set")] == [50, 30]


async def test_approval_takes_a_place_and_publishes_the_support_schedule(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    await set_quota(client, 2)
    resettlement = await resettlement_of(client, flow, family_size=4)
    assert resettlement["status"] == "submitted"

    outside = await client.post(
        decision_url(resettlement), json={"decision": "approve", "rent_mci_per_month": 31}
    )
    assert outside.status_code == 422
    approved = await client.post(
        decision_url(resettlement), json={"decision": "approve", "rent_mci_per_month": 20}
    )
    assert approved.status_code == 200, approved.text
    answer = approved.json()
    mci = rulebook().value("mci.tenge", clock.today())
    assert answer["status"] == "approved"
    assert answer["mci_tenge"] == mci
    assert answer["total_tenge"] == (70 * 4 + 12 * 20) * mci  # type: ignore[operator]
    assert len(answer["payments"]) == 13
    assert "mci.tenge@v3" in answer["rules_applied"]

    quota = (await client.get(f"/api/v1/resettlement/quotas/{YEAR}")).json()[0]
    assert (quota["allocated"], quota["remaining"]) == (1, 1)
    [approval] = await events("resettlement.approved")
    assert approval["data"]["quota_year"] == YEAR
    [schedule] = await events("resettlement.support-scheduled")
    assert schedule["topic"] == "koshqon.diaspora.resettlement"
    assert schedule["data"]["total_tenge"] == answer["total_tenge"]
    assert len(schedule["data"]["payments"]) == 13
    fetched = (
        await client.get(f"/api/v1/resettlement/applications/{resettlement['resettlement_id']}")
    ).json()
    assert fetched["payments"] == answer["payments"]
    again = await client.post(
        decision_url(resettlement), json={"decision": "approve", "rent_mci_per_month": 20}
    )
    assert again.status_code == 409
    flow.assert_no_personal_data(await events())

    below = await set_quota(client, 0)
    assert below.status_code == 409


async def test_an_exhausted_quota_refuses_the_next_approval(
    client: httpx.AsyncClient, flow: Any
) -> None:
    await set_quota(client, 1, region=PAVLODAR)
    first = await resettlement_of(client, flow, region=PAVLODAR)
    second = await resettlement_of(client, flow, region=PAVLODAR)
    body = {"decision": "approve", "rent_mci_per_month": 15}
    assert (await client.post(decision_url(first), json=body)).status_code == 200
    exhausted = await client.post(decision_url(second), json=body)
    assert exhausted.status_code == 409
    assert exhausted.json()["type"] == "urn:koshqon:problem:resettlement.quota_exhausted"
    # The refused approval changed nothing: the application is still waiting.
    still = (
        await client.get(f"/api/v1/resettlement/applications/{second['resettlement_id']}")
    ).json()
    assert still["status"] == "submitted"
    refused = await client.post(
        decision_url(second), json={"decision": "refuse", "reason": "no places"}
    )
    assert refused.json()["status"] == "refused"


async def test_only_a_family_with_status_applies_once(client: httpx.AsyncClient, flow: Any) -> None:
    pending = await flow.apply()
    early = await client.post(
        "/api/v1/resettlement/applications",
        json={"application_id": pending["application_id"], "region": KOSTANAY},
    )
    assert early.status_code == 409
    first = await resettlement_of(client, flow)
    twice = await client.post(
        "/api/v1/resettlement/applications",
        json={"application_id": first["application_id"], "region": KOSTANAY},
    )
    assert twice.status_code == 409
    listed = (
        await client.get("/api/v1/resettlement/applications", params={"region": KOSTANAY})
    ).json()
    assert [r["resettlement_id"] for r in listed["items"]] == [first["resettlement_id"]]


@pytest.fixture
async def pg_client(pg_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Service]]:
    service = create_service(ServiceSettings(database_url=pg_url, bus="memory", run_relay=False))
    service.definition.jobs = ()
    async with running(service) as client:
        yield client, service


async def test_a_quota_is_never_over_allocated_under_concurrency(
    pg_client: tuple[httpx.AsyncClient, Service], flow_for: Any, outbox_of: Any
) -> None:
    """100 approvals at once against a quota of 20 on PostgreSQL: exactly 20 succeed."""
    client, service = pg_client
    flow = flow_for(client)
    assert (await set_quota(client, 20)).status_code == 200
    families = [await resettlement_of(client, flow) for _ in range(100)]
    body = {"decision": "approve", "rent_mci_per_month": 25}

    answers = await asyncio.gather(*(client.post(decision_url(f), json=body) for f in families))

    outcomes = Counter(
        r.json().get("type", "approved") if r.status_code != 200 else "approved" for r in answers
    )
    assert outcomes == {"approved": 20, "urn:koshqon:problem:resettlement.quota_exhausted": 80}
    quota = (await client.get(f"/api/v1/resettlement/quotas/{YEAR}")).json()[0]
    assert (quota["places"], quota["allocated"], quota["remaining"]) == (20, 20, 0)
    approved = (
        await client.get(
            "/api/v1/resettlement/applications", params={"status": "approved", "limit": 200}
        )
    ).json()
    assert len(approved["items"]) == 20
    assert len(await outbox_of(service, "resettlement.support-scheduled")) == 20
