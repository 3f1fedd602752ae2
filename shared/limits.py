"""Abuse limits: request rate on public endpoints (429 with `Retry-After`) and request size
(413). Rates are counted per process and client address; with n replicas behind a balancer a
client gets up to n times the rate, which the limits' values account for."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import Problem, problem_response
from shared.i18n import register_messages

register_messages(
    {
        "rate_limited.title": {
            "kk": "Сұраныстар тым көп",
            "ru": "Слишком много запросов",
            "en": "Too many requests",
        },
        "rate_limited.detail": {
            "kk": "{retry_after} секундтан кейін қайталаңыз.",
            "ru": "Повторите через {retry_after} с.",
            "en": "Retry in {retry_after} s.",
        },
        "too_large.title": {
            "kk": "Сұраныс тым үлкен",
            "ru": "Слишком большой запрос",
            "en": "Request too large",
        },
        "too_large.detail": {
            "kk": "Сұраныс денесі {limit} байттан аспауы керек.",
            "ru": "Тело запроса не должно превышать {limit} байт.",
            "en": "The request body must not exceed {limit} bytes.",
        },
    }
)


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Token buckets per (limit name, client): `per_minute` requests, refilled continuously."""

    buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)

    def take(self, name: str, client: str, per_minute: int, now: float | None = None) -> float:
        """0 when the request may pass, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        rate = per_minute / 60.0
        bucket = self.buckets.get((name, client))
        if bucket is None:
            bucket = self.buckets[(name, client)] = _Bucket(float(per_minute), now)
            if len(self.buckets) > 100_000:  # forget idle clients rather than grow without end
                self.buckets.clear()
                self.buckets[(name, client)] = bucket
        bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate


def rate_limit(name: str) -> Any:
    """A dependency limiting a group of public endpoints (`verify`, `public`) per client."""

    def check(request: Request) -> None:
        service = getattr(request.app.state, "service", None)
        if service is None:  # a router mounted outside a service (tests of a bare router)
            return
        per_minute = int(getattr(service.settings, f"rate_limit_{name}_per_minute"))
        limiter: RateLimiter = service.state.setdefault("rate_limiter", RateLimiter())
        client = request.client.host if request.client else "unknown"
        wait = limiter.take(name, client, per_minute)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise Problem(429, "rate_limited", params={"retry_after": retry_after},
                          headers={"Retry-After": str(retry_after)})

    check.__name__ = f"rate_limit_{name}"
    return Depends(check)


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` before the application reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = problem_response(
            request, Problem(413, "too_large", params={"limit": self.max_bytes})
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass
