"""The table every public series is cut from: counts by period at every level (day, month,
quarter, year) and by region, citizenship and category, each dimension also as a total ("*").

Whatever `group_by`, `period` and filters a query asks for, its points are cells of this one table,
and its suppression pattern is computed on the whole table of the years the query touches. So two
queries never disagree about a cell (one showing what the other hides), and every total a reader
could fetch with another query is one of the table's equations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import product
from typing import Any

from statistics_service.disclosure.compact import AUDIT_LIMIT as AUDIT_LIMIT
from statistics_service.disclosure.compact import TOTAL, CompactTable, protect_compact
from statistics_service.disclosure.periods import PERIODS, level_of, parent_of, period_label
from statistics_service.disclosure.suppression import Equation

DIMENSIONS = ("region", "citizenship", "category")

# (period label, region, citizenship, category); a dimension is TOTAL where it is summed over.
Cell = tuple[str, str, str, str]


@dataclass(frozen=True)
class ProtectedTable:
    values: dict[Cell, int]
    suppressed: frozenset[Cell]
    audited: bool = True


def _cells_of(day: date, region: str, citizenship: str, category: str) -> Iterable[Cell]:
    labels = [period_label(day, period) for period in PERIODS]
    return product(labels, (region, TOTAL), (citizenship, TOTAL), (category, TOTAL))


def build_table(rows: Iterable[Sequence[Any]]) -> dict[Cell, int]:
    """Sums `(day, region, citizenship, category, value)` rows into every cell they count in."""
    values: dict[Cell, int] = defaultdict(int)
    for day, region, citizenship, category, value in rows:
        for cell in _cells_of(day, region, citizenship, category):
            values[cell] += int(value)
    return {cell: value for cell, value in values.items() if value != 0}


def floors_of(rows: Iterable[Sequence[Any]]) -> dict[Cell, int]:
    """How many non-empty base cells each cell sums: the least a reader knows it holds."""
    floors: dict[Cell, int] = defaultdict(int)
    for day, region, citizenship, category, value in rows:
        if value:
            for cell in _cells_of(day, region, citizenship, category):
                floors[cell] += 1
    return dict(floors)


def equations_of(values: dict[Cell, int]) -> list[Equation[Cell]]:
    """Each total with the cells it sums: over one dimension's values, or a period's sub-periods."""
    # Keyed by (what is summed over, the total): a dimension's index, or 0 for sub-periods.
    members: dict[tuple[int, Cell], list[Cell]] = defaultdict(list)
    for cell in values:
        label = cell[0]
        for index in (1, 2, 3):
            if cell[index] != TOTAL:
                parts = list(cell)
                parts[index] = TOTAL
                members[(index, (label, parts[1], parts[2], parts[3]))].append(cell)
        parent = parent_of(label)
        if parent is not None:
            members[(0, (parent, cell[1], cell[2], cell[3]))].append(cell)
    equations: list[Equation[Cell]] = []
    for key in sorted(members):
        total: Cell = key[1]
        if total in values:
            equations.append(Equation(total, tuple(sorted(members[key]))))
    return equations


def protect(rows: Iterable[Sequence[Any]], smallest_published: int) -> ProtectedTable:
    """The table of `rows` (one per base cell) and the cells no public output may show.

    First equation by equation (`suppress`); then the whole table is audited, and while the
    published cells together still determine a small count, the smallest published cell over one
    of its base cells is hidden too and the equations are protected again. Computed on integer
    codes (`compact.protect_compact`); the result is the same as `build_table`, `equations_of`,
    `suppress` and the audit on these tuples.
    """
    return expand(protect_compact(rows, smallest_published))


def expand(table: CompactTable) -> ProtectedTable:
    """A compact table as cells keyed by their tuples."""
    values: dict[Cell, int] = {}
    suppressed: list[Cell] = []
    for label, region, citizenship, category, value, hidden in table.rows():
        cell = (label, region, citizenship, category)
        values[cell] = value
        if hidden:
            suppressed.append(cell)
    return ProtectedTable(values=values, suppressed=frozenset(suppressed), audited=table.audited)


def level(cell: Cell) -> str:
    return level_of(cell[0])
