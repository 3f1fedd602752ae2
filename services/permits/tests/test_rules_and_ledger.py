"""The permits rules as data, the pure domain rules, and the quota ledger's arithmetic
(property tests against a model of the ledger)."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from permits.base import Base
from permits.dates import add_months, term_end
from permits.labour_immigrants.service import tax_due
from permits.quotas import repository
from permits.quotas.repository import QuotaKey
from permits.rulebook import Applied, rulebook
from permits.work_permits.schemas import StaffCounts
from permits.work_permits.service import local_content
from shared import clock
from shared.db import Database


def test_every_rule_has_a_source_and_the_mci_follows_the_budget_laws() -> None:
    rules = rulebook()
    for definition in rules:
        for version in definition.versions:
            assert version.source.document or version.source.seed
    assert rules.value("mci.tenge", date(2024, 6, 1)) == 3692
    assert rules.value("mci.tenge", date(2025, 1, 1)) == 3932
    assert rules.value("mci.tenge", date(2026, 12, 31)) == 4325
    assert "republican budget for 2025" in str(rules.at("mci.tenge", date(2025, 3, 1)).source)


def test_the_labour_immigrants_tax_is_mci_per_month_of_the_year_of_payment() -> None:
    applied = Applied(rulebook())
    in_2025 = tax_due(3, date(2025, 5, 1), applied)
    assert (in_2025.rate_mci, in_2025.mci, in_2025.amount) == (4, 3932, 3 * 4 * 3932)
    in_2024 = tax_due(1, date(2024, 5, 1), applied)
    assert (in_2024.rate_mci, in_2024.amount) == (2, 2 * 3692)
    assert applied.refs == [
        "mci.tenge@v2", "labour_immigrant.tax_mci_per_month@v2",
        "mci.tenge@v1", "labour_immigrant.tax_mci_per_month@v1",
    ]


counts = st.integers(min_value=0, max_value=400)


@given(category=st.sampled_from(["1", "2", "3", "4"]), c=st.tuples(counts, counts, counts, counts),
       f=st.tuples(counts, counts, counts, counts))
def test_local_content_refuses_exactly_when_the_citizens_share_falls_short(
    category: str, c: tuple[int, ...], f: tuple[int, ...]
) -> None:
    staff = StaffCounts(citizens=dict(zip("1234", c, strict=True)),  # type: ignore[arg-type]
                        foreigners=dict(zip("1234", f, strict=True)))  # type: ignore[arg-type]
    reasons = local_content(category, staff, date(2026, 5, 1), Applied(rulebook()))
    group = (0, 1) if category in "12" else (2, 3)
    minimum = 70 if category in "12" else 90
    citizens = sum(c[i] for i in group)
    foreigners = sum(f[i] for i in group) + 1
    exempt = sum(c) + sum(f) + 1 <= 30
    short = citizens * 100 < minimum * (citizens + foreigners)
    assert bool(reasons) == (short and not exempt)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       months=st.integers(min_value=1, max_value=36))
def test_a_term_of_months_ends_the_day_before_the_same_day_months_later(
    start: date, months: int
) -> None:
    end = term_end(start, months=months)
    assert start <= end
    assert end.year * 12 + end.month - (start.year * 12 + start.month) in (months - 1, months)
    assert add_months(start, months).day <= start.day


operations = st.lists(
    st.tuples(st.sampled_from(["reserve", "consume", "release", "use", "limit"]),
              st.integers(min_value=0, max_value=6)),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(initial=st.integers(min_value=0, max_value=5), steps=operations)
def test_the_ledger_never_takes_more_places_than_the_limit(
    initial: int, steps: list[tuple[str, int]]
) -> None:
    asyncio.run(_replay(initial, steps))


async def _replay(initial: int, steps: list[tuple[str, int]]) -> None:
    key = QuotaKey(2026, "750000000", "3")
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{Path(folder) / 'ledger.db'}")
        try:
            async with db.engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
            model = {"limit": initial, "reserved": 0, "used": 0}
            async with db.transaction() as session:
                assert await repository.set_limit(session, key, places_limit=initial,
                                                  source=None, set_by=None,
                                                  at=clock.now())
            for operation, amount in steps:
                free = model["limit"] - model["reserved"] - model["used"]
                async with db.transaction() as session:
                    if operation == "reserve":
                        assert await repository.reserve(session, key) == (free >= 1)
                        model["reserved"] += free >= 1
                    elif operation == "use":
                        assert await repository.use(session, key) == (free >= 1)
                        model["used"] += free >= 1
                    elif operation == "consume":
                        held = model["reserved"] >= 1
                        assert await repository.consume_reserved(session, key) == held
                        model["reserved"] -= held
                        model["used"] += held
                    elif operation == "release":
                        held = model["reserved"] >= 1
                        assert await repository.release_reserved(session, key) == held
                        model["reserved"] -= held
                    else:
                        fits = model["reserved"] + model["used"] <= amount
                        assert await repository.set_limit(
                            session, key, places_limit=amount, source=None, set_by=None,
                            at=clock.now()) == fits
                        if fits:
                            model["limit"] = amount
                async with db.transaction() as session:
                    quota = await repository.get(session, key)
                assert quota is not None
                assert (quota.places_limit, quota.reserved, quota.used) == (
                    model["limit"], model["reserved"], model["used"])
                assert quota.remaining >= 0
        finally:
            await db.dispose()
