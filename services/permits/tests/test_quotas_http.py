"""The quota ledger through HTTP, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx

ALMATY = "750000000"
ALMATY_REGION = "190000000"


async def put_quota(client: httpx.AsyncClient, year: int, region: str, category: str,
                    limit: int, **headers: str) -> httpx.Response:
    return await client.put(f"/api/v1/quotas/{year}/{region}/{category}",
                            json={"limit": limit, "source": "Order No 1"}, headers=headers)


async def test_the_ministry_sets_quotas_and_anyone_reads_the_ledger(
    client: httpx.AsyncClient, outbox: Any
) -> None:
    first = await put_quota(client, 2026, ALMATY, "3", 120)
    assert first.status_code == 200, first.text
    assert first.json() | {"set_at": None} == {
        "year": 2026, "region": ALMATY, "category": "3", "limit": 120, "reserved": 0,
        "used": 0, "remaining": 120, "source": "Order No 1", "set_at": None,
    }
    await put_quota(client, 2026, ALMATY, "1", 10)
    await put_quota(client, 2026, ALMATY_REGION, "3", 40)
    await put_quota(client, 2026, ALMATY, "labour-immigrant", 5000)
    await put_quota(client, 2025, ALMATY, "3", 99)
    changed = await put_quota(client, 2026, ALMATY, "3", 150)
    assert changed.json()["limit"] == 150

    everything = (await client.get("/api/v1/quotas/2026")).json()
    assert [(q["region"], q["category"], q["limit"]) for q in everything["quotas"]] == [
        (ALMATY_REGION, "3", 40),
        (ALMATY, "1", 10),
        (ALMATY, "3", 150),
        (ALMATY, "labour-immigrant", 5000),
    ]
    assert everything["next_cursor"] is None
    by_region = (await client.get("/api/v1/quotas/2026", params={"region": ALMATY})).json()
    assert len(by_region["quotas"]) == 3
    by_category = (await client.get("/api/v1/quotas/2026", params={"category": "3"})).json()
    assert {q["region"] for q in by_category["quotas"]} == {ALMATY, ALMATY_REGION}

    page = (await client.get("/api/v1/quotas/2026", params={"limit": 3})).json()
    assert len(page["quotas"]) == 3 and page["next_cursor"]
    rest = (await client.get(
        "/api/v1/quotas/2026", params={"limit": 3, "cursor": page["next_cursor"]}
    )).json()
    assert [q["category"] for q in rest["quotas"]] == ["labour-immigrant"]
    assert rest["next_cursor"] is None

    events = await outbox.events("quota.set")
    assert len(events) == 6
    assert events[0]["topic"] == "koshqon.permits.quotas"
    assert events[0]["subject"] == f"2026/{ALMATY}/3"
    assert events[-1]["data"] | {"source": None} == {
        "year": 2026, "region": ALMATY, "category": "3", "limit": 150, "reserved": 0,
        "used": 0, "source": None,
    }


async def test_a_quota_needs_a_first_level_region_and_a_known_category(
    client: httpx.AsyncClient, outbox: Any
) -> None:
    district = await put_quota(client, 2026, "751110000", "3", 10)
    assert district.status_code == 422
    assert district.json()["errors"][0]["code"] == "region_first_level"
    unknown = await put_quota(client, 2026, "999999999", "3", 10)
    assert unknown.json()["errors"][0]["code"] == "region_unknown"
    category = await put_quota(client, 2026, ALMATY, "5", 10)
    assert category.status_code == 422
    negative = await put_quota(client, 2026, ALMATY, "3", -1)
    assert negative.status_code == 422
    assert await outbox.events() == []


async def test_only_the_ministry_sets_a_quota(
    client: httpx.AsyncClient, tokens: Any
) -> None:
    employer = tokens.bearer("permits:work-permits:apply")
    denied = await put_quota(client, 2026, ALMATY, "3", 10, **employer)
    assert denied.status_code == 403
    ministry = tokens.bearer("permits:quotas:write", subject="ministry-of-labour")
    allowed = await put_quota(client, 2026, ALMATY, "3", 10, **ministry)
    assert allowed.status_code == 200
    reader = await client.get("/api/v1/quotas/2026", headers=employer)
    assert reader.status_code == 200
    forged = await client.get("/api/v1/quotas/2026", headers={"Authorization": "Bearer x.y.z"})
    assert forged.status_code == 401
