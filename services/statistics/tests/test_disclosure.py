"""Disclosure control: primary and complementary suppression, and an attacker who cannot win."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statistics_service.disclosure.cube import TOTAL, build_table, equations_of, floors_of, protect
from statistics_service.disclosure.suppression import Equation, suppress, unprotected

from .disclosure_audit import recoverable_cells

SMALLEST = 5


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    values = {"total": 40, "a": 3, "b": 9, "c": 12, "d": 16}
    equations = [Equation("total", ("a", "b", "c", "d"))]

    hidden = suppress(values, equations, SMALLEST)

    # 3 alone would be 40 - 9 - 12 - 16; with 9 hidden too, 3 + 9 = 12 could be 1 + 11 ... 8 + 4.
    assert hidden == {"a", "b"}


def test_two_small_cells_that_would_betray_each_other_get_a_third() -> None:
    values = {"total": 30, "a": 1, "b": 1, "c": 6, "d": 22}
    equations = [Equation("total", ("a", "b", "c", "d"))]

    hidden = suppress(values, equations, SMALLEST)

    # a + b = 2 would say both are 1; with c the three could be anything from 1 to 6 each.
    assert hidden == {"a", "b", "c"}


def test_a_total_made_only_of_hidden_cells_is_hidden_when_it_would_pin_them() -> None:
    values = {"total": 5, "a": 1, "b": 1, "c": 1, "d": 1, "e": 1}
    equations = [Equation("total", ("a", "b", "c", "d", "e"))]

    hidden = suppress(values, equations, SMALLEST)

    assert "total" in hidden


def test_a_table_without_small_cells_is_published_whole() -> None:
    values = {"total": 30, "a": 5, "b": 25}
    assert suppress(values, [Equation("total", ("a", "b"))], SMALLEST) == set()


def test_the_pattern_does_not_depend_on_the_order_of_the_rows() -> None:
    rows = [
        (date(2025, 1, 3), "750000000", "UZB", "work", 3),
        (date(2025, 1, 3), "710000000", "UZB", "work", 6),
        (date(2025, 2, 4), "710000000", "RUS", "study", 12),
        (date(2025, 2, 5), "750000000", "RUS", "study", 30),
    ]
    first = protect(rows, SMALLEST)
    second = protect(list(reversed(rows)), SMALLEST)
    assert first == second
    assert (("2025-01-03", "750000000", TOTAL, TOTAL)) in first.suppressed


DAYS = [date(2025, 1, 30), date(2025, 1, 31), date(2025, 2, 1), date(2025, 4, 2)]
REGIONS = ["710000000", "750000000", "790000000"]
CITIZENSHIPS = ["UZB", "RUS"]

counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 14))


@st.composite
def fact_rows(draw: st.DrawFn) -> list[tuple[date, str, str, str, int]]:
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
    citizenships = draw(
        st.lists(st.sampled_from(CITIZENSHIPS), min_size=1, max_size=2, unique=True)
    )
    rows = []
    for day in sorted(days):
        for region in regions:
            for citizenship in citizenships:
                value = draw(counts)
                if value:
                    rows.append((day, region, citizenship, "tourism", value))
    return rows


# Derandomized so that CI runs the same 300 tables every time; a wider random search is run by
# hand with `--hypothesis-seed` (4,000 random tables found no recoverable small count).
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(fact_rows())
def test_no_suppressed_cell_can_be_recovered_from_what_is_published(rows: list) -> None:
    table = protect(rows, SMALLEST)

    # Every small count is hidden ...
    assert all(cell in table.suppressed for cell, v in table.values.items() if 0 < v < SMALLEST)
    # ... no single equation (a total and its parts) gives one away ...
    assert unprotected(table.values, equations_of(table.values), set(table.suppressed),
                       SMALLEST, floors_of(rows)) == []
    # ... and no combination of all the published values and totals pins a small count down.
    assert recoverable_cells(table.values, table.suppressed, SMALLEST) == []


@settings(max_examples=60, deadline=None)
@given(fact_rows())
def test_published_cells_are_the_true_sums(rows: list) -> None:
    table = protect(rows, SMALLEST)
    expected = build_table(rows)
    assert table.values == expected
    grand = sum(row[4] for row in rows)
    years = {cell: v for cell, v in table.values.items() if cell[1:] == (TOTAL,) * 3
             and len(cell[0]) == 4}
    assert sum(years.values()) == grand
