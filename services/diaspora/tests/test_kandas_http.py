"""Kandas status applications through HTTP, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from prometheus_client import generate_latest

from diaspora.jobs import kandas_deadlines
from shared import clock
from shared.calendar import default_calendar
from shared.service import Service

Events = Any


async def test_an_application_is_recorded_and_published_without_personal_data(
    events: Events, flow: Any
) -> None:
    person_id = str(uuid.uuid4())
    application = await flow.apply(person_id=person_id)

    assert application["status"] == "submitted"
    assert application["person_id"] == person_id
    assert application["decision_due"] is None
    [event] = await events("kandas.application-submitted")
    assert event["topic"] == "koshqon.diaspora.kandas"
    assert event["key"] == application["application_id"]
    assert event["data"]["applicant_id"] == application["applicant_id"]
    assert event["data"]["person_id"] == person_id
    assert event["data"]["country_of_origin"] == "MNG"
    assert event["data"]["family_size"] == 4
    flow.assert_no_personal_data(await events())


async def test_the_same_applicant_keeps_one_pseudonym(flow: Any) -> None:
    first = await flow.apply()
    assert first["applicant_id"] != (await flow.apply())["applicant_id"]  # another document


async def test_package_complete_starts_the_clock_and_grant_follows(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    application = await flow.apply(region="630000000")
    app_id = application["application_id"]
    today = clock.today()

    completed = await flow.complete(app_id)
    expected_due = default_calendar().add_working_days(today, 3)
    assert completed["status"] == "package_complete"
    assert completed["decision_due"] == expected_due.isoformat()
    assert "kandas.decision_deadline_working_days@v2" in completed["rules_applied"]

    granted = await flow.decide(app_id, decision="grant")
    assert granted.status_code == 200, granted.text
    view = granted.json()
    assert view["status"] == "granted"
    assert view["valid_from"] == today.isoformat()
    assert date.fromisoformat(view["valid_until"]) > today
    assert view["overdue"] is False

    fetched = (await client.get(f"/api/v1/kandas/applications/{app_id}")).json()
    assert [h["status"] for h in fetched["history"]] == ["submitted", "package_complete", "granted"]
    assert fetched["decision_due"] == expected_due.isoformat()

    [package] = await events("kandas.package-completed")
    assert package["data"]["decision_due"] == expected_due.isoformat()
    assert package["data"]["deadline_rule"] == "kandas.decision_deadline_working_days@v2"
    [grant] = await events("kandas.status-granted")
    assert grant["data"]["within_deadline"] is True
    assert grant["data"]["region"] == "630000000"
    flow.assert_no_personal_data(await events())


async def test_the_deadline_skips_a_weekend_and_a_public_holiday(flow: Any) -> None:
    # Friday 12 Dec 2025: Sat, Sun off, Mon 15 works, Tue 16 is Independence Day.
    application = await flow.apply(submitted_on=date(2025, 12, 10))
    completed = await flow.complete(application["application_id"], on=date(2025, 12, 12))
    assert completed["decision_due"] == "2025-12-18"


async def test_the_rule_switches_on_26_october_2025(flow: Any) -> None:
    before = await flow.apply(submitted_on=date(2025, 10, 20))
    after = await flow.apply(submitted_on=date(2025, 10, 20))
    day_before = await flow.complete(before["application_id"], on=date(2025, 10, 25))
    day_after = await flow.complete(after["application_id"], on=date(2025, 10, 27))

    calendar = default_calendar()
    assert (
        day_before["decision_due"] == calendar.add_working_days(date(2025, 10, 25), 5).isoformat()
    )
    assert day_after["decision_due"] == calendar.add_working_days(date(2025, 10, 27), 3).isoformat()
    # 27 Oct is the observed Republic Day: both clocks start on Tuesday 28 Oct.
    assert (day_before["decision_due"], day_after["decision_due"]) == ("2025-11-03", "2025-10-30")
    assert "kandas.decision_deadline_working_days@v1" in day_before["rules_applied"]
    assert "kandas.decision_deadline_working_days@v2" in day_after["rules_applied"]


async def test_a_refusal_is_impossible_before_the_hearing(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    application = await flow.apply()
    app_id = application["application_id"]
    await flow.complete(app_id)

    straight = await flow.decide(app_id, decision="refuse")
    assert straight.status_code == 409
    assert straight.json()["type"] == "urn:koshqon:problem:kandas.hearing_required"

    no_grounds = await flow.decide(app_id, decision="propose_refusal")
    assert no_grounds.status_code == 422

    proposed = await flow.decide(
        app_id, decision="propose_refusal", grounds=["ethnicity_not_confirmed"]
    )
    assert proposed.status_code == 200, proposed.text
    hearing = proposed.json()
    assert hearing["status"] == "hearing"
    assert (
        hearing["hearing_due"] == default_calendar().add_working_days(clock.today(), 2).isoformat()
    )

    unheard = await flow.decide(app_id, decision="refuse")
    assert unheard.status_code == 409
    assert unheard.json()["type"] == "urn:koshqon:problem:kandas.hearing_pending"
    assert (await client.get(f"/api/v1/kandas/applications/{app_id}")).json()["status"] == "hearing"

    refused = await flow.decide(
        app_id, decision="refuse", hearing_held_on=clock.today().isoformat()
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "refused"
    [proposal] = await events("kandas.refusal-proposed")
    assert proposal["data"]["grounds"] == ["ethnicity_not_confirmed"]
    [refusal] = await events("kandas.refused")
    assert refusal["data"]["hearing_held_on"] == clock.today().isoformat()
    again = await flow.decide(app_id, decision="grant")
    assert again.status_code == 409


async def test_after_the_hearing_the_officer_may_still_grant(flow: Any) -> None:
    application = await flow.apply()
    await flow.complete(application["application_id"])
    await flow.decide(application["application_id"], decision="propose_refusal", grounds=["x_y_z"])
    granted = await flow.decide(application["application_id"], decision="grant")
    assert granted.json()["status"] == "granted"


async def test_one_extension_of_at_most_six_months(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    granted = await flow.granted()
    url = f"/api/v1/kandas/applications/{granted['application_id']}/extension"

    too_long = await client.post(url, json={"months": 7})
    assert too_long.status_code == 422
    extended = await client.post(url, json={"months": 6})
    assert extended.status_code == 200, extended.text
    until = date.fromisoformat(extended.json()["valid_until"])
    assert until > date.fromisoformat(granted["valid_until"])
    assert extended.json()["status"] == "extended"
    second = await client.post(url, json={"months": 1})
    assert second.status_code == 409
    assert second.json()["type"] == "urn:koshqon:problem:kandas.extension_used"
    [event] = await events("kandas.status-extended")
    assert event["data"]["valid_until"] == until.isoformat()


async def test_termination_needs_a_reason_and_a_status_in_force(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    pending = await flow.apply()
    url = "/api/v1/kandas/applications/{}/termination"
    early = await client.post(
        url.format(pending["application_id"]), json={"reason": "applicant_request"}
    )
    assert early.status_code == 409

    granted = await flow.granted()
    missing = await client.post(url.format(granted["application_id"]), json={})
    assert missing.status_code == 422
    done = await client.post(
        url.format(granted["application_id"]), json={"reason": "citizenship_acquired"}
    )
    assert done.status_code == 200
    assert done.json()["status"] == "terminated"
    assert done.json()["termination_reason"] == "citizenship_acquired"
    [event] = await events("kandas.status-terminated")
    assert event["data"]["reason"] == "citizenship_acquired"


async def test_decisions_past_their_deadline_are_listed_counted_and_published(
    client: httpx.AsyncClient, service: Service, events: Events, flow: Any
) -> None:
    late = await flow.apply(submitted_on=clock.today() - timedelta(days=40))
    await flow.complete(late["application_id"], on=clock.today() - timedelta(days=30))
    on_time = await flow.apply()
    await flow.complete(on_time["application_id"])

    listed = (await client.get("/api/v1/kandas/applications", params={"overdue": "true"})).json()
    assert [a["application_id"] for a in listed["items"]] == [late["application_id"]]
    assert listed["items"][0]["overdue"] is True

    first = await kandas_deadlines(service, clock.today())
    again = await kandas_deadlines(service, clock.today())
    assert (first.overdue, again.overdue) == (1, 0)
    [flagged] = await events("kandas.decision-overdue")
    assert flagged["data"]["application_id"] == late["application_id"]
    metrics = generate_latest(service.metrics.registry).decode()
    assert 'kandas_decisions_overdue_total{region="350000000"} 1.0' in metrics
    assert ('deadline_breaches_total{deadline="kandas.decision_deadline_working_days",'
            'region="350000000"} 1.0') in metrics

    decided = await flow.decide(late["application_id"], decision="grant")
    assert decided.json()["overdue"] is True
    [grant] = await events("kandas.status-granted")
    assert grant["data"]["within_deadline"] is False
    assert 'kandas_decisions_late_total{region="350000000"} 1.0' in (
        generate_latest(service.metrics.registry).decode()
    )
    # Decided late stays visible in the list.
    listed = (await client.get("/api/v1/kandas/applications", params={"overdue": "true"})).json()
    assert [a["application_id"] for a in listed["items"]] == [late["application_id"]]


async def test_an_expired_status_is_published_once(
    service: Service, events: Events, flow: Any, client: httpx.AsyncClient
) -> None:
    granted = await flow.granted()
    after_validity = date.fromisoformat(granted["valid_until"]) + timedelta(days=1)
    assert (await kandas_deadlines(service, clock.today())).expired == 0
    assert (await kandas_deadlines(service, after_validity)).expired == 1
    assert (await kandas_deadlines(service, after_validity)).expired == 0
    [event] = await events("kandas.status-expired")
    assert event["data"]["expired_on"] == after_validity.isoformat()
    view = (await client.get(f"/api/v1/kandas/applications/{granted['application_id']}")).json()
    assert view["status"] == "expired"


async def test_list_is_paginated_with_a_cursor(client: httpx.AsyncClient, flow: Any) -> None:
    created = [(await flow.apply())["application_id"] for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/kandas/applications", params=params)).json()
        seen += [a["application_id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created
    bad = await client.get("/api/v1/kandas/applications", params={"cursor": "%%%"})
    assert bad.status_code == 422


async def test_officers_decide_only_in_their_region(
    client: httpx.AsyncClient, bearer: Any, flow: Any
) -> None:
    application = await flow.apply(region="350000000")
    url = f"/api/v1/kandas/applications/{application['application_id']}/package-complete"
    elsewhere = await client.post(
        url, json={}, headers=bearer("diaspora:kandas:process", region="750000000")
    )
    assert elsewhere.status_code == 403
    assert elsewhere.json()["type"] == "urn:koshqon:problem:forbidden_region"
    wrong_scope = await client.post(url, json={}, headers=bearer("diaspora:kandas:read"))
    assert wrong_scope.status_code == 403
    own = await client.post(
        url, json={}, headers=bearer("diaspora:kandas:process", region="351010000")
    )
    assert own.status_code == 200


async def test_problems_are_localized(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"/api/v1/kandas/applications/{uuid.uuid4()}", headers={"Accept-Language": "kk"}
    )
    assert response.status_code == 404
    assert response.json()["title"] == "Өтініш табылмады"
    bad = await client.post(
        "/api/v1/kandas/applications", json={"family_size": 0}, headers={"Accept-Language": "ru"}
    )
    assert bad.status_code == 422
    assert bad.json()["title"] == "Некорректный запрос"


async def test_a_retry_with_the_same_idempotency_key_creates_one_application(
    client: httpx.AsyncClient, events: Events, kandas_request: Any
) -> None:
    body = kandas_request()
    headers = {"Idempotency-Key": "kandas-1"}
    first = await client.post("/api/v1/kandas/applications", json=body, headers=headers)
    second = await client.post("/api/v1/kandas/applications", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["application_id"] == second.json()["application_id"]
    assert len(await events("kandas.application-submitted")) == 1


async def test_before_the_switch_a_refusal_still_waits_for_the_hearing(flow: Any) -> None:
    application = await flow.apply(submitted_on=date(2025, 10, 1))
    await flow.complete(application["application_id"], on=date(2025, 10, 2))
    # The proposal is today (after the switch), so the 2-day hearing period applies to it.
    proposed = await flow.decide(
        application["application_id"], decision="propose_refusal", grounds=["documents_false"]
    )
    assert proposed.json()["hearing_due"] is not None
    refused = await flow.decide(application["application_id"], decision="refuse")
    assert refused.status_code == 409


async def test_centres_and_resettlement_regions_are_reference_data(
    client: httpx.AsyncClient,
) -> None:
    centres = (
        await client.get("/api/v1/reference/centres", params={"kind": "accommodation"})
    ).json()
    assert len({c["region"] for c in centres["centres"]}) == 11
    assert "Seed 001" in centres["source"]
    regions = (await client.get("/api/v1/reference/resettlement-regions")).json()
    assert len(regions["regions"]) == 7
    assert regions["rule"] == "resettlement.regions@v1"
