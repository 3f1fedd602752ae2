"""Primary and complementary cell suppression over a table whose totals are published.

The table is a set of cells with counts, and equations `total = sum(members)` that hold between
them (a region's count is the sum of its citizenships' counts; a month's is the sum of its days').
Every cell that is published at all may be published by some query, so each equation is known to
a reader. Cells with 1 to (smallest published count - 1) are suppressed (primary); then, equation by
equation, more cells are suppressed until no suppressed value can be derived by subtraction
(complementary). See docs/statistics.md, "Disclosure control", for the method and its limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

CellKey = TypeVar("CellKey", bound=Hashable)


@dataclass(frozen=True)
class Equation(Generic[CellKey]):
    """`total` is the sum of `members`; a reader who knows all but one of them knows that one."""

    total: CellKey
    members: tuple[CellKey, ...]


def is_primary(value: int, smallest_published: int) -> bool:
    return 0 < value < smallest_published


def _protected(
    equation: Equation[CellKey],
    values: Mapping[CellKey, int],
    floors: Mapping[CellKey, int],
    suppressed: set[CellKey],
    smallest_published: int,
) -> bool:
    """Whether a reader who knew this equation's total could not pin down a hidden member of it.

    The total is taken as known even when it is hidden itself, since other equations may give it
    away; this is what keeps a chain of totals (day, month, quarter, year) from leaking. A reader
    knows a floor for each cell: empty cells are not shown, so a cell made of `n` non-empty base
    cells (day, region, citizenship, category) holds at least `n`. Hidden members summing to `S`
    with floors summing to `F` leave each of them `S - F` of room above its floor; we ask for that
    room to be at least `smallest_published - 1`, so that a reader cannot even tell whether a hidden
    cell is a small one.
    A total with a single member is that member: both are hidden, or neither. An equation whose
    cells are all hidden passes: its total is protected where it is itself a member.
    """
    hidden_members = [m for m in equation.members if m in suppressed]
    total_hidden = equation.total in suppressed
    if len(equation.members) == 1:
        return total_hidden == bool(hidden_members)
    if not hidden_members:
        return not total_hidden
    if len(hidden_members) == len(equation.members) and total_hidden:
        # Nothing is left to hide here; the total is protected by the equations it is a member of.
        return True
    if len(hidden_members) == 1:
        return False
    room = sum(values[m] - floors.get(m, 1) for m in hidden_members)
    return room >= smallest_published - 1


def suppress(
    values: Mapping[CellKey, int],
    equations: Sequence[Equation[CellKey]],
    smallest_published: int,
    *,
    floors: Mapping[CellKey, int] | None = None,
    order: Mapping[CellKey, int] | None = None,
    forced: Iterable[CellKey] = (),
) -> set[CellKey]:
    """The cells to suppress: the small ones, then the fewest next-smallest to protect them.

    `forced` cells are hidden from the start (the global audit's additions, see `cube.protect`).
    Deterministic: ties between equally small cells are broken by `order` (or by the key), so that
    the same data always gives the same pattern (replays and repeated queries agree).
    """
    floors = floors if floors is not None else {}
    rank = order if order is not None else {key: index for index, key in
                                             enumerate(sorted(values, key=repr))}
    suppressed = {key for key, value in values.items() if is_primary(value, smallest_published)}
    suppressed.update(forced)
    touching: dict[CellKey, list[int]] = defaultdict(list)
    for index, equation in enumerate(equations):
        touching[equation.total].append(index)
        for member in equation.members:
            touching[member].append(index)

    pending = sorted({i for key in suppressed for i in touching[key]})
    queued = set(pending)
    while pending:
        index = pending.pop()
        queued.discard(index)
        equation = equations[index]
        if _protected(equation, values, floors, suppressed, smallest_published):
            continue
        added = _next_smallest(equation, values, suppressed, rank)
        if added is None:
            continue
        suppressed.add(added)
        for other in touching[added]:
            if other not in queued:
                queued.add(other)
                pending.append(other)
        if index not in queued:
            queued.add(index)
            pending.append(index)
    return suppressed


def _next_smallest(
    equation: Equation[CellKey],
    values: Mapping[CellKey, int],
    suppressed: set[CellKey],
    rank: Mapping[CellKey, int],
) -> CellKey | None:
    """The smallest published member; the total only once every member is hidden."""
    candidates = [m for m in equation.members if m not in suppressed]
    if candidates:
        return min(candidates, key=lambda m: (values[m], rank.get(m, 0)))
    if equation.total not in suppressed:
        return equation.total
    return None


def unprotected(
    values: Mapping[CellKey, int],
    equations: Iterable[Equation[CellKey]],
    suppressed: set[CellKey],
    smallest_published: int,
    floors: Mapping[CellKey, int] | None = None,
) -> list[Equation[CellKey]]:
    """Equations a reader could still solve for a suppressed cell (empty after `suppress`)."""
    return [
        equation
        for equation in equations
        if not _protected(equation, values, floors or {}, suppressed, smallest_published)
    ]
