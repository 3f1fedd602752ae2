"""Regions as the quota ledger counts them: the first-level KATO unit of any code."""

from __future__ import annotations

from shared.errors import invalid
from shared.kz import region_of


def quota_region(code: str) -> str:
    """The region or city of republican significance a (validated) KATO code belongs to."""
    region = region_of(code)
    if region is None:
        raise ValueError(f"unknown KATO code {code!r}")
    return region.code


def first_level(code: str, field: str) -> str:
    """`code` when it is a first-level KATO code, else a 422 naming `field`."""
    region = region_of(code)
    if region is None:
        raise invalid(field, "region_unknown")
    if region.code != code:
        raise invalid(field, "region_first_level")
    return code
