"""Keyset pagination (`limit`, `cursor`) over tables whose ids follow creation order."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.errors import invalid

T = TypeVar("T")

MAX_LIMIT = 200
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
CursorQuery = Annotated[str | None, Query(description="`next_cursor` of the previous page")]


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        last_id = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid("cursor", "cursor_invalid") from None
    if not _ID.fullmatch(last_id):
        raise invalid("cursor", "cursor_invalid")
    return last_id


async def page_of(
    session: AsyncSession,
    statement: Select[Any],
    id_column: InstrumentedAttribute[str],
    *,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Any], str | None]:
    """One page of `statement`'s rows in id order, and the cursor of the next page."""
    if cursor is not None:
        statement = statement.where(id_column > decode_cursor(cursor))
    rows = list((await session.execute(statement.order_by(id_column).limit(limit + 1))).scalars())
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(str(getattr(rows[-1], id_column.key)))
    return rows, None
