"""Labour-immigrant permits through HTTP, on SQLite and on the real PostgreSQL: presence from
registration's events, eligibility, the tax prepayment, the employer's limit, lapse and revival."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx

from permits.dates import term_end
from permits.jobs import run_deadlines
from permits.rulebook import rules_path
from shared.rules import RuleBook, RuleSource
from shared.service import Service

ALMATY = "750000000"
RATE_MCI = 4  # per month since 2025 (rules.yaml)


def tax(months: int, on: date) -> int:
    mci = {2025: 3932, 2026: 4325}[on.year] if on.year in (2025, 2026) else None
    if mci is None:  # a later year: the newest MCI in the rules applies
        mci = 4325
    return months * RATE_MCI * mci


def permit_request(person_id: str, iin: str, today: date, *, months: int = 3,
                   citizenship: str = "UZB", birth_date: str = "1990-05-01",
                   amount: int | None = None, reference: str | None = None) -> dict[str, Any]:
    return {
        "foreigner": {"person_id": person_id, "citizenship": citizenship,
                      "birth_date": birth_date},
        "employer_iin": iin,
        "region": ALMATY,
        "months": months,
        "payment": {"amount": amount if amount is not None else tax(months, today),
                    "paid_on": today.isoformat(),
                    "payment_reference": reference or f"KGD-{person_id[:8]}-{months}"},
    }


async def set_quota(client: httpx.AsyncClient, year: int, limit: int = 100) -> None:
    response = await client.put(f"/api/v1/quotas/{year}/{ALMATY}/labour-immigrant",
                                json={"limit": limit})
    assert response.status_code == 200


async def issue(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/v1/labour-immigrant-permits", json=body)


async def pay(client: httpx.AsyncClient, number: str, months: int, paid_on: date,
              reference: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/labour-immigrant-permits/{number}/payments",
        json={"months": months, "amount": tax(months, paid_on), "paid_on": paid_on.isoformat(),
              "payment_reference": reference},
    )


async def test_a_present_foreigner_gets_a_permit_for_the_months_prepaid(
    client: httpx.AsyncClient, outbox: Any, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year, 10)
    person = await presence.arrive(citizenship="UZB")
    response = await issue(client, permit_request(person, new_iin(), today, months=3))
    assert response.status_code == 201, response.text
    permit = response.json()
    assert permit["status"] == "active"
    assert permit["permit_number"].startswith(f"LI{today.year}75")
    assert permit["paid_until"] == term_end(today, months=3).isoformat()
    assert permit["months_paid"] == 3
    assert permit["last_payment"]["rate_mci"] == RATE_MCI
    assert permit["last_payment"]["amount"] == tax(3, today)
    assert "labour_immigrant.tax_mci_per_month@v2" in permit["rules_applied"]
    quota = (await client.get(f"/api/v1/quotas/{today.year}",
                              params={"category": "labour-immigrant"})).json()["quotas"][0]
    assert (quota["used"], quota["remaining"]) == (1, 9)

    [event] = await outbox.events("labour-immigrant-permit.issued")
    assert event["topic"] == "koshqon.permits.labour-immigrant-permits"
    assert event["subject"] == permit["permit_number"]
    assert event["data"] == {
        "permit_number": permit["permit_number"], "person_id": person, "citizenship": "UZB",
        "region": ALMATY, "category": "labour-immigrant", "issued_on": today.isoformat(),
        "valid_from": today.isoformat(), "paid_until": permit["paid_until"], "months_paid": 3,
        "quota_year": today.year,
    }
    assert "1990-05-01" not in event["raw"]


async def test_a_person_without_an_arrival_notification_is_refused(
    client: httpx.AsyncClient, outbox: Any, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year)
    stranger = "0b7c3f1e-8d2a-4c1b-9f3e-2a1d5c6b7e8f"
    response = await issue(client, permit_request(stranger, new_iin(), today))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:koshqon:problem:permit.refused"
    assert problem["errors"] == [{
        "field": "foreigner.person_id", "code": "not_present",
        "message": "The foreigner has no current arrival notification"}]

    gone = await presence.arrive(entry=today - timedelta(days=40), stay_days=30)
    expired_stay = await issue(client, permit_request(gone, new_iin(), today))
    assert expired_stay.json()["errors"][0]["code"] == "not_present"

    other = await presence.arrive(citizenship="TJK")
    mismatch = await issue(client, permit_request(other, new_iin(), today, citizenship="UZB"))
    assert mismatch.json()["errors"][0]["code"] == "citizenship_mismatch"
    assert await outbox.events() == [e for e in await outbox.events() if e["type"] == "quota.set"]


async def test_only_eligible_citizenships_and_1_to_12_months(
    client: httpx.AsyncClient, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year)
    kyrgyz = await presence.arrive(citizenship="KGZ")
    response = await issue(client, permit_request(kyrgyz, new_iin(), today, citizenship="KGZ"))
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["citizenship_not_eligible"]
    uzbek = await presence.arrive(citizenship="UZB")
    too_long = await issue(client, permit_request(uzbek, new_iin(), today, months=13))
    assert too_long.json()["errors"][0] == {
        "field": "months", "code": "months_range",
        "message": "The months must be between 1 and 12"}
    underpaid = await issue(client, permit_request(uzbek, new_iin(), today, amount=1000))
    assert underpaid.json()["errors"][0]["field"] == "payment.amount"


async def test_an_individual_employs_at_most_five_immigrants(
    client: httpx.AsyncClient, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year)
    iin = new_iin()
    for _ in range(5):
        person = await presence.arrive()
        assert (await issue(client, permit_request(person, iin, today))).status_code == 201
    sixth = await presence.arrive()
    refused = await issue(client, permit_request(sixth, iin, today))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "employer_limit"
    elsewhere = await issue(client, permit_request(sixth, new_iin(), today))
    assert elsewhere.status_code == 201


async def test_no_place_in_the_labour_immigrant_quota_refuses_the_permit(
    client: httpx.AsyncClient, presence: Any, new_iin: Any, today: date
) -> None:
    person = await presence.arrive()
    no_quota = await issue(client, permit_request(person, new_iin(), today))
    assert no_quota.status_code == 409
    assert no_quota.json()["type"] == "urn:koshqon:problem:quota.not_set"
    await set_quota(client, today.year, 1)
    assert (await issue(client, permit_request(person, new_iin(), today))).status_code == 201
    other = await presence.arrive()
    full = await issue(client, permit_request(other, new_iin(), today))
    assert full.status_code == 409
    assert full.json()["type"] == "urn:koshqon:problem:quota.exhausted"


async def test_payments_extend_the_paid_period_up_to_twelve_months(
    client: httpx.AsyncClient, outbox: Any, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year)
    person = await presence.arrive()
    permit = (await issue(client, permit_request(person, new_iin(), today, months=2))).json()
    number = permit["permit_number"]
    paid = await pay(client, number, 4, today, "KGD-EXT-1")
    assert paid.status_code == 200, paid.text
    end = date.fromisoformat(permit["paid_until"])
    assert paid.json()["paid_until"] == term_end(end + timedelta(days=1), months=4).isoformat()
    assert paid.json()["months_paid"] == 6
    too_much = await pay(client, number, 7, today, "KGD-EXT-2")
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["code"] == "months_total"
    duplicate = await pay(client, number, 1, today, "KGD-EXT-1")
    assert duplicate.json()["errors"][0]["code"] == "duplicate"
    [event] = await outbox.events("labour-immigrant-permit.paid")
    assert event["data"]["months"] == 4
    assert event["data"]["months_paid"] == 6
    assert event["data"]["paid_from"] == (end + timedelta(days=1)).isoformat()
    assert event["data"]["revived"] is False


async def test_the_permit_lapses_the_day_after_its_paid_period_once(
    client: httpx.AsyncClient, service: Service, outbox: Any, presence: Any, new_iin: Any,
    today: date,
) -> None:
    await set_quota(client, today.year)
    person = await presence.arrive()
    permit = (await issue(client, permit_request(person, new_iin(), today, months=1))).json()
    paid_until = date.fromisoformat(permit["paid_until"])

    assert (await run_deadlines(service, today=paid_until))["labour_immigrant_permits_lapsed"] == 0
    day_after = paid_until + timedelta(days=1)
    assert (await run_deadlines(service, today=day_after))["labour_immigrant_permits_lapsed"] == 1
    assert (await run_deadlines(service, today=day_after))["labour_immigrant_permits_lapsed"] == 0
    [lapsed] = await outbox.events("labour-immigrant-permit.lapsed")
    assert lapsed["data"] | {"permit_number": None} == {
        "permit_number": None, "person_id": person, "citizenship": "UZB", "region": ALMATY,
        "category": "labour-immigrant", "lapsed_on": day_after.isoformat(),
        "paid_until": paid_until.isoformat(), "months_paid": 1,
    }
    assert json.dumps(lapsed["data"]).find("1990-05-01") == -1


async def test_a_payment_after_the_lapse_revives_the_permit_only_if_the_rules_allow(
    client: httpx.AsyncClient, service: Service, outbox: Any, presence: Any, new_iin: Any,
    today: date, set_today: Any,
) -> None:
    await set_quota(client, today.year)
    person = await presence.arrive()
    permit = (await issue(client, permit_request(person, new_iin(), today, months=1))).json()
    number = permit["permit_number"]
    paid_until = date.fromisoformat(permit["paid_until"])
    late_day = paid_until + timedelta(days=3)
    await run_deadlines(service, today=paid_until + timedelta(days=1))
    set_today(late_day)

    refused = await pay(client, number, 2, late_day, "KGD-LATE-1")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "revival_not_allowed"

    # An administrator allows a grace period of 10 days (a new rule version).
    rules = RuleBook.from_yaml(rules_path())
    rules.add_version(
        "labour_immigrant.revival_grace_days", effective_from=date(2015, 1, 1), value=10,
        source=RuleSource(document="Test order"), marked=True,
    )
    service.state["rules"] = rules
    revived = await pay(client, number, 2, late_day, "KGD-LATE-2")
    assert revived.status_code == 200, revived.text
    assert revived.json()["status"] == "active"
    assert revived.json()["paid_until"] == term_end(
        paid_until + timedelta(days=1), months=2).isoformat()
    assert "labour_immigrant.revival_grace_days@v2" in revived.json()["rules_applied"]
    [paid] = await outbox.events("labour-immigrant-permit.paid")
    assert paid["data"]["revived"] is True

    # Past the grace period nothing revives it.
    second = (await issue(client, permit_request(await presence.arrive(), new_iin(), today,
                                                 months=1))).json()
    second_end = date.fromisoformat(second["paid_until"])
    await run_deadlines(service, today=second_end + timedelta(days=1))
    too_late = second_end + timedelta(days=11)
    set_today(too_late)
    late = await pay(client, second["permit_number"], 1, too_late, "KGD-LATE-3")
    assert late.json()["errors"][0]["code"] == "revival_not_allowed"


async def test_a_change_of_employer_respects_the_new_employers_limit(
    client: httpx.AsyncClient, outbox: Any, presence: Any, new_iin: Any, today: date
) -> None:
    await set_quota(client, today.year)
    busy = new_iin()
    for _ in range(5):
        assert (await issue(client, permit_request(await presence.arrive(), busy, today))
                ).status_code == 201
    permit = (await issue(client, permit_request(await presence.arrive(), new_iin(), today))
              ).json()
    url = f"/api/v1/labour-immigrant-permits/{permit['permit_number']}/employer-change"
    full = await client.post(url, json={"employer_iin": busy})
    assert full.status_code == 422
    assert full.json()["errors"][0]["code"] == "employer_limit"
    moved = await client.post(url, json={"employer_iin": new_iin()})
    assert moved.status_code == 200
    [event] = await outbox.events("labour-immigrant-permit.employer-changed")
    assert busy not in event["raw"]
    assert set(event["data"]) == {"permit_number", "person_id", "citizenship", "region",
                                  "category", "changed_on"}
