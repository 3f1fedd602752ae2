"""Abuse limits: public verification and open statistics answer 429 with `Retry-After` past the
per-minute limit of a client; protected and other clients' requests are not affected."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from shared.service import Service
from tests.support.platform import running

LIMITED = [
    ("registration", "verify", "/api/v1/verify/visas/EV0000000001"),
    ("registration", "verify", "/api/v1/verify/residence-permits/TR0000000001"),
    ("permits", "verify", "/api/v1/verify/permits/WP20260000000001?birth_date=1990-01-01"),
    ("statistics", "public", "/api/v1/indicators"),
    ("statistics", "public", "/api/v1/indicators/arrivals/series?period=year"),
]


@pytest.mark.parametrize(("name", "limit", "url"), LIMITED)
async def test_past_the_limit_a_client_gets_429_with_retry_after(
    name: str, limit: str, url: str, build: Callable[..., Service]
) -> None:
    per_minute = 3
    service = build(name, **{f"rate_limit_{limit}_per_minute": per_minute})
    async with running(service) as client:
        within = [await client.get(url) for _ in range(per_minute)]
        assert all(r.status_code != 429 for r in within), [r.status_code for r in within]
        refused = await client.get(url)
        assert refused.status_code == 429, refused.text[:300]
        assert refused.headers["content-type"].startswith("application/problem+json")
        retry_after = int(refused.headers["retry-after"])
        # Refilled at per_minute/60 per second: one request's worth takes 60/per_minute s.
        assert 1 <= retry_after <= 60 // per_minute
        assert refused.json()["type"].endswith(":rate_limited")

        # Another client (address) has its own allowance.
        other = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=service.app, client=("203.0.113.9", 4000)),
            base_url="http://test",
        )
        async with other:
            assert (await other.get(url)).status_code != 429


async def test_the_limit_is_per_group_not_global(build: Callable[..., Service]) -> None:
    service = build("registration", rate_limit_verify_per_minute=1)
    async with running(service) as client:
        assert (await client.get("/api/v1/verify/visas/EV0000000001")).status_code == 404
        assert (await client.get("/api/v1/verify/visas/EV0000000002")).status_code == 429
        # Protected and reference endpoints are not in the verification group.
        assert (await client.get("/api/v1/reference/regions")).status_code == 200
