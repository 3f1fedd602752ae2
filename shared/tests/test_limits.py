from __future__ import annotations

from pathlib import Path

from registration.app import create_service
from shared.limits import RateLimiter
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import running


def test_a_bucket_lets_the_rate_through_and_refuses_the_excess() -> None:
    limiter = RateLimiter()
    waits = [limiter.take("verify", "10.0.0.1", per_minute=3, now=100.0) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == 20.0  # one token comes back every 60/3 seconds
    assert limiter.take("verify", "10.0.0.2", per_minute=3, now=100.0) == 0.0  # other client
    assert limiter.take("verify", "10.0.0.1", per_minute=3, now=120.0) == 0.0  # refilled


async def test_an_oversized_body_is_refused_with_413_and_changes_nothing(tmp_path: Path) -> None:
    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
                               bus="memory", run_relay=False, max_body_bytes=2_000)
    service = create_service(settings)
    async with running(service) as client:
        body = arrival()
        body["host"]["name"] = "x" * 5_000
        response = await client.post("/api/v1/arrivals", json=body,
                                      headers={"Accept-Language": "en"})
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "The request body must not exceed 2000 bytes."
        pending, _ = await service.outbox_backlog()
        assert pending == 0
        assert (await client.post("/api/v1/arrivals", json=arrival())).status_code == 201
