"""`cube.protect` on integer-coded cells: the same table, the same equations, the same pattern.

A year's table holds up to a few million cells; as tuples of strings in dicts and sets that is
hundreds of bytes and several dict operations per cell. Here every cell is one integer whose order
is the order of its key tuple (each component replaced by its rank among the values that occur),
the table is summed level by level instead of row by row into all 32 cells of each row, and
complementary suppression runs over arrays indexed by the cell's position in that order. The
equations, their order, the order of the work list and the tie-breaks are those of
`cube.equations_of` and `suppression.suppress`, so the pattern is identical (the tests compare
both on random tables).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import structlog

from statistics_service.disclosure.audit import determined_cells
from statistics_service.disclosure.periods import PERIODS, level_of, parent_of, period_label

log = structlog.get_logger(__name__)

TOTAL = "*"
# See cube.AUDIT_LIMIT (the same number; cube re-exports this one).
AUDIT_LIMIT = 120
_COUNT_BITS = 32
_COUNT_MASK = (1 << _COUNT_BITS) - 1
_MINUS_ONE = array("i", [-1]).tobytes()


@dataclass(frozen=True)
class CompactTable:
    """A protected table: cell `i` is `codes[i]`, decoded by `cell(i)`; ascending key order."""

    labels: list[str]
    dimension_values: tuple[list[str], list[str], list[str]]
    codes: array  # type: ignore[type-arg]
    values: array  # type: ignore[type-arg]
    suppressed: bytearray
    audited: bool

    def __len__(self) -> int:
        return len(self.codes)

    def cell(self, index: int) -> tuple[str, str, str, str]:
        regions, citizenships, categories = self.dimension_values
        rest, category = divmod(self.codes[index], len(categories))
        rest, citizenship = divmod(rest, len(citizenships))
        label, region = divmod(rest, len(regions))
        return (self.labels[label], regions[region], citizenships[citizenship],
                categories[category])

    def rows(self) -> Iterator[tuple[str, str, str, str, int, bool]]:
        """(label, region, citizenship, category, value, suppressed) for every cell, in order."""
        regions, citizenships, categories = self.dimension_values
        n_regions, n_citizenships, n_categories = len(regions), len(citizenships), len(categories)
        labels, values, suppressed = self.labels, self.values, self.suppressed
        for index, code in enumerate(self.codes):
            rest, category = divmod(code, n_categories)
            rest, citizenship = divmod(rest, n_citizenships)
            label, region = divmod(rest, n_regions)
            yield (labels[label], regions[region], citizenships[citizenship],
                   categories[category], values[index], bool(suppressed[index]))


def _ranks(items: Iterable[str]) -> tuple[list[str], dict[str, int]]:
    ordered = sorted(set(items))
    return ordered, {value: index for index, value in enumerate(ordered)}


class FactRows:
    """Fact rows `(day, region, citizenship, category, value)` kept as integers as they are read:
    a year's facts as row objects with their dates and strings take several times the memory."""

    def __init__(self) -> None:
        self.days: dict[date, int] = {}
        self.values_of: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
        self.columns = (array("i"), array("i"), array("i"), array("i"))
        self.amounts = array("q")

    def __len__(self) -> int:
        return len(self.amounts)

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        days, (regions, citizenships, categories) = self.days, self.values_of
        day_column, region_column, citizenship_column, category_column = self.columns
        amounts = self.amounts
        for day, region, citizenship, category, value in rows:
            if not value:
                continue
            day_column.append(days.setdefault(day, len(days)))
            region_column.append(regions.setdefault(region, len(regions)))
            citizenship_column.append(citizenships.setdefault(citizenship, len(citizenships)))
            category_column.append(categories.setdefault(category, len(categories)))
            amounts.append(int(value))


def protect_compact(rows: Iterable[Sequence[Any]], smallest_published: int) -> CompactTable:
    """What `cube.protect` computes, on `(day, region, citizenship, category, value)` rows."""
    facts = FactRows()
    facts.extend(rows)
    return protect_facts(facts, smallest_published)


def protect_facts(facts: FactRows, smallest_published: int) -> CompactTable:
    labels_of_day = {day: [period_label(day, period) for period in PERIODS]
                     for day in facts.days}
    labels, label_rank = _ranks(
        label for day_labels in labels_of_day.values() for label in day_labels
    )
    ranked = [_ranks([TOTAL, *seen]) for seen in facts.values_of]
    (regions, region_rank), (citizenships, citizenship_rank), (categories, category_rank) = ranked
    # Each value's rank, by its index in the order the rows came in.
    remaps = [[rank[value] for value in seen] for seen, (_, rank) in
              zip(facts.values_of, ranked, strict=True)]
    n_regions, n_citizenships, n_categories = len(regions), len(citizenships), len(categories)
    # code = ((label * R + region) * C + citizenship) * K + category
    strides = (n_regions * n_citizenships * n_categories, n_citizenships * n_categories,
               n_categories, 1)
    sizes = (len(labels), n_regions, n_citizenships, n_categories)
    totals = (-1, region_rank[TOTAL], citizenship_rank[TOTAL], category_rank[TOTAL])
    day_rank = [label_rank[labels_of_day[day][0]] for day in facts.days]

    # Each cell's value and number of non-empty base cells packed in one int: value << 32 | count.
    table: dict[int, int] = {}
    base_codes = array("q")
    region_remap, citizenship_remap, category_remap = remaps
    day_column, region_column, citizenship_column, category_column = facts.columns
    for day, region, citizenship, category, value in zip(
        day_column, region_column, citizenship_column, category_column, facts.amounts,
        strict=True,
    ):
        code = ((day_rank[day] * n_regions + region_remap[region]) * n_citizenships
                + citizenship_remap[citizenship]) * n_categories + category_remap[category]
        base_codes.append(code)
        table[code] = table.get(code, 0) + (value << _COUNT_BITS) + 1
    # Every dimension summed over, one at a time (each row reaches each of its 8 cells once).
    for index in (3, 2, 1):
        stride, size, total = strides[index], sizes[index], totals[index]
        # Only cells with a value of this dimension are read and only totals of it written, so
        # a snapshot of the keys is enough (a snapshot of the items would double the memory).
        for code in array("q", table):
            digit = code // stride % size
            if digit != total:
                parent = code + (total - digit) * stride
                table[parent] = table.get(parent, 0) + table[code]
    # Then each period into its parent: days into months, months into quarters, into years.
    label_parent = [label_rank[p] if (p := parent_of(label)) is not None else -1
                    for label in labels]
    label_level = [PERIODS.index(level_of(label)) for label in labels]
    label_stride = strides[0]
    for level in range(len(PERIODS) - 1):
        for code in array("q", (c for c in table if label_level[c // label_stride] == level)):
            label = code // label_stride
            parent = code + (label_parent[label] - label) * label_stride
            table[parent] = table.get(parent, 0) + table[code]

    codes = array("q", sorted(code for code, packed in table.items()
                              if packed >> _COUNT_BITS != 0))
    n = len(codes)
    values = array("q", bytes(8 * n))
    floors = array("q", bytes(8 * n))
    for position, code in enumerate(codes):
        packed = table[code]
        values[position] = packed >> _COUNT_BITS
        floors[position] = packed & _COUNT_MASK
    del table
    base_positions = array("i", [_find(codes, code, n) for code in base_codes])

    # Equations, as in cube.equations_of: keyed by (what is summed over, total), sorted; the
    # total of index 0 is the parent period, of index 1..3 the dimension summed to TOTAL.
    parents = [array("i", _MINUS_ONE * n) for _ in range(4)]
    has_members: list[bytearray] = [bytearray(n) for _ in range(4)]
    for position, code in enumerate(codes):
        label = code // label_stride
        for index in range(4):
            if index == 0:
                if label_parent[label] < 0:
                    continue
                parent_code = code + (label_parent[label] - label) * label_stride
            else:
                stride, size, total = strides[index], sizes[index], totals[index]
                digit = code // stride % size
                if digit == total:
                    continue
                parent_code = code + (total - digit) * stride
            parent = bisect_left(codes, parent_code)
            if parent < n and codes[parent] == parent_code:
                parents[index][position] = parent
                has_members[index][parent] = 1
    # Equation numbers in (index, total) order; member_of[index][cell], total_of[index][cell].
    total_of = [array("i", _MINUS_ONE * n) for _ in range(4)]
    count = 0
    for index in range(4):
        flags, numbers = has_members[index], total_of[index]
        for position in range(n):
            if flags[position]:
                numbers[position] = count
                count += 1
    del has_members
    equation_total = array("i", bytes(4 * count))
    for index in range(4):
        for position, number in enumerate(total_of[index]):
            if number >= 0:
                equation_total[number] = position
    member_of = [array("i", _MINUS_ONE * n) for _ in range(4)]
    starts = array("q", bytes(8 * (count + 1)))
    for index in range(4):
        parent_index, numbers, member_index = parents[index], total_of[index], member_of[index]
        for position in range(n):
            parent = parent_index[position]
            if parent >= 0:
                number = numbers[parent]
                member_index[position] = number
                starts[number + 1] += 1
    del parents
    # Prefix sums: the members of equation e are members[starts[e]:starts[e + 1]].
    for number in range(count):
        starts[number + 1] += starts[number]
    members = array("i", bytes(4 * starts[count]))
    filled = array("q", starts[:count])
    for index in range(4):
        member_index = member_of[index]
        for position in range(n):  # ascending: each equation's members come out sorted
            number = member_index[position]
            if number >= 0:
                members[filled[number]] = position
                filled[number] += 1
    del filled

    forced: set[int] = set()
    equations = _Equations(equation_total, starts, members, member_of, total_of)
    while True:
        suppressed = _suppress(values, floors, equations, smallest_published, forced)
        hidden_base = sum(1 for position in base_positions
                          if position >= 0 and suppressed[position])
        if hidden_base > AUDIT_LIMIT:
            log.warning("disclosure.audit_skipped", hidden_base_cells=hidden_base,
                        limit=AUDIT_LIMIT)
            audited = False
            break
        additions = _audit_additions(
            codes, values, base_codes, suppressed, smallest_published,
            strides, sizes, totals, label_parent, label_stride,
        )
        if not additions:
            audited = True
            break
        forced.update(additions)
    return CompactTable(labels, (regions, citizenships, categories), codes, values, suppressed,
                        audited)


def _find(codes: array, code: int, n: int) -> int:  # type: ignore[type-arg]
    """The position of `code` among the sorted `codes`, or -1."""
    position = bisect_left(codes, code)
    return position if position < n and codes[position] == code else -1


@dataclass(frozen=True)
class _Equations:
    total: array  # type: ignore[type-arg]
    starts: array  # type: ignore[type-arg]
    members: array  # type: ignore[type-arg]
    member_of: list[array]  # type: ignore[type-arg]
    total_of: list[array]  # type: ignore[type-arg]

    def touching(self, cell: int) -> list[int]:
        """The equations a cell is the total or a member of, ascending (suppress's `touching`)."""
        found = [e for e in (self.member_of[0][cell], self.member_of[1][cell],
                             self.member_of[2][cell], self.member_of[3][cell],
                             self.total_of[0][cell], self.total_of[1][cell],
                             self.total_of[2][cell], self.total_of[3][cell]) if e >= 0]
        found.sort()
        return found


def _suppress(
    values: array,  # type: ignore[type-arg]
    floors: array,  # type: ignore[type-arg]
    equations: _Equations,
    smallest_published: int,
    forced: Iterable[int],
) -> bytearray:
    """suppression.suppress with `order` the cells' positions."""
    n = len(values)
    suppressed = bytearray(n)
    for position in range(n):
        if 0 < values[position] < smallest_published:
            suppressed[position] = 1
    for position in forced:
        suppressed[position] = 1
    totals, starts, members = equations.total, equations.starts, equations.members
    queued = bytearray(len(totals))
    for position in range(n):
        if suppressed[position]:
            for number in equations.touching(position):
                queued[number] = 1
    # A stack of equation numbers, the largest on top (suppress pops from a sorted list).
    pending = array("i", (number for number in range(len(totals)) if queued[number]))
    room_needed = smallest_published - 1
    while pending:
        number = pending.pop()
        queued[number] = 0
        total = totals[number]
        cells = members[starts[number]:starts[number + 1]]
        hidden = [m for m in cells if suppressed[m]]
        total_hidden = suppressed[total]
        # suppression._protected
        if len(cells) == 1:
            protected = bool(total_hidden) == bool(hidden)
        elif not hidden:
            protected = not total_hidden
        elif len(hidden) == len(cells) and total_hidden:
            protected = True
        elif len(hidden) == 1:
            protected = False
        else:
            protected = sum(values[m] - floors[m] for m in hidden) >= room_needed
        if protected:
            continue
        # suppression._next_smallest
        if len(hidden) < len(cells):
            added = min((m for m in cells if not suppressed[m]), key=lambda m: (values[m], m))
        elif not total_hidden:
            added = total
        else:
            continue
        suppressed[added] = 1
        for other in equations.touching(added):
            if not queued[other]:
                queued[other] = 1
                pending.append(other)
        if not queued[number]:
            queued[number] = 1
            pending.append(number)
    return suppressed


def _audit_additions(
    codes: array,  # type: ignore[type-arg]
    values: array,  # type: ignore[type-arg]
    base_codes: Sequence[int],
    suppressed: bytearray,
    smallest_published: int,
    strides: tuple[int, int, int, int],
    sizes: tuple[int, int, int, int],
    totals: tuple[int, int, int, int],
    label_parent: list[int],
    label_stride: int,
) -> set[int]:
    """cube._audit_additions over codes: the same unknowns, equations and choices."""

    def cells_of(code: int) -> list[int]:
        labels = [code // label_stride]
        while label_parent[labels[-1]] >= 0:
            labels.append(label_parent[labels[-1]])
        found = []
        for label in labels:
            base = code + (label - code // label_stride) * label_stride
            for with_region in (base, _to_total(base, 1, strides, sizes, totals)):
                for with_citizenship in (with_region,
                                         _to_total(with_region, 2, strides, sizes, totals)):
                    found.append(with_citizenship)
                    found.append(_to_total(with_citizenship, 3, strides, sizes, totals))
        return found

    def position(code: int) -> int:
        return _find(codes, code, len(codes))

    # A cell outside the table (its rows summing to 0) keeps its code as its key, as a key of its
    # own (negative); cube does the same with the tuple.
    def key(code: int) -> int:
        found = position(code)
        return found if found >= 0 else -1 - code

    hidden_keys = {p for p in range(len(codes)) if suppressed[p]}
    coverage: dict[int, list[int]] = defaultdict(list)
    covering: dict[int, list[int]] = {}
    unknown = 0
    for base in base_codes:
        base_key = key(base)
        if base_key not in hidden_keys:
            continue
        cells = [key(code) for code in cells_of(base)]
        for cell in cells:
            coverage[cell].append(unknown)
        covering[unknown] = cells
        unknown += 1
    small = sorted(p for p in hidden_keys if values[p] < smallest_published)
    determined = determined_cells(coverage, hidden_keys, small)
    additions: set[int] = set()
    for target in determined:
        published = {cell for index in coverage[target] for cell in covering[index]
                     if cell not in hidden_keys}
        additions.add(min(published, key=lambda c: (_value(values, c), c)))
    return additions


def _value(values: array, key: int) -> int:  # type: ignore[type-arg]
    if key < 0:
        raise KeyError(key)
    return int(values[key])


def _to_total(code: int, index: int, strides: tuple[int, int, int, int],
              sizes: tuple[int, int, int, int], totals: tuple[int, int, int, int]) -> int:
    digit = code // strides[index] % sizes[index]
    return code + (totals[index] - digit) * strides[index]
