"""`/api/v1/subscriptions`: ministries register HTTPS endpoints for the events of a service."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select, update

from shared.auth.deps import require_scope
from shared.errors import FieldError, Problem
from shared.http import ServiceDep
from shared.i18n import register_messages
from shared.outbox import UnitOfWork
from shared.webhooks.delivery import new_subscription_id, replay

register_messages(
    {
        "validation.webhook_url": {
            "kk": "Мекенжай HTTPS болуы керек",
            "ru": "Адрес должен использовать HTTPS",
            "en": "The address must use HTTPS",
        },
        "subscription_not_found.title": {
            "kk": "Жазылым табылмады",
            "ru": "Подписка не найдена",
            "en": "Subscription not found",
        },
        "subscription_not_found.detail": {
            "kk": "Мұндай жазылым жоқ.",
            "ru": "Такой подписки нет.",
            "en": "There is no such subscription.",
        },
    }
)


class SubscriptionRequest(BaseModel):
    event_types: list[str] = Field(
        min_length=1,
        description="Full types (kz.koshqon.registration.arrival.notified.v1), short names "
        "(arrival.notified) or * for all",
    )
    url: str = Field(max_length=2000, description="HTTPS endpoint that receives POSTs")
    secret: str = Field(min_length=16, max_length=200,
                        description="Shared secret of the HMAC-SHA256 signature")

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise PydanticCustomError("webhook_url", "not an HTTPS URL")
        return value


class ReplayRequest(BaseModel):
    from_: datetime = Field(alias="from", description="Deliver again every event since then")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A subscription as callers see it: never its secret."""
    return {
        "id": row["id"],
        "owner": row["owner"],
        "event_types": row["event_types"],
        "url": row["url"],
        "active": row["active"],
        "created_at": row["created_at"].isoformat(),
    }


def subscriptions_router(service_name: str) -> APIRouter:
    router = APIRouter(tags=["subscriptions"])
    manage = require_scope(f"{service_name}:subscriptions:manage")

    def tables(service: Any) -> Any:
        webhooks = service.definition.plumbing.webhooks
        assert webhooks is not None
        return webhooks

    @router.post("/subscriptions", status_code=201, summary="Subscribe an HTTPS endpoint")
    async def create(
        body: SubscriptionRequest, request: Request, service: ServiceDep,
        principal: Any = manage,
    ) -> JSONResponse:
        """Events of the given types are pushed to the URL, signed with the secret."""
        host = urlsplit(body.url).hostname or ""
        insecure = urlsplit(body.url).scheme == "http"
        if insecure and not (service.settings.webhook_allow_http_loopback and _loopback(host)):
            raise Problem(422, "validation", params={"count": 1},
                          errors=[FieldError("url", "webhook_url")])
        table = tables(service).subscriptions

        async def action(uow: UnitOfWork) -> tuple[int, Any]:
            values = {
                "id": new_subscription_id(),
                "owner": principal.subject if principal else "anonymous",
                "event_types": body.event_types,
                "url": body.url,
                "secret": body.secret,
                "active": True,
                "created_at": datetime.now(UTC),
            }
            await uow.session.execute(table.insert().values(**values))
            return 201, _public(values)

        answer = await service.idempotent(request, action)
        if service.webhooks is not None:  # this replica fans out to it from now on
            await service.webhooks.refresh_subscriptions()
        return answer

    @router.get("/subscriptions", summary="The subscriptions", dependencies=[manage])
    async def list_subscriptions(service: ServiceDep) -> list[dict[str, Any]]:
        table = tables(service).subscriptions
        async with service.db.transaction() as session:
            rows = (await session.execute(select(table).order_by(table.c.created_at))).all()
        return [_public(r._mapping) for r in rows]

    async def _get(service: Any, subscription_id: str) -> Any:
        table = tables(service).subscriptions
        async with service.db.transaction() as session:
            row = (
                await session.execute(select(table).where(table.c.id == subscription_id))
            ).first()
        if row is None:
            raise Problem(404, "subscription_not_found")
        return row

    @router.get("/subscriptions/{subscription_id}", summary="One subscription",
                dependencies=[manage])
    async def get_subscription(subscription_id: str, service: ServiceDep) -> dict[str, Any]:
        return _public((await _get(service, subscription_id))._mapping)

    @router.delete("/subscriptions/{subscription_id}", status_code=204,
                   summary="Stop deliveries", dependencies=[manage])
    async def delete_subscription(subscription_id: str, service: ServiceDep) -> None:
        await _get(service, subscription_id)
        table = tables(service).subscriptions
        async with service.db.transaction() as session:
            await session.execute(
                update(table).where(table.c.id == subscription_id).values(active=False)
            )
        if service.webhooks is not None:
            await service.webhooks.refresh_subscriptions()

    @router.get("/subscriptions/{subscription_id}/deliveries", dependencies=[manage],
                summary="Deliveries of a subscription (status: pending, delivered, dead)")
    async def deliveries(
        subscription_id: str, service: ServiceDep,
        status: Annotated[str | None, Query(pattern="^(pending|delivered|dead)$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[dict[str, Any]]:
        await _get(service, subscription_id)
        d = tables(service).deliveries
        query = select(d).where(d.c.subscription_id == subscription_id)
        if status:
            query = query.where(d.c.status == status)
        async with service.db.transaction() as session:
            rows = (await session.execute(query.order_by(d.c.id.desc()).limit(limit))).all()
        return [
            {
                "id": r.id, "event_id": r.event_id, "event_type": r.event_type,
                "status": r.status, "attempts": r.attempts, "last_error": r.last_error,
                "next_attempt_at": r.next_attempt_at.isoformat(),
                "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
            }
            for r in rows
        ]

    @router.post("/subscriptions/{subscription_id}/replay", dependencies=[manage],
                 summary="Deliver again every event since a time")
    async def replay_since(
        subscription_id: str, body: ReplayRequest, service: ServiceDep
    ) -> dict[str, int]:
        row = await _get(service, subscription_id)
        since = body.from_ if body.from_.tzinfo else body.from_.replace(tzinfo=UTC)
        async with service.db.transaction() as session:
            queued = await replay(
                session, tables(service), service.definition.plumbing.outbox,
                subscription_id, row.event_types, since,
            )
        return {"queued": queued}

    return router
