"""An attacker for tests: what can be derived about suppressed cells from everything published.

Every cell of the table is a sum of base cells (day × region × citizenship × category). The reader
knows each published cell's value, that a cell not shown is 0 and that a shown (even suppressed)
cell is at least 1. A suppressed cell is recovered exactly when every assignment of the unknown base
cells that fits all of this gives it the same value. We look for a witness that it does not: a
direction in the null space of the published sums that changes the cell, taken as a whole step that
keeps every shown base cell at 1 or more.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from itertools import combinations, product
from math import lcm

from statistics_service.disclosure.cube import TOTAL, Cell
from statistics_service.disclosure.periods import level_of


def _covers(cell: Cell, base: Cell) -> bool:
    label = cell[0]
    day = base[0]
    level = level_of(label)
    if level == "day" and label != day:
        return False
    if level == "month" and day[:7] != label:
        return False
    if level == "quarter" and f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}" != label:
        return False
    if level == "year" and day[:4] != label:
        return False
    return all(cell[i] in (TOTAL, base[i]) for i in (1, 2, 3))


def _null_space(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    matrix = [row[:] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    free = [c for c in range(width) if c not in pivots]
    basis: list[list[Fraction]] = []
    for free_column in free:
        vector = [Fraction(0)] * width
        vector[free_column] = Fraction(1)
        for row_index, pivot_column in enumerate(pivots):
            vector[pivot_column] = -matrix[row_index][free_column]
        basis.append(vector)
    return basis


def _integral(vector: list[Fraction]) -> list[int]:
    scale = lcm(*(v.denominator for v in vector)) if vector else 1
    return [int(v * scale) for v in vector]


def recoverable_cells(
    values: dict[Cell, int], suppressed: Iterable[Cell], smallest_published: int
) -> list[Cell]:
    """The small (primary) cells whose value a reader can pin down exactly.

    A complementary cell (a count that could have been published) may sometimes be derived; that
    discloses nothing about anyone, so only the small counts are asked about.
    """
    hidden = set(suppressed)
    small = {c for c in hidden if values[c] < smallest_published}
    base = sorted(c for c in values if level_of(c[0]) == "day" and TOTAL not in c)
    unknown = [b for b in base if b in hidden]
    if not unknown:
        return sorted(small)
    column = {b: i for i, b in enumerate(unknown)}
    rows = []
    for cell, _value in values.items():
        if cell in hidden:
            continue
        row = [Fraction(0)] * len(unknown)
        for b in unknown:
            if _covers(cell, b):
                row[column[b]] = Fraction(1)
        if any(row):
            rows.append(row)
    basis = [_integral(v) for v in _null_space(rows, len(unknown))]
    current = [values[b] for b in unknown]
    moves = [move for move in _combinations(basis) if _keeps_shown_cells(current, move)]
    found: list[Cell] = []
    for cell in sorted(small):
        weights = [1 if _covers(cell, b) else 0 for b in unknown]
        if not any(sum(w * m for w, m in zip(weights, move, strict=True)) for move in moves):
            found.append(cell)
    return found


def _combinations(basis: list[list[int]]) -> Iterable[list[int]]:
    """Small integer combinations of up to three basis vectors of the null space."""
    width = len(basis[0]) if basis else 0
    for size in (1, 2, 3):
        for chosen in combinations(range(len(basis)), size):
            for coefficients in product((-2, -1, 1, 2), repeat=size):
                move = [0] * width
                for index, coefficient in zip(chosen, coefficients, strict=True):
                    move = [m + coefficient * v for m, v in zip(move, basis[index], strict=True)]
                if any(move):
                    yield move


def _keeps_shown_cells(current: list[int], move: list[int]) -> bool:
    return any(
        all(x + t * m >= 1 for x, m in zip(current, move, strict=True)) for t in (1, -1, 2, -2)
    )
