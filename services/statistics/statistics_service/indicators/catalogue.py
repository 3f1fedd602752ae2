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
        # The events that feed each indicator are listed in `fed_by` (GET /api/v1/indicators).
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
            source="permits: work-permit.issued (outside intra-corporate transfers) and "
            "labour-immigrant-permit.issued events",
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
        Indicator(
            id="invitations",
            titles={
                "kk": "Шақырулар (шақырылғандар саны)",
                "ru": "Приглашения (число приглашённых)",
                "en": "Invitations (persons invited)",
            },
            unit="persons",
            dimensions=["region", "category"],
            category_meaning="category of the invitation (business, tourism, ...)",
            source="registration: invitation.issued events (invitee count)",
        ),
        Indicator(
            id="visas-issued",
            titles={
                "kk": "Берілген электрондық визалар",
                "ru": "Выданные электронные визы",
                "en": "e-Visas issued",
            },
            unit="visas",
            dimensions=["citizenship", "category"],
            category_meaning="visa category",
            source="registration: evisa.issued events",
        ),
        Indicator(
            id="visas-refused",
            titles={
                "kk": "Бас тартылған электрондық визалар",
                "ru": "Отказы в электронной визе",
                "en": "e-Visas refused",
            },
            unit="applications",
            dimensions=["citizenship", "category"],
            category_meaning="visa category",
            source="registration: evisa.refused events",
        ),
        Indicator(
            id="overstays",
            titles={
                "kk": "Болу мерзімін бұзу",
                "ru": "Нарушения срока пребывания",
                "en": "Overstays detected",
            },
            unit="stays",
            dimensions=["region", "citizenship", "category"],
            category_meaning="stay regime (visa-free, EAEU, visa, TRP, transit)",
            source="registration: stay.overstay-detected events",
        ),
        Indicator(
            id="departures",
            titles={
                "kk": "Кетулер",
                "ru": "Выезды",
                "en": "Departures recorded",
            },
            unit="departures",
            dimensions=["citizenship", "category"],
            category_meaning="who reported the exit",
            source="registration: departure.recorded events",
        ),
        Indicator(
            id="residence-permits-issued",
            titles={
                "kk": "Берілген уақытша тұруға рұқсаттар",
                "ru": "Выданные разрешения на временное проживание",
                "en": "Temporary residence permits issued",
            },
            unit="permits",
            dimensions=["region", "citizenship", "category"],
            category_meaning="basis of the permit",
            source="registration: residence-permit.issued events",
        ),
        Indicator(
            id="work-permits-issued",
            titles={
                "kk": "Жұмыс берушілерге берілген рұқсаттар",
                "ru": "Разрешения работодателям",
                "en": "Employers' work permits issued",
            },
            unit="permits",
            dimensions=["region", "citizenship", "category"],
            category_meaning="category of position (1-4, seasonal)",
            source="permits: work-permit.issued events",
        ),
        Indicator(
            id="labour-immigrant-permits-issued",
            titles={
                "kk": "Еңбек иммигранттарына берілген рұқсаттар",
                "ru": "Разрешения трудовым иммигрантам",
                "en": "Labour-immigrant permits issued",
            },
            unit="permits",
            dimensions=["region", "citizenship", "category"],
            category_meaning="permit kind",
            source="permits: labour-immigrant-permit.issued events",
        ),
        Indicator(
            id="labour-immigrant-permits-lapsed",
            titles={
                "kk": "Мерзімі өткен еңбек иммигранты рұқсаттары",
                "ru": "Прекращённые разрешения трудовых иммигрантов",
                "en": "Labour-immigrant permits lapsed",
            },
            unit="permits",
            dimensions=["region", "citizenship", "category"],
            category_meaning="permit kind",
            source="permits: labour-immigrant-permit.lapsed events",
        ),
        Indicator(
            id="kandas-applications",
            titles={
                "kk": "Қандас мәртебесіне өтініштер (отбасы мүшелері)",
                "ru": "Заявления на статус кандаса (члены семей)",
                "en": "Kandas status applications (family members)",
            },
            unit="persons",
            dimensions=["region", "citizenship"],
            category_meaning="—",
            source="diaspora: kandas.application-submitted events (family size); citizenship "
            "is the country of origin",
        ),
        Indicator(
            id="kandas-granted",
            titles={
                "kk": "Қандас мәртебесі берілді (отбасы мүшелері)",
                "ru": "Присвоен статус кандаса (члены семей)",
                "en": "Kandas status granted (family members)",
            },
            unit="persons",
            dimensions=["region", "citizenship"],
            category_meaning="—",
            source="diaspora: kandas.status-granted events (family size); citizenship is the "
            "country of origin",
        ),
        Indicator(
            id="accommodation-check-ins",
            titles={
                "kk": "Уақытша орналастыру орталықтарына қоныстанғандар",
                "ru": "Заселения в центры временного размещения",
                "en": "Temporary accommodation check-ins (persons)",
            },
            unit="persons",
            dimensions=["region"],
            category_meaning="—",
            source="diaspora: accommodation.checked-in events (family size)",
        ),
        Indicator(
            id="adaptation-placements",
            titles={
                "kk": "Бейімдеу және ықпалдастыру орталықтарына орналастыру",
                "ru": "Размещения в центрах адаптации и интеграции",
                "en": "Adaptation centre placements (persons)",
            },
            unit="persons",
            dimensions=["region"],
            category_meaning="—",
            source="diaspora: adaptation.placed events (family size)",
        ),
        Indicator(
            id="resettled",
            titles={
                "kk": "Өңірлік квота бойынша қоныстандырылғандар",
                "ru": "Переселённые по региональной квоте",
                "en": "Resettled under the regional quota (persons)",
            },
            unit="persons",
            dimensions=["region", "citizenship"],
            category_meaning="—",
            source="diaspora: resettlement.approved events (family size); citizenship is the "
            "country of origin",
        ),
        Indicator(
            id="compatriots-registered",
            titles={
                "kk": "Тіркелген шетелдегі отандастар",
                "ru": "Зарегистрированные соотечественники за рубежом",
                "en": "Compatriots abroad registered",
            },
            unit="persons",
            dimensions=["citizenship"],
            category_meaning="—",
            source="diaspora: compatriot.registered events; citizenship is the country of "
            "residence",
        ),
    ]
}
