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
    # Quota limits are administrative figures, not counts of people: published as they are.
    disclosure_control: bool = True


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
        # Catalogued for the dashboard; the projections that feed them come with their events
        # (see `fed_by` in GET /api/v1/indicators). Until then their series are empty.
        Indicator(
            id="quota-limit",
            titles={
                "kk": "Шетелдік жұмыс күшін тартуға арналған квота",
                "ru": "Квота на привлечение иностранной рабочей силы",
                "en": "Foreign labour quota",
            },
            unit="permits",
            dimensions=["region", "category"],
            category_meaning="quota category (by qualification group)",
            source="permits: quota.set events (the quota's limit, on 1 January of its year)",
            disclosure_control=False,
        ),
        Indicator(
            id="quota-used",
            titles={
                "kk": "Квотаның пайдаланылуы",
                "ru": "Использование квоты",
                "en": "Quota used",
            },
            unit="permits",
            dimensions=["region", "category"],
            category_meaning="quota category (by qualification group)",
            source="permits: quota.set events (places used by issued permits)",
        ),
        Indicator(
            id="decisions",
            titles={
                "kk": "Қабылданған шешімдер",
                "ru": "Принятые решения",
                "en": "Decisions taken",
            },
            unit="decisions",
            dimensions=list(DIMENSIONS),
            category_meaning="kind of decision (e-visa, kandas status, permit)",
            source="registration, permits, diaspora: decision events (issued, granted, refused)",
        ),
        Indicator(
            id="decisions-within-deadline",
            titles={
                "kk": "Мерзімінде қабылданған шешімдер",
                "ru": "Решения, принятые в срок",
                "en": "Decisions within deadline",
            },
            unit="decisions",
            dimensions=list(DIMENSIONS),
            category_meaning="kind of decision (e-visa, kandas status, permit)",
            source="decision events with within_deadline = true",
        ),
    ]
}
