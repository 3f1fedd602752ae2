"""Dependencies every service's endpoints use (FastAPI `Annotated` aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.service import Service


async def current_service(request: Request) -> Service:
    # async: FastAPI runs a plain function dependency in a thread, on every request.
    return request.app.state.service  # type: ignore[no-any-return]


ServiceDep = Annotated[Service, Depends(current_service)]
