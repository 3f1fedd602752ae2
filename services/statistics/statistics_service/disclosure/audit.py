"""The global check behind complementary suppression: can all the published cells together pin
down a small count, even though no single equation does?

Each cell of the table is the sum of some base cells (day × region × citizenship × category). The
hidden base cells are the unknowns; every published cell is a linear equation over them. A hidden
cell is determined exactly when its row of base cells lies in the span of the published ones. The
arithmetic is done modulo a large prime: ranks of 0/1 matrices over it agree with the rationals'
except with negligible probability, and it keeps every number small.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

CellKey = TypeVar("CellKey", bound=Hashable)

PRIME = (1 << 61) - 1

SparseRow = dict[int, int]


class Span:
    """The span of sparse rows, kept in echelon form by leading column."""

    def __init__(self) -> None:
        self._rows: dict[int, SparseRow] = {}

    def reduce(self, row: SparseRow) -> SparseRow:
        row = {k: v % PRIME for k, v in row.items() if v % PRIME}
        while row:
            lead = min(row)
            basis = self._rows.get(lead)
            if basis is None:
                return row
            factor = row[lead]
            for column, value in basis.items():
                updated = (row.get(column, 0) - factor * value) % PRIME
                if updated:
                    row[column] = updated
                else:
                    row.pop(column, None)
        return row

    def add(self, row: SparseRow) -> None:
        reduced = self.reduce(row)
        if not reduced:
            return
        lead = min(reduced)
        inverse = pow(reduced[lead], PRIME - 2, PRIME)
        self._rows[lead] = {k: v * inverse % PRIME for k, v in reduced.items()}

    def contains(self, row: SparseRow) -> bool:
        return not self.reduce(row)


def determined_cells(
    coverage: Mapping[CellKey, Iterable[int]],
    hidden: set[CellKey],
    candidates: Iterable[CellKey],
) -> list[CellKey]:
    """Which of `candidates` (hidden cells) the published cells determine exactly.

    `coverage` maps every cell to the indices of the hidden base cells it sums.
    """
    span = Span()
    for cell, columns in coverage.items():
        if cell not in hidden:
            row = dict.fromkeys(columns, 1)
            if row:
                span.add(row)
    return [cell for cell in candidates if span.contains(dict.fromkeys(coverage[cell], 1))]
