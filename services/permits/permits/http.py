"""How the permits endpoints answer a command: once per `Idempotency-Key`, in one unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.outbox import UnitOfWork
from shared.service import Service


async def run_command(
    request: Request,
    service: Service,
    status: int,
    command: Callable[[UnitOfWork], Awaitable[BaseModel]],
) -> JSONResponse:
    """Runs `command` in a unit of work (its writes and events commit together) and answers
    `status` with its result; a retry with the same `Idempotency-Key` gets the first answer."""

    async def action(uow: UnitOfWork) -> tuple[int, Any]:
        return status, (await command(uow)).model_dump(mode="json")

    return await service.idempotent(request, action)
