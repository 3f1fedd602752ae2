"""`/health/live`, `/health/ready` (application/health+json) and `/metrics`.

Readiness fails only when the database is unreachable: without it nothing can be accepted. A
broker outage is a warning, because requests are still accepted into the outbox and nothing is
lost; taking the service out of rotation then would turn a delay into an outage.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

if TYPE_CHECKING:
    from shared.service import Service

HEALTH_JSON = "application/health+json"
CHECK_TIMEOUT_SECONDS = 3.0
_RANK = {"pass": 0, "warn": 1, "fail": 2}

router = APIRouter(tags=["operations"])


def _service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


@router.get("/health/live", summary="The process answers")
async def live(request: Request) -> JSONResponse:
    service = _service(request)
    return JSONResponse(
        {"status": "pass", "serviceId": service.definition.name, "version": service.version},
        media_type=HEALTH_JSON,
    )


async def _check(name: str, probe: Any) -> tuple[str, dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return name, {"status": "fail", "output": f"{type(exc).__name__}: {exc}"[:300], "time": now}
    return name, {"status": "pass", "time": now}


@router.get("/health/ready", summary="The service can accept work: database, broker, outbox lag")
async def ready(request: Request) -> JSONResponse:
    service = _service(request)
    checks: dict[str, list[dict[str, Any]]] = {}
    name, database = await _check("database:connection", service.db.ping())
    checks[name] = [database]
    name, broker = await _check(f"{service.bus.kind}:connection", service.bus.check())
    if broker["status"] == "fail":
        broker["status"] = "warn"
    checks[name] = [broker]
    if database["status"] == "pass":
        try:
            pending, oldest_age = await service.outbox_backlog()
            checks["outbox:lag"] = [
                {
                    "status": "warn"
                    if oldest_age is not None
                    and oldest_age > service.settings.outbox_warn_age_seconds
                    else "pass",
                    "observedValue": pending,
                    "observedUnit": "events",
                    "oldestAgeSeconds": oldest_age,
                }
            ]
        except Exception as exc:
            checks["outbox:lag"] = [{"status": "warn", "output": str(exc)[:300]}]
    for consumer in service.consumers:
        checks[f"consumer:{consumer.spec.name}"] = [
            {
                "status": "pass" if consumer.stats.last_error is None else "warn",
                "applied": consumer.stats.applied,
                "deadLettered": consumer.stats.dead_lettered,
                **({"output": consumer.stats.last_error} if consumer.stats.last_error else {}),
            }
        ]
    status = max((c[0]["status"] for c in checks.values()), key=_RANK.__getitem__)
    return JSONResponse(
        {"status": status, "serviceId": service.definition.name, "checks": checks},
        status_code=503 if status == "fail" else 200,
        media_type=HEALTH_JSON,
    )


@router.get("/asyncapi.json", summary="AsyncAPI 3 document of this service's events")
async def asyncapi(request: Request) -> JSONResponse:
    service = _service(request)
    return JSONResponse(service.asyncapi())


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(request: Request) -> Response:
    service = _service(request)
    await service.refresh_metrics()
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)
