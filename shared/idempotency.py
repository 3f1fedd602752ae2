"""`Idempotency-Key`: a retried POST returns the first answer and never creates a second record.

The key is stored in the same transaction as what the request creates, under a unique constraint,
so two concurrent requests with one key cannot both commit: the loser answers with the winner's
stored response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from shared.db import Database
from shared.errors import Problem
from shared.outbox import UnitOfWork

MAX_KEY_LENGTH = 200


async def request_fingerprint(request: Request) -> str:
    return hashlib.sha256(await request.body()).hexdigest()


async def run_idempotent(
    *,
    request: Request,
    db: Database,
    table: Table,
    new_unit_of_work: Callable[[], UnitOfWork],
    action: Callable[[UnitOfWork], Awaitable[tuple[int, Any]]],
) -> JSONResponse:
    """Runs `action` once per `Idempotency-Key` (scoped to the route); without a key, runs it."""
    key = request.headers.get("idempotency-key")
    if key is None:
        async with new_unit_of_work() as uow:
            status, body = await action(uow)
        return JSONResponse(body, status_code=status)
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Problem(422, "validation", params={"count": 1})
    scope = f"{request.method} {request.url.path}"
    fingerprint = await request_fingerprint(request)

    stored = await _stored(db, table, scope, key)
    if stored is not None:
        return _replay(stored, fingerprint)
    try:
        async with new_unit_of_work() as uow:
            status, body = await action(uow)
            await uow.session.execute(
                insert(table).values(
                    scope=scope,
                    key=key,
                    request_hash=fingerprint,
                    status_code=status,
                    response_body=json.dumps(body, ensure_ascii=False),
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:
        # Another request with this key committed first; answer as it did.
        stored = await _stored(db, table, scope, key)
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return JSONResponse(body, status_code=status)


async def _stored(db: Database, table: Table, scope: str, key: str) -> Any:
    async with db.transaction() as session:
        return (
            await session.execute(
                select(table.c.request_hash, table.c.status_code, table.c.response_body).where(
                    table.c.scope == scope, table.c.key == key
                )
            )
        ).first()


def _replay(stored: Any, fingerprint: str) -> JSONResponse:
    if stored.request_hash != fingerprint:
        raise Problem(422, "idempotency.conflict")
    return JSONResponse(
        json.loads(stored.response_body),
        status_code=stored.status_code,
        headers={"Idempotent-Replayed": "true"},
    )
