"""The reference series against the documents they quote.

The expectations in the tables below were written by reading the seed documents, not derived from
series.yaml: each row gives the figure as the document writes it, so a wrong value, offset or seed
in the data file fails here.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.kz import is_citizenship_code, regions
from statistics_service.reference import catalog as catalog_module
from statistics_service.reference.catalog import (
    QualityFlag,
    ReferenceCatalog,
    ReferenceCatalogError,
    ReferenceSeries,
    ReferenceValue,
    load_reference_catalog,
    numbers_in_text,
    parse_catalog,
    states_number,
)

PACKAGE = Path(catalog_module.__file__).parent
SOURCES = PACKAGE / "sources"
SEEDS = {
    "000": "000_a9da879c3a60bac9.txt",
    "001": "001_185f7a4f329f674c.txt",
    "002": "002_85276f73cb790dfb.txt",
    "003": "003_472ba9427e28ffe7.txt",
    "004": "004_3f0c1d0892a9f050.txt",
}
# Where the seeds live in the workspace this repository was written in; absent in a fresh clone.
SHARED_SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

ALMATY = "750000000"


def document(seed: str) -> str:
    """The seed read straight from the file, independently of the loader."""
    return (SOURCES / SEEDS[seed]).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def catalog() -> ReferenceCatalog:
    return load_reference_catalog()


def raw_catalog() -> dict[str, Any]:
    loaded = yaml.safe_load((PACKAGE / "series.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def get_series(catalog: ReferenceCatalog, series_id: str) -> ReferenceSeries:
    series = catalog.get(series_id)
    assert series is not None, f"no series {series_id!r}"
    return series


def find(
    catalog: ReferenceCatalog, series_id: str, period: str | None, dimensions: dict[str, str]
) -> list[ReferenceValue]:
    series = get_series(catalog, series_id)
    return [v for v in series.values if v.period == period and v.dimensions == dimensions]


# --- the catalogue as a whole ------------------------------------------------------------------


def test_the_catalogue_loads_and_covers_every_seed(catalog: ReferenceCatalog) -> None:
    values = [value for series in catalog.series for value in series.values]
    assert len(catalog.series) >= 40
    assert len(values) >= 150
    assert {value.source.seed for value in values} == set(SEEDS.values())
    assert set(catalog.documents) == set(SEEDS.values())


def test_the_seed_copies_are_the_five_documents() -> None:
    assert sorted(path.name for path in SOURCES.glob("*.txt")) == sorted(SEEDS.values())
    if not SHARED_SEEDS.is_dir():
        pytest.skip("the shared seed directory is not next to this checkout")
    for name in SEEDS.values():
        assert (SOURCES / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_every_quote_is_in_its_document_at_its_offset(catalog: ReferenceCatalog) -> None:
    for series in catalog.series:
        for value in series.values:
            source = value.source
            text = document(source.seed[:3])
            assert text[source.offset : source.offset + len(source.quote)] == source.quote
            assert len(source.quote) <= 160, source.quote


def test_series_ids_are_unique_and_the_domain_ids_exist(catalog: ReferenceCatalog) -> None:
    ids = [series.id for series in catalog.series]
    assert len(ids) == len(set(ids))
    for expected in (
        "kandas-arrivals",
        "labour-immigrant-permits",
        "remittances-inbound",
        "net-migration-per-1000",
        "refugees",
        "stateless-persons",
        "long-term-migration-flows",
        "migrant-arrivals-by-country",
        "public-opinion-on-migration",
    ):
        assert expected in ids


def test_titles_are_in_kazakh_russian_and_english(catalog: ReferenceCatalog) -> None:
    kazakh_letters = set("әғқңөұүһі")
    for series in catalog.series:
        assert series.titles.en.isascii(), series.id
        assert any("а" <= ch.lower() <= "я" for ch in series.titles.ru), series.id
        assert set(series.titles.kk.lower()) & kazakh_letters, series.id


def test_dimension_codes_are_countries_regions_or_documented_slugs(
    catalog: ReferenceCatalog,
) -> None:
    geographic = {"origin_country", "destination_country", "citizenship", "country", "diaspora"}
    geographic |= {"residence"}
    slugs = {"total", "other", "world", "eu", "central-asia", "developed-economies"}
    for series in catalog.series:
        for value in series.values:
            for name, code in value.dimensions.items():
                if name in geographic:
                    for part in code.split("+"):
                        assert part in slugs or is_citizenship_code(part), (series.id, code)
                    parts = code.split("+")
                    assert parts == sorted(parts), (series.id, code)
                if name == "region":
                    for part in code.split("+"):
                        assert part == "total" or part in regions(), (series.id, code)


# --- values checked against the documents ------------------------------------------------------

# (series, period, dimensions, value, qualifier, seed, the figure as the document writes it)
DOCUMENT_FIGURES: list[tuple[str, str | None, dict[str, str], float, str, str, str]] = [
    # seed 000: diaspora engagement abroad
    ("diaspora-population-abroad", None, {"origin_country": "EGY"}, 4_000_000, "about", "000",
     "Төрт миллионға жуық мысырлық"),
    ("diaspora-population-abroad", None, {"origin_country": "SRB"}, 3_900_000, "range", "000",
     "3,9 миллионнан 4,2 миллионға"),
    ("remittances-received-by-country", None, {"country": "SRB"}, 4.9, "about", "000",
     "шамамен 4,9 миллиард АҚШ долларын"),
    ("remittances-share-of-gdp", None, {"country": "SRB"}, 14, "exact", "000",
     "жалпы ішкі өнімінің 14%-ын"),
    ("diaspora-organisations", None, {"diaspora": "AFG", "residence": "DEU+DNK+GBR+SWE"}, 462,
     "exact", "000", "462 қауымдастық тіркелген"),
    ("diaspora-organisations", None, {"diaspora": "UKR", "residence": "world"}, 1000, "about",
     "000", "1000-ға жуық украин"),
    ("diaspora-organisations", None, {"diaspora": "SRB", "residence": "world"}, 1000,
     "more_than", "000", "1 мыңнан асатын"),
    ("diaspora-engagement-figures", None, {"country": "SEN",
     "measure": "expert-database-specialists"}, 5000, "exact", "000", "5000 білікті"),
    ("diaspora-engagement-figures", None, {"country": "world",
     "measure": "countries-with-diaspora-mps"}, 10, "exact", "000", "тағы он ел"),
    ("diaspora-engagement-figures", None, {"country": "MDA", "measure": "extension-localities"},
     101, "exact", "000", "қосымша 101 елді мекенге"),
    ("diaspora-engagement-figures", None, {"country": "KAZ",
     "measure": "kazakh-invest-proposals"}, 150, "more_than", "000", "150-ден астам"),
    # seed 001: migration in Kazakhstan, 2012-2021
    ("kandas-arrivals", "2016", {"origin_country": "total"}, 33_700, "exact", "001",
     "2016 жылы 33,7 мың қандас"),
    ("kandas-arrivals", "2019", {"origin_country": "total"}, 17_700, "exact", "001",
     "2019 жылы – 17,7 мың"),
    ("kandas-arrivals", "2020", {"origin_country": "total"}, 13_000, "more_than", "001",
     "13 мыңнан сәл астам"),
    ("kandas-arrivals", "2015", {"origin_country": "UZB"}, 12_800, "more_than", "001",
     "12,8 мыңнан астам"),
    ("remittances-inbound", "2019", {"origin_country": "total"}, 290.2, "exact", "001",
     "290,2 млрд теңге"),
    ("remittances-inbound", "2017", {"origin_country": "KOR"}, 25.88, "exact", "001",
     "25 млрд 880 млн теңге"),
    ("remittances-inbound-growth", None, {"origin_country": "TUR"}, 61.3, "exact", "001",
     "Түркиядан (өсім 61,3%)"),
    ("kazakhstani-labour-migrants-abroad", "2012", {"destination_country": "RUS"}, 34_100,
     "exact", "001", "2012 жылы – 34,1 мың адам"),
    ("kazakhstani-labour-migrants-abroad", "2020", {"destination_country": "GRC"}, 2249, "exact",
     "001", "Грецияда (2 249 адам)"),
    ("kazakhstani-labour-migrants-abroad", "2019", {"destination_country": "DEU"}, 2803,
     "exact", "001", "2 803 адам"),
    ("eu-unemployed-persons", "2021-06", {"country": "eu"}, 14_916_000, "exact", "001",
     "14 млн. 916 мың жұмыссыз"),
    ("foreign-workers-under-quota", "2015", {}, 37_900, "exact", "001", "37,9 мың"),
    ("foreign-workers-under-quota", None, {}, 25_500, "range", "001", "25,5-27,5 мың"),
    ("employer-permit-foreign-workers", "2021-11-01", {"measure": "workers"}, 16_100, "exact",
     "001", "16,1 мың шетелдік азамат"),
    ("employer-permit-foreign-workers", "2021-11-01", {"measure": "enterprises"}, 1700, "exact",
     "001", "1,7 мың кәсіпорында"),
    ("employer-permit-workers-by-sector", "2021-11-01", {"sector": "construction"}, 44, "exact",
     "001", "құрылыс (44%)"),
    ("labour-immigrant-permits", "2015", {}, 141_000, "exact", "001", "141 мың адамнан"),
    ("labour-immigrant-permits", "2019", {}, 532_000, "exact", "001", "532 мың адамға"),
    ("labour-immigrant-permits", "2021", {}, 325_000, "exact", "001", "325 мың адамға"),
    ("labour-immigrants-share-by-citizenship", "2020-2021", {"citizenship": "UZB"}, 94.5,
     "exact", "001", "94,5%-ын"),
    ("irregular-labour-migrants-estimate", None, {}, 300_000, "range", "001",
     "жылына 300-400 мың адамға"),
    ("students-outbound", "2021", {"destination_country": "total"}, 89_292, "exact", "001",
     "89 292 азаматы"),
    ("students-inbound", "2021", {"origin_country": "UZB"}, 26_130, "exact", "001",
     "Өзбекстаннан – 26 130 адам"),
    ("education-grants-by-foreign-governments", None, {"country": "HUN"}, 250, "exact", "001",
     "Венгрияның (250 грант)"),
    ("refugees", "2021-09-01", {"citizenship": "total"}, 371, "exact", "001", "371 босқын"),
    ("refugees", "2021-09-01", {"citizenship": "AFG"}, 341, "exact", "001",
     "341 – Ауғанстан азаматтары"),
    ("refugees", "2017", {"citizenship": "total"}, 608, "exact", "001", "2017 жылы – 608 адам"),
    ("refugee-recognition-rate", "2020", {}, 6, "exact", "001", "2020 жылы 6% — ға дейін"),
    ("stateless-persons", "2019", {}, 7416, "exact", "001", "2019 жылы – 7 416 Адам"),
    ("stateless-persons", "2021-07-01", {}, 6911, "exact", "001", "6 911 адам ие болған"),
    ("stateless-identification", "2020-10/2021-10", {"measure": "confirmed-citizens"}, 3400,
     "exact", "001", "3 400-і"),
    ("migration-enforcement", "2020", {"measure": "employers-penalised"}, 481, "exact", "001",
     "481 жұмыс беруші"),
    ("migration-digital-services", "2019", {"measure": "e-visas-issued"}, 26_000, "more_than",
     "001", "26 мыңнан астам электрондық виза"),
    ("remittances-inbound-share", None, {"origin_country": "RUS"}, 33.33, "at_least", "001",
     "кем дегенде үштен бірін"),
    ("refugee-shares", None, {"measure": "resident-over-5-years"}, 50, "more_than", "001",
     "жартысынан көбі"),
    # seed 002: Migration Policy Concept, 2000
    ("net-migration-per-1000", "1950-1959", {}, 12, "exact", "002", "тиісінше 12 және 5 адам"),
    ("net-migration-per-1000", "1960-1969", {}, 5, "exact", "002", "тиісінше 12 және 5 адам"),
    ("net-migration-per-1000", "1970-1979", {}, -5, "exact", "002", "кемуі тиісінше 5 және 7"),
    ("net-migration-per-1000", "1980-1989", {}, -7, "exact", "002", "кемуі тиісінше 5 және 7"),
    ("change-ratios", "1990-1999", {"measure": "natural-increase-fall"}, 2, "about", "002",
     "2 есеге дерлік азайды"),
    # seed 003: differentiated migration policy, 2025
    ("long-term-migration-flows", "2022", {"direction": "departures"}, 31_000, "about", "003",
     "шамамен 31 мыңға"),
    ("long-term-migration-flows", "2022", {"direction": "arrivals"}, 19_000, "about", "003",
     "19 мыңға бағаланды"),
    ("international-migrants-share", None, {}, 3.6, "about", "003", "шамамен 3,6% - ы"),
    ("remittances-received-by-country", "2021-2022", {"country": "TJK"}, 2.0, "range", "003",
     "2,5 млрд АҚШ долларын"),
    ("third-country-nationals-eu", "2021-2023", {"measure": "residents"}, 23_000_000, "range",
     "003", "23-24 миллион"),
    ("population-aged-65-plus-share", "2025", {"country": "developed-economies"}, 20, "exact",
     "003", "2025 жылы 20%"),
    # seed 004: internal and external migration, public opinion
    ("migrant-arrivals-by-country", "2022", {"origin_country": "UZB"}, 150_000, "exact", "004",
     "| Өзбекстан  | 150,000"),
    ("migrant-arrivals-by-country", "2022", {"origin_country": "TJK"}, 70_000, "exact", "004",
     "| Тәжікстан  | 70,000"),
    ("migrant-arrivals-by-country", "2022", {"origin_country": "KGZ+TJK+UZB"}, 300_000,
     "more_than", "004", "300,000-нан астам еңбек мигранттары"),
    ("migrants-staying-share", "2022", {"origin_country": "KGZ"}, 35, "exact", "004", "| 35"),
    ("migrants-staying-share", None, {"origin_country": "RUS"}, 60, "about", "004",
     "шамамен 60%-ы елде тұрақты түрде қалуды"),
    ("city-migration-indicators", None, {"region": ALMATY, "measure": "arrivals"}, 150_000,
     "more_than", "004", "Алматыға 150,000-нан астам адам келді"),
    ("rural-settlement-figures", "2022", {"measure": "auyl-el-besigi-funded-settlements"}, 800,
     "about", "004", "800-ге жуық ауылдық елді мекендерге"),
    ("youth-moving-to-rural-areas", "2022", {"measure": "persons"}, 30_000, "exact", "004",
     "30 000 адамды құрады"),
    ("public-opinion-on-migration", None, {"survey": "large-cities-residents",
     "question": "attitude-to-mass-inflow", "answer": "against"}, 25, "exact", "004",
     "Қарсы ойлар: 25%"),
    ("public-opinion-on-migration", "2023", {"survey": "surveys-2023",
     "question": "migration-raises-crime", "answer": "agree"}, 40, "exact", "004",
     "респонденттердің 40%-ы"),
]


def test_the_sample_is_broad() -> None:
    assert len(DOCUMENT_FIGURES) >= 40
    assert {row[5] for row in DOCUMENT_FIGURES} == set(SEEDS)


@pytest.mark.parametrize(
    ("series_id", "period", "dimensions", "expected", "qualifier", "seed", "written"),
    DOCUMENT_FIGURES,
    ids=[f"{row[0]}|{row[1]}|{'/'.join(row[2].values())}" for row in DOCUMENT_FIGURES],
)
def test_a_value_says_what_the_document_says(
    catalog: ReferenceCatalog,
    series_id: str,
    period: str | None,
    dimensions: dict[str, str],
    expected: float,
    qualifier: str,
    seed: str,
    written: str,
) -> None:
    text = document(seed)
    assert written in text, f"the document {seed} does not contain {written!r}"
    candidates = [
        value
        for value in find(catalog, series_id, period, dimensions)
        if written in value.source.quote
    ]
    assert len(candidates) == 1, f"{len(candidates)} values quote {written!r}"
    value = candidates[0]
    assert value.value == pytest.approx(expected)
    assert value.qualifier.value == qualifier
    assert value.source.seed == SEEDS[seed]
    at = value.source.offset
    assert text[at : at + len(value.source.quote)] == value.source.quote
    assert text.find(written, at) < at + len(value.source.quote)


# --- quality flags for the inconsistencies the notes list --------------------------------------

# (series, period, dimensions, flag, a word of the reason)
FLAGGED: list[tuple[str, str | None, dict[str, str], QualityFlag, str]] = [
    # 001: South Korea 56.8 bn for 2018 and 2020, 2019 missing
    ("remittances-inbound", "2018", {"origin_country": "KOR"}, QualityFlag.INCONSISTENT, "2019"),
    ("remittances-inbound", "2020", {"origin_country": "KOR"}, QualityFlag.INCONSISTENT, "2019"),
    # 001: Kazakhstani migrants in Russia 111.5k in 2019 and 2020; 25k vs 111.5k for 2020
    ("kazakhstani-labour-migrants-abroad", "2019", {"destination_country": "RUS"},
     QualityFlag.INCONSISTENT, "copy error"),
    ("kazakhstani-labour-migrants-abroad", "2020", {"destination_country": "RUS"},
     QualityFlag.INCONSISTENT, "111.5"),
    # 001: EU ranking out of order (Greece second at 27.9, Italy third at 29.4)
    ("eu-unemployment-rate", "2021-06", {"country": "GRC"}, QualityFlag.INCONSISTENT, "ranking"),
    ("eu-unemployment-rate", "2021-06", {"country": "ITA"}, QualityFlag.INCONSISTENT, "ranking"),
    ("eu-unemployment-rate", "2021-06", {"country": "ESP"}, QualityFlag.UNCLEAR, "youth"),
    # 001: remittance growth 'since the beginning of the year' with no year
    ("remittances-inbound-growth", None, {"origin_country": "KGZ"}, QualityFlag.UNCLEAR, "year"),
    # 001: 'sharp increase' to 325k after 532k
    ("labour-immigrant-permits", "2021", {}, QualityFlag.INCONSISTENT, "sharp increase"),
    # 001: stateless 'unchanged at about 7 thousand' with 6,706 to 7,416
    ("stateless-persons", None, {}, QualityFlag.INCONSISTENT, "7,416"),
    # 003: Tajikistan remittances per year or in total, low against other figures
    ("remittances-received-by-country", "2021-2022", {"country": "TJK"}, QualityFlag.UNCLEAR,
     "per year"),
    # 004: Almaty 10% growth against 150,000 arrivals = 5%
    ("city-migration-indicators", "2023", {"region": ALMATY, "measure": "population-growth"},
     QualityFlag.INCONSISTENT, "150,000"),
    ("city-migration-indicators", None,
     {"region": ALMATY, "measure": "arrivals-share-of-population"}, QualityFlag.INCONSISTENT,
     "10%"),
    # 004: +10%, 'that is, 30,000 people'
    ("youth-moving-to-rural-areas", "2022", {"measure": "persons"}, QualityFlag.UNCLEAR,
     "ambiguous"),
    # 004: a 2001 book cited for 2021 data
    ("rural-settlement-figures", "2021", {"measure": "villages-up-to-1000-residents"},
     QualityFlag.UNCLEAR, "2001"),
    # 004: 'more than 300,000' against Table 2 rows adding up to exactly 300,000
    ("migrant-arrivals-by-country", "2022", {"origin_country": "KGZ+TJK+UZB"},
     QualityFlag.INCONSISTENT, "exactly 300,000"),
    # 004: Table 2 cited to a news item of 27.09.2022
    ("migrant-arrivals-by-country", "2022", {"origin_country": "RUS"}, QualityFlag.UNCLEAR,
     "27.09.2022"),
    # 004: 2023 surveys cited to a 2022 paper; Table 1 without year, sample or method
    ("public-opinion-on-migration", "2023", {"survey": "surveys-2023",
     "question": "migrants-help-economy", "answer": "agree"}, QualityFlag.UNCLEAR, "2022"),
    ("public-opinion-on-migration", None, {"survey": "large-cities-residents",
     "question": "feel-labour-market-competition", "answer": "yes"}, QualityFlag.UNCLEAR,
     "sample"),
]


@pytest.mark.parametrize(
    ("series_id", "period", "dimensions", "flag", "reason_word"),
    FLAGGED,
    ids=[f"{row[0]}|{row[1]}|{'/'.join(row[2].values())}" for row in FLAGGED],
)
def test_inconsistencies_in_the_documents_are_flagged(
    catalog: ReferenceCatalog,
    series_id: str,
    period: str | None,
    dimensions: dict[str, str],
    flag: QualityFlag,
    reason_word: str,
) -> None:
    values = find(catalog, series_id, period, dimensions)
    assert values
    for value in values:
        assert value.quality.flag is flag
        assert value.quality.reason is not None
        assert reason_word in value.quality.reason


def test_consistent_figures_are_not_flagged(catalog: ReferenceCatalog) -> None:
    for series_id, period, dimensions in (
        ("kandas-arrivals", "2016", {"origin_country": "total"}),
        ("refugees", "2021-09-01", {"citizenship": "AFG"}),
        ("net-migration-per-1000", "1950-1959", {}),
        ("labour-immigrant-permits", "2019", {}),
    ):
        (value,) = find(catalog, series_id, period, dimensions)
        assert value.quality.flag is QualityFlag.OK
        assert value.quality.reason is None


def test_only_the_flagged_russia_2020_figures_share_a_period_and_dimensions(
    catalog: ReferenceCatalog,
) -> None:
    duplicates: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], int] = defaultdict(int)
    for series in catalog.series:
        for value in series.values:
            duplicates[(series.id, value.period, tuple(sorted(value.dimensions.items())))] += 1
    repeated = {key for key, count in duplicates.items() if count > 1}
    assert repeated == {
        ("kazakhstani-labour-migrants-abroad", "2020", (("destination_country", "RUS"),))
    }
    values = find(catalog, "kazakhstani-labour-migrants-abroad", "2020",
                  {"destination_country": "RUS"})
    assert sorted(value.value for value in values) == [25_000, 111_500]
    assert all(value.quality.flag is QualityFlag.INCONSISTENT for value in values)


def test_parts_add_up_where_the_documents_say_they_do(catalog: ReferenceCatalog) -> None:
    refugees = {
        v.dimensions["citizenship"]: v.value
        for v in get_series(catalog, "refugees").values
        if v.period == "2021-09-01"
    }
    assert refugees["AFG"] + refugees["SYR"] + refugees["other"] == refugees["total"]
    answers: defaultdict[str, float] = defaultdict(float)
    for value in get_series(catalog, "public-opinion-on-migration").values:
        if value.dimensions["survey"] == "large-cities-residents":
            answers[value.dimensions["question"]] += value.value
    assert answers == {
        "attitude-to-mass-inflow": 100,
        "feel-labour-market-competition": 100,
        "migrants-raise-living-standard": 100,
    }


# --- the loader refuses a catalogue that does not match its documents --------------------------


def first_value(document_: dict[str, Any], series_id: str) -> dict[str, Any]:
    series = next(s for s in document_["series"] if s["id"] == series_id)
    value: dict[str, Any] = series["values"][0]
    return value


def test_the_raw_file_parses_to_the_loaded_catalogue(catalog: ReferenceCatalog) -> None:
    assert parse_catalog(raw_catalog()) == catalog


def test_a_moved_offset_fails_loudly() -> None:
    broken = raw_catalog()
    first_value(broken, "kandas-arrivals")["source"]["offset"] += 1
    with pytest.raises(ReferenceCatalogError, match="quote not at offset"):
        parse_catalog(broken)


def test_a_value_not_written_in_its_quote_fails_loudly() -> None:
    broken = raw_catalog()
    value = next(
        v for v in next(s for s in broken["series"] if s["id"] == "kandas-arrivals")["values"]
        if v["period"] == "2016"
    )
    value["value"] = 33_800
    with pytest.raises(ReferenceCatalogError, match="not written in the quote"):
        parse_catalog(broken)


def test_a_duplicate_series_id_fails_loudly() -> None:
    broken = raw_catalog()
    broken["series"].append(copy.deepcopy(broken["series"][0]))
    with pytest.raises(ReferenceCatalogError, match="duplicate series id"):
        parse_catalog(broken)


def test_an_unflagged_duplicate_value_fails_loudly() -> None:
    broken = raw_catalog()
    series = next(s for s in broken["series"] if s["id"] == "refugees")
    series["values"].append(copy.deepcopy(series["values"][0]))
    with pytest.raises(ReferenceCatalogError, match="not all of them flagged"):
        parse_catalog(broken)


def test_a_flag_without_a_reason_fails_loudly() -> None:
    broken = raw_catalog()
    first_value(broken, "kandas-arrivals")["quality"] = {"flag": "unclear"}
    with pytest.raises(ReferenceCatalogError, match="needs a reason"):
        parse_catalog(broken)


def test_an_unknown_seed_fails_loudly() -> None:
    broken = raw_catalog()
    first_value(broken, "kandas-arrivals")["source"]["seed"] = "009_0123abcd.txt"
    with pytest.raises(ReferenceCatalogError, match="not a listed document"):
        parse_catalog(broken)


def test_a_range_needs_its_upper_end() -> None:
    broken = raw_catalog()
    value = first_value(broken, "irregular-labour-migrants-estimate")
    del value["value_max"]
    with pytest.raises(ReferenceCatalogError, match="value_max"):
        parse_catalog(broken)


# --- numbers as the documents write them -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("33,7 мың қандас", 33_700),
        ("13 мыңнан сәл астам", 13_000),
        ("25 млрд 880 млн теңге", 25_880_000_000),
        ("14 млн. 916 мың жұмыссыз", 14_916_000),
        ("Төрт миллионға жуық", 4_000_000),
        ("89 292 азаматы", 89_292),
        ("150,000-нан астам", 150_000),
        ("25,5-27,5 мың адамға", 25_500),
        ("25,5-27,5 мың адамға", 27_500),
        ("шамамен 2,0-\n2,5 млрд", 2_000_000_000),
        ("тағы он ел", 10),
        ("олардың үшеуі", 3),
        ("кем дегенде үштен бірін", 33.33),
        ("жартысынан көбі", 50),
    ],
)
def test_numbers_are_read_in_the_forms_the_documents_use(written: str, number: float) -> None:
    assert number in numbers_in_text(written)


def test_a_word_that_only_begins_with_a_number_word_is_not_a_number() -> None:
    assert numbers_in_text("онда бестен") == set()
    assert not states_number("2016 жылы 33,7 мың", 33_800)
    assert states_number("290,2 млрд теңге", 290.2, scale=1e9)
