"""Valid request bodies for tests, unique per call."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from shared.kz import with_control_digit

_sequence = itertools.count(1)


def bin_number(n: int) -> str:
    """A valid BIN/IIN made from a number (the control digit computed)."""
    for offset in range(100):
        candidate = with_control_digit(f"{(n * 100 + offset) % 10**11:011d}")
        if candidate is not None:
            return candidate
    raise AssertionError("no control digit")


def arrival(
    *,
    region: str = "750000000",
    citizenship: str = "UZB",
    entry: date | None = None,
    days: int = 20,
    purpose: str = "tourism",
    passport: str | None = None,
    birth_date: str = "1990-05-01",
    host_kind: str = "hotel",
) -> dict[str, Any]:
    n = next(_sequence)
    entry = entry or date.today() - timedelta(days=1)
    host: dict[str, Any] = {"kind": host_kind, "name": f"Host {n}"}
    if host_kind in ("hotel", "company"):
        host["bin"] = bin_number(n + 1000)
    else:
        host["iin"] = bin_number(n + 5000)
    return {
        "host": host,
        "foreigner": {
            "passport_number": passport or f"FA{n:07d}",
            "citizenship": citizenship,
            "surname": "KARIMOV",
            "given_names": "ALISHER",
            "birth_date": birth_date,
            "sex": "M",
        },
        "entry_date": entry.isoformat(),
        "address": {"region": region, "locality": "Almaty", "line": "Abai ave 1, apt 2"},
        "purpose": purpose,
        "expected_departure": (entry + timedelta(days=days - 1)).isoformat(),
    }
