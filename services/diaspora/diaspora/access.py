"""How a domain function asks whether the caller may act on a region's case (without HTTP)."""

from collections.abc import Callable

Authorize = Callable[[str], None]


def anyone(_region: str) -> None:
    """For jobs and internal calls: no officer's jurisdiction to check."""
