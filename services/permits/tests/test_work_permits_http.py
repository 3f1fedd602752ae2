"""Employers' work permits through HTTP, on SQLite and on the real PostgreSQL: filing and its
rule checks, the akimat's decision and the quota, the fee, lapse, extension, revocation."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from permits.dates import term_end
from permits.jobs import run_deadlines
from shared.calendar import default_calendar
from shared.service import Service

ALMATY = "750000000"
ALMATY_REGION = "190000000"
MCI_2026 = 4325


async def set_quota(client: httpx.AsyncClient, year: int, category: str, limit: int,
                    region: str = ALMATY) -> None:
    response = await client.put(f"/api/v1/quotas/{year}/{region}/{category}",
                                json={"limit": limit})
    assert response.status_code == 200, response.text


async def ledger(client: httpx.AsyncClient, year: int, category: str,
                 region: str = ALMATY) -> dict[str, Any]:
    response = await client.get(f"/api/v1/quotas/{year}",
                                params={"region": region, "category": category})
    [quota] = response.json()["quotas"]
    return {k: quota[k] for k in ("limit", "reserved", "used", "remaining")}


async def apply(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = await client.post("/api/v1/work-permits/applications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def decide(client: httpx.AsyncClient, application_id: str, decision: str = "approve",
                 **headers: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/work-permits/applications/{application_id}/decision",
        json={"decision": decision}, headers=headers,
    )


async def pay(client: httpx.AsyncClient, approved: dict[str, Any], paid_on: date,
              reference: str = "PAY-1", amount: int | None = None) -> httpx.Response:
    return await client.post(
        f"/api/v1/work-permits/{approved['permit_number']}/fee-payments",
        json={"amount": amount or approved["fee"]["amount"], "paid_on": paid_on.isoformat(),
              "payment_reference": reference},
    )


async def issued_permit(client: httpx.AsyncClient, body: dict[str, Any], today: date
                        ) -> dict[str, Any]:
    await set_quota(client, today.year, body["category"], 10, region=ALMATY)
    application = await apply(client, body)
    approved = (await decide(client, application["application_id"])).json()
    response = await pay(client, approved, today)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_apply_approve_pay_issues_the_permit_and_moves_the_quota_place(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date
) -> None:
    await set_quota(client, today.year, "3", 2)
    body = application(category="3", sector="F")
    filed = await apply(client, body, **{"X-Case-Id": "CASE-7"})
    assert filed["status"] == "submitted"
    assert filed["decision_due"] == default_calendar().add_working_days(today, 7).isoformat()
    assert "work_permit.local_content_min_citizen_percent@v1" in filed["rules_applied"]

    approved_response = await decide(client, filed["application_id"])
    assert approved_response.status_code == 200, approved_response.text
    approved = approved_response.json()
    assert approved["status"] == "approved"
    assert approved["permit_number"].startswith(f"WP{today.year}75")
    fee = approved["fee"]
    mci = {2024: 3692, 2025: 3932, 2026: 4325}.get(today.year)
    if mci is not None:
        assert fee["mci"] == mci
    assert fee["coefficient"] == 185  # construction (F), category 3
    assert fee["amount"] == fee["mci"] * fee["coefficient"]
    assert fee["payment_deadline"] == default_calendar().add_working_days(today, 10).isoformat()
    assert "mci.tenge@v" in " ".join(approved["rules_applied"])
    assert len(set(approved["rules_applied"])) == len(approved["rules_applied"])
    assert await ledger(client, today.year, "3") == {
        "limit": 2, "reserved": 1, "used": 0, "remaining": 1}

    wrong = await pay(client, approved, today, amount=fee["amount"] - 1)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0] == {
        "field": "amount", "code": "fee_amount",
        "message": f"The amount must be {fee['amount']} tenge"}
    paid = await pay(client, approved, today)
    assert paid.status_code == 200, paid.text
    permit = paid.json()
    assert permit["status"] == "issued"
    assert permit["valid_from"] == today.isoformat()
    assert permit["valid_until"] == term_end(today, years=1).isoformat()
    assert await ledger(client, today.year, "3") == {
        "limit": 2, "reserved": 0, "used": 1, "remaining": 1}
    again = await pay(client, approved, today, reference="PAY-2")
    assert again.status_code == 409

    read = (await client.get(f"/api/v1/work-permits/applications/{filed['application_id']}"))
    assert [s["action"] for s in read.json()["history"]] == ["applied", "approved", "fee_paid"]

    events = await outbox.events()
    assert [e["type"] for e in events] == [
        "quota.set", "work-permit.applied", "work-permit.approved", "work-permit.issued"]
    issued = events[-1]
    assert issued["topic"] == "koshqon.permits.work-permits"
    assert issued["subject"] == filed["application_id"]
    assert issued["data"] | {"paid_on": None} == {
        "application_id": filed["application_id"], "permit_number": approved["permit_number"],
        "person_id": body["worker"]["person_id"], "citizenship": "TUR", "region": ALMATY,
        "category": "3", "employer_bin": body["employer_bin"],
        "intra_corporate_transfer": False, "paid_on": None, "issued_on": today.isoformat(),
        "valid_from": today.isoformat(), "valid_until": permit["valid_until"],
        "fee_amount": fee["amount"],
    }
    assert "1988-03-14" not in json.dumps([e["raw"] for e in events])


async def test_too_few_citizens_among_the_staff_refuses_the_application(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date
) -> None:
    # 3-4: 170 citizens, 25 + 1 foreigners = 86.7% < 90%.
    body = application(category="4", citizens={"3": 100, "4": 70}, foreigners={"3": 10, "4": 15})
    filed = await apply(client, body)
    assert filed["status"] == "refused"
    assert filed["decided_on"] == today.isoformat()
    assert filed["refusal_reasons"] == [{
        "code": "local_content",
        "params": {"categories": ["3", "4"], "min_citizen_percent": 90, "citizen_percent": 86.7},
    }]
    refused = await outbox.events("work-permit.refused")
    assert [e["data"]["reasons"] for e in refused] == [["local_content"]]
    assert refused[0]["data"]["refused_by"] == "rules"
    approve = await decide(client, filed["application_id"])
    assert approve.status_code == 409
    assert approve.json()["type"] == "urn:koshqon:problem:permit.state"

    # Categories 1-2 count against 70%: 7 citizens, 2 + 1 foreigners = 70% passes.
    ok = await apply(client, application(category="2", citizens={"1": 2, "2": 5, "3": 200},
                                         foreigners={"1": 1, "2": 1}))
    assert ok["status"] == "submitted"


async def test_a_small_employer_is_exempt_from_the_local_content_check(
    client: httpx.AsyncClient, application: Any
) -> None:
    # 10 foreigners and 19 citizens (+1 hire = 30 staff): at the exemption threshold.
    small = await apply(client, application(category="3", citizens={"3": 19},
                                            foreigners={"3": 10}))
    assert small["status"] == "submitted"
    assert "work_permit.local_content_exempt_max_staff@v1" in small["rules_applied"]
    bigger = await apply(client, application(category="3", citizens={"3": 20},
                                             foreigners={"3": 10}))
    assert bigger["status"] == "refused"


async def test_seasonal_work_only_for_listed_occupations_and_citizenships(
    client: httpx.AsyncClient, outbox: Any, application: Any
) -> None:
    unlisted = await apply(client, application(category="seasonal", occupation="2142",
                                               citizenship="UZB", sector="A"))
    assert unlisted["status"] == "refused"
    assert unlisted["refusal_reasons"] == [
        {"code": "seasonal_occupation", "params": {"occupation": "2142"}}]
    foreign = await apply(client, application(category="seasonal", occupation="9211",
                                              citizenship="TUR", sector="A"))
    assert [r["code"] for r in foreign["refusal_reasons"]] == ["seasonal_citizenship"]
    listed = await apply(client, application(category="seasonal", occupation="9211",
                                             citizenship="TJK", sector="A"))
    assert listed["status"] == "submitted"
    assert "work_permit.seasonal_occupations@v1" in listed["rules_applied"]
    assert len(await outbox.events("work-permit.refused")) == 2


async def test_only_an_officer_of_the_region_decides(
    client: httpx.AsyncClient, tokens: Any, application: Any, today: date
) -> None:
    await set_quota(client, today.year, "3", 5)
    filed = await apply(client, application(region="751110000"))
    elsewhere = tokens.bearer("permits:decide", region=ALMATY_REGION)
    denied = await decide(client, filed["application_id"], **elsewhere)
    assert denied.status_code == 403
    assert denied.json()["type"] == "urn:koshqon:problem:forbidden_region"
    employer = tokens.bearer("permits:work-permits:apply")
    assert (await decide(client, filed["application_id"], **employer)).status_code == 403
    other_read = await client.get(
        f"/api/v1/work-permits/applications/{filed['application_id']}", headers=elsewhere)
    assert other_read.status_code == 403
    officer = tokens.bearer("permits:decide", region=ALMATY, subject="akimat-almaty-1")
    approved = await decide(client, filed["application_id"], **officer)
    assert approved.status_code == 200
    history = (await client.get(f"/api/v1/work-permits/applications/{filed['application_id']}",
                                headers=officer)).json()["history"]
    assert history[-1]["actor"] == "akimat-almaty-1"


async def test_no_place_left_refuses_the_approval_and_keeps_the_application(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date
) -> None:
    nothing = await apply(client, application(category="1"))
    no_quota = await decide(client, nothing["application_id"])
    assert no_quota.status_code == 409
    assert no_quota.json()["type"] == "urn:koshqon:problem:quota.not_set"

    await set_quota(client, today.year, "1", 1)
    first = await apply(client, application(category="1"))
    second = await apply(client, application(category="1"))
    assert (await decide(client, first["application_id"])).status_code == 200
    full = await decide(client, second["application_id"])
    assert full.status_code == 409
    assert full.json()["type"] == "urn:koshqon:problem:quota.exhausted"
    kept = (await client.get(f"/api/v1/work-permits/applications/{second['application_id']}"))
    assert kept.json()["status"] == "submitted"
    assert kept.json()["permit_number"] is None
    assert await ledger(client, today.year, "1") == {
        "limit": 1, "reserved": 1, "used": 0, "remaining": 0}
    assert len(await outbox.events("work-permit.approved")) == 1

    # The officer may still refuse it; a refusal takes no place.
    refused = await decide(client, second["application_id"], "refuse")
    assert refused.json()["status"] == "refused"
    assert (await ledger(client, today.year, "1"))["reserved"] == 1


async def test_an_intra_corporate_transfer_takes_no_quota_place(
    client: httpx.AsyncClient, application: Any, today: date
) -> None:
    filed = await apply(client, application(category="2", intra_corporate_transfer=True))
    approved = (await decide(client, filed["application_id"])).json()
    assert approved["status"] == "approved"
    assert approved["quota_year"] is None
    paid = await pay(client, approved, today)
    assert paid.json()["status"] == "issued"
    ledger_page = (await client.get(f"/api/v1/quotas/{today.year}")).json()
    assert ledger_page["quotas"] == []


async def test_an_unpaid_fee_lapses_once_and_releases_its_place(
    client: httpx.AsyncClient, service: Service, outbox: Any, application: Any, today: date
) -> None:
    await set_quota(client, today.year, "3", 1)
    filed = await apply(client, application())
    approved = (await decide(client, filed["application_id"])).json()
    deadline = date.fromisoformat(approved["fee"]["payment_deadline"])
    assert (await ledger(client, today.year, "3"))["remaining"] == 0

    on_the_last_day = await run_deadlines(service, today=deadline)
    assert on_the_last_day["work_permits_lapsed"] == 0
    day_after = deadline + timedelta(days=1)
    first = await run_deadlines(service, today=day_after)
    second = await run_deadlines(service, today=day_after)
    assert first["work_permits_lapsed"] == 1
    assert second["work_permits_lapsed"] == 0

    lapsed = await outbox.events("work-permit.lapsed")
    assert len(lapsed) == 1
    assert lapsed[0]["data"]["place_released"] is True
    assert lapsed[0]["data"]["lapsed_on"] == day_after.isoformat()
    assert await ledger(client, today.year, "3") == {
        "limit": 1, "reserved": 0, "used": 0, "remaining": 1}
    late = await pay(client, approved, today)
    assert late.status_code == 409
    assert late.json()["type"] == "urn:koshqon:problem:fee.deadline_passed"
    state = (await client.get(f"/api/v1/work-permits/applications/{filed['application_id']}"))
    assert state.json()["status"] == "lapsed"

    # The released place goes to the next approval.
    other = await apply(client, application())
    assert (await decide(client, other["application_id"])).status_code == 200


async def test_a_payment_after_the_deadline_is_refused_before_the_job_runs(
    client: httpx.AsyncClient, application: Any, today: date, set_today: Any
) -> None:
    await set_quota(client, today.year, "3", 1)
    filed = await apply(client, application())
    approved = (await decide(client, filed["application_id"])).json()
    deadline = date.fromisoformat(approved["fee"]["payment_deadline"])
    set_today(deadline + timedelta(days=3))
    late = await pay(client, approved, deadline + timedelta(days=1))
    assert late.status_code == 409
    assert late.json()["type"] == "urn:koshqon:problem:fee.deadline_passed"


async def test_withdrawal_releases_the_reserved_place(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date
) -> None:
    await set_quota(client, today.year, "3", 1)
    filed = await apply(client, application())
    await decide(client, filed["application_id"])
    withdrawn = await client.post(
        f"/api/v1/work-permits/applications/{filed['application_id']}/withdrawal")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert (await ledger(client, today.year, "3"))["reserved"] == 0
    [event] = await outbox.events("work-permit.withdrawn")
    assert event["data"]["place_released"] is True


async def test_extension_filed_in_time_and_at_most_the_allowed_count(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date, set_today: Any
) -> None:
    permit = await issued_permit(client, application(category="1", validity_years=3), today)
    assert permit["valid_until"] == term_end(today, years=3).isoformat()
    number = permit["permit_number"]
    valid_until = date.fromisoformat(permit["valid_until"])

    for count in (1, 2, 3):
        response = await client.post(f"/api/v1/work-permits/{number}/extensions")
        assert response.status_code == 201, response.text
        extension = response.json()
        assert extension["extension_number"] == count
        assert extension["previous_valid_until"] == valid_until.isoformat()
        valid_until = term_end(valid_until + timedelta(days=1), years=1)
        assert extension["valid_until"] == valid_until.isoformat()
        assert extension["decision_due"] == (
            default_calendar().add_working_days(today, 3).isoformat())
    fourth = await client.post(f"/api/v1/work-permits/{number}/extensions")
    assert fourth.status_code == 422
    assert fourth.json()["errors"][0]["code"] == "extension_limit"
    assert len(await outbox.events("work-permit.extended")) == 3

    other = await issued_permit(client, application(category="3"), today)
    set_today(date.fromisoformat(other["valid_until"]) - timedelta(days=29))
    too_late = await client.post(f"/api/v1/work-permits/{other['permit_number']}/extensions")
    assert too_late.status_code == 422
    assert too_late.json()["errors"][0] == {
        "field": "permit_number", "code": "extension_too_late",
        "message": "An extension is filed at least 30 days before expiry"}


async def test_a_permit_longer_than_its_category_allows_is_not_accepted(
    client: httpx.AsyncClient, application: Any
) -> None:
    response = await client.post("/api/v1/work-permits/applications",
                                 json=application(category="3", validity_years=2))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "validity_years"


async def test_revocation_by_the_regions_officer_and_expiry(
    client: httpx.AsyncClient, service: Service, outbox: Any, tokens: Any, application: Any,
    today: date,
) -> None:
    permit = await issued_permit(client, application(), today)
    number = permit["permit_number"]
    elsewhere = tokens.bearer("permits:decide", region=ALMATY_REGION)
    denied = await client.post(f"/api/v1/work-permits/{number}/revocation",
                               json={"ground": "employer_violation"}, headers=elsewhere)
    assert denied.status_code == 403
    officer = tokens.bearer("permits:decide", region=ALMATY)
    revoked = await client.post(f"/api/v1/work-permits/{number}/revocation",
                                json={"ground": "employer_violation"}, headers=officer)
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    [event] = await outbox.events("work-permit.revoked")
    assert event["data"]["ground"] == "employer_violation"
    assert event["data"]["place_released"] is False
    again = await client.post(f"/api/v1/work-permits/{number}/revocation",
                              json={"ground": "employer_violation"}, headers=officer)
    assert again.status_code == 409

    other = await issued_permit(client, application(), today)
    end = date.fromisoformat(other["valid_until"])
    assert (await run_deadlines(service, today=end))["work_permits_expired"] == 0
    assert (await run_deadlines(service, today=end + timedelta(days=1)))[
        "work_permits_expired"] == 1
    assert (await run_deadlines(service, today=end + timedelta(days=2)))[
        "work_permits_expired"] == 0
    [expired] = await outbox.events("work-permit.expired")
    assert expired["data"]["permit_number"] == other["permit_number"]


async def test_a_retried_decision_with_its_key_answers_the_same_and_reserves_once(
    client: httpx.AsyncClient, outbox: Any, application: Any, today: date
) -> None:
    await set_quota(client, today.year, "3", 5)
    filed = await apply(client, application())
    key = {"Idempotency-Key": "decision-1"}
    first = await decide(client, filed["application_id"], **key)
    second = await decide(client, filed["application_id"], **key)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert (await ledger(client, today.year, "3"))["reserved"] == 1
    assert len(await outbox.events("work-permit.approved")) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.update(employer_bin="123456789012"), "employer_bin"),
        (lambda b: b["worker"].update(person_id="not-a-pseudonym"), "worker.person_id"),
        (lambda b: b.update(category="5"), "category"),
        (lambda b: b.update(sector="Z"), "sector"),
        (lambda b: b["staff"]["citizens"].update({"3": -1}), "staff.citizens.3"),
    ],
)
async def test_bad_applications_are_rejected_and_record_nothing(
    client: httpx.AsyncClient, outbox: Any, application: Any, change: Any, field: str
) -> None:
    body = application()
    change(body)
    response = await client.post("/api/v1/work-permits/applications", json=body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await outbox.events() == []
