"""The indicators statistics publishes: ids, titles in kk/ru/en, unit, dimensions, source."""

from __future__ import annotations

from pydantic import BaseModel

DIMENSIONS = ("region", "citizenship", "category")


class Indicator(BaseModel):
    id: str
    titles: dict[str, str]
    unit: str
    dimensions: list[str]
    category_meaning: str
    source: str


CATALOGUE: dict[str, Indicator] = {
    indicator.id: indicator
    for indicator in [
        Indicator(
            id="arrivals",
            titles={
                "kk": "Хабарланған келулер",
                "ru": "Уведомления о прибытии",
                "en": "Arrivals notified",
            },
            unit="notifications",
            dimensions=list(DIMENSIONS),
            category_meaning="declared purpose of the stay",
            source="registration: arrival.notified events",
        ),
        Indicator(
            id="arrivals-late",
            titles={
                "kk": "Мерзімінен кеш хабарланған келулер",
                "ru": "Уведомления о прибытии с нарушением срока",
                "en": "Arrivals notified late",
            },
            unit="notifications",
            dimensions=list(DIMENSIONS),
            category_meaning="declared purpose of the stay",
            source="registration: arrival.notified events with late = true",
        ),
    ]
}
