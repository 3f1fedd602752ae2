"""All SQL of the publications: which indicator-years are published at which version, writing a
year's protected table, and reading the cells a series asks for."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import dialect_insert
from statistics_service.disclosure.compact import TOTAL, CompactTable
from statistics_service.disclosure.periods import PERIODS, level_of
from statistics_service.facts.models import FactChange, Publication, published_cells

COLUMNS = ["indicator", "year", "level", "shape", "label", "region", "citizenship", "category",
           "value", "suppressed"]
DIMENSION_BITS = {"region": 1, "citizenship": 2, "category": 4}
_BATCH = 5_000


def level_number(period: str) -> int:
    return PERIODS.index(period)  # type: ignore[arg-type]


async def all_publications(session: AsyncSession) -> dict[tuple[str, int], tuple[int, int]]:
    """(indicator, year) -> (version, threshold) of every publication."""
    rows = await session.execute(
        select(Publication.indicator, Publication.year, Publication.version, Publication.threshold)
    )
    return {(i, y): (v, t) for i, y, v, t in rows.all()}


def _states_query(first: bool, last: bool) -> Any:
    query: Any = (
        select(FactChange.year, FactChange.version, Publication.version, Publication.threshold)
        .outerjoin(Publication, and_(Publication.indicator == FactChange.indicator,
                                     Publication.year == FactChange.year))
        .where(FactChange.indicator == bindparam("indicator"))
    )
    if first:
        query = query.where(FactChange.year >= bindparam("first_year"))
    if last:
        query = query.where(FactChange.year <= bindparam("last_year"))
    return query


# Built once: a series reads these on every request.
_STATES = {(first, last): _states_query(first, last) for first in (False, True)
           for last in (False, True)}


async def states(
    session: AsyncSession, indicator: str, first_year: int | None, last_year: int | None
) -> dict[int, tuple[int, int | None, int | None]]:
    """Per year of the indicator with facts: (facts' version, published version, threshold)."""
    query = _STATES[(first_year is not None, last_year is not None)]
    parameters = {"indicator": indicator, "first_year": first_year, "last_year": last_year}
    rows = await session.execute(query, {k: v for k, v in parameters.items() if v is not None})
    return {year: (version, published, threshold)
            for year, version, published, threshold in rows.all()}


async def claim(
    session: AsyncSession, indicator: str, year: int, version: int, threshold: int,
    now: datetime,
) -> None:
    """Writes the publication's row first: a second publisher of the same year waits for this
    transaction on that row instead of writing its cells beside these ones."""
    table = Publication.__table__
    statement = dialect_insert(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=["indicator", "year"],
        set_={"version": statement.excluded.version, "threshold": statement.excluded.threshold,
              "cells": 0, "published_at": statement.excluded.published_at},
    )
    await session.execute(statement, [{"indicator": indicator, "year": year, "version": version,
                                       "threshold": threshold, "cells": 0,
                                       "published_at": now}])


def records(indicator: str, year: int, table: CompactTable) -> Iterator[tuple[Any, ...]]:
    """The table's cells as rows of `published_cells`, grouped by level and shape (the order a
    series reads them in), by label within each."""
    levels = [PERIODS.index(level_of(label)) for label in table.labels]
    regions, citizenships, categories = table.dimension_values
    bits = [[0 if value == TOTAL else bit for value in values]
            for bit, values in ((1, regions), (2, citizenships), (4, categories))]
    n_regions, n_citizenships, n_categories = len(regions), len(citizenships), len(categories)
    groups: list[array] = [array("i") for _ in range(32)]  # type: ignore[type-arg]
    for index, code in enumerate(table.codes):
        rest, category = divmod(code, n_categories)
        rest, citizenship = divmod(rest, n_citizenships)
        label, region = divmod(rest, n_regions)
        shape = bits[0][region] | bits[1][citizenship] | bits[2][category]
        groups[levels[label] * 8 + shape].append(index)
    values, suppressed = table.values, table.suppressed
    for group, indices in enumerate(groups):
        level, shape = divmod(group, 8)
        for index in indices:
            rest, category = divmod(table.codes[index], n_categories)
            rest, citizenship = divmod(rest, n_citizenships)
            label, region = divmod(rest, n_regions)
            yield (indicator, year, level, shape, table.labels[label], regions[region],
                   citizenships[citizenship], categories[category], values[index],
                   bool(suppressed[index]))
        groups[group] = array("i")


async def replace_cells(
    session: AsyncSession, indicator: str, year: int, table: CompactTable
) -> None:
    await session.execute(delete(published_cells).where(published_cells.c.indicator == indicator,
                                                        published_cells.c.year == year))
    rows = records(indicator, year, table)
    if session.get_bind().dialect.name == "postgresql":
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            "published_cells", records=rows, columns=COLUMNS)
    else:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(dict(zip(COLUMNS, row, strict=True)))
            if len(batch) >= _BATCH:
                await session.execute(insert(published_cells), batch)
                batch = []
        if batch:
            await session.execute(insert(published_cells), batch)
    await session.execute(
        update(Publication)
        .where(Publication.indicator == indicator, Publication.year == year)
        .values(cells=len(table))
    )


_CELLS: dict[tuple[Any, ...], Any] = {}


def _cells_query(many_years: bool, first: bool, last: bool, equal: tuple[str, ...]) -> Any:
    key = (many_years, first, last, equal)
    query: Any = _CELLS.get(key)
    if query is None:
        c = published_cells.c
        query = select(c.label, c.region, c.citizenship, c.category, c.value,
                       c.suppressed).where(
            c.indicator == bindparam("indicator"),
            c.year.in_(bindparam("years", expanding=True)) if many_years
            else c.year == bindparam("year"),
            c.level == bindparam("level"),
            c.shape == bindparam("shape"),
        )
        if first:
            query = query.where(c.label >= bindparam("first_label"))
        if last:
            query = query.where(c.label <= bindparam("last_label"))
        for dimension in equal:
            query = query.where(c[dimension] == bindparam(f"equal_{dimension}"))
        _CELLS[key] = query
    return query


async def read_cells(
    session: AsyncSession,
    indicator: str,
    years: Sequence[int],
    *,
    level: int,
    shape: int,
    first_label: str | None,
    last_label: str | None,
    equal: dict[str, str],
) -> list[tuple[str, str, str, str, int, bool]]:
    """(label, region, citizenship, category, value, suppressed) of the cells of one level and
    shape, in the label range, with the dimensions given equal to their values."""
    dimensions = tuple(sorted(equal))
    query = _cells_query(len(years) > 1, first_label is not None, last_label is not None,
                         dimensions)
    parameters: dict[str, Any] = {"indicator": indicator, "level": level, "shape": shape}
    if len(years) > 1:
        parameters["years"] = list(years)
    else:
        parameters["year"] = years[0]
    if first_label is not None:
        parameters["first_label"] = first_label
    if last_label is not None:
        parameters["last_label"] = last_label
    for dimension in dimensions:
        parameters[f"equal_{dimension}"] = equal[dimension]
    result = await session.execute(query, parameters)
    return result.all()  # type: ignore[return-value]
