"""Health endpoints and metrics of a running service (registration stands in for any)."""

from __future__ import annotations

from pathlib import Path

from registration.app import create_service
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import running


async def test_live_ready_and_metrics(tmp_path: Path) -> None:
    settings = ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", bus="memory", run_relay=False
    )
    async with running(create_service(settings)) as client:
        live = await client.get("/health/live")
        assert live.status_code == 200
        assert live.headers["content-type"] == "application/health+json"
        assert live.json()["status"] == "pass"

        await client.post("/api/v1/arrivals", json=arrival())
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        body = ready.json()
        assert body["status"] == "pass"
        assert body["checks"]["database:connection"][0]["status"] == "pass"
        assert body["checks"]["outbox:lag"][0]["observedValue"] == 1

        metrics = (await client.get("/metrics")).text
        assert "outbox_pending 1.0" in metrics
        assert "outbox_oldest_age_seconds" in metrics
        assert 'http_requests_total{method="POST"' in metrics

        echoed = await client.get("/health/live", headers={"X-Correlation-Id": "abc-123"})
        assert echoed.headers["x-correlation-id"] == "abc-123"


async def test_readiness_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    settings = ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", bus="memory", run_relay=False
    )
    service = create_service(settings)
    async with running(service) as client:
        # The database goes away under a running service.
        broken = create_service(
            ServiceSettings(database_url="sqlite+aiosqlite:////nonexistent/dir/x.db",
                            bus="memory", run_migrations=False, run_relay=False)
        )
        service.db = broken.db
        ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "fail"
        posted = await client.post("/api/v1/arrivals", json=arrival())
        assert posted.status_code == 503
        assert posted.headers["retry-after"] == "5"
        assert posted.headers["content-type"] == "application/problem+json"


async def test_a_lost_race_on_a_unique_key_is_a_409_not_a_500(tmp_path: Path) -> None:
    from fastapi import APIRouter
    from sqlalchemy.exc import IntegrityError

    settings = ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", bus="memory", run_relay=False
    )
    service = create_service(settings)
    router = APIRouter()

    @router.post("/race")
    async def race() -> None:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    service.app.include_router(router)
    async with running(service) as client:
        response = await client.post("/race", headers={"Accept-Language": "ru"})
    assert response.status_code == 409
    assert response.headers["retry-after"] == "1"
    assert response.json()["title"] == "Одновременное изменение"
