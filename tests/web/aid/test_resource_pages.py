"""The teams, equipment and shelters pages: lists with stale badges, city filter, add forms
for keepers, a shelter's state and free places; in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import ShelterDraft
from crossrisk.domain.aid.team import TeamDraft
from crossrisk.services import aid_resources
from crossrisk.store.models import JournalEntryRow, ShelterRow, TeamRow
from crossrisk.store.uow import UnitOfWork
from tests.support import actor
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal

LogIn = Callable[[str], str]

TEAM_FORM = {
    "jurisdiction": "341000",
    "name": "黄山市水上救援队",
    "kind": "flood_rescue",
    "type": "3",
    "headcount": "20",
    "readiness_hours": "2",
    "capability_boats": "3",
    "lon": "118.3",
    "lat": "29.7",
    "contact": "0559-1234567",
    "sharing": "region",
}


def count(app: FastAPI, table: object) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)))  # type: ignore[arg-type]


def add_shelter(
    app: FastAPI, *, sharing: Sharing = Sharing.REGION, at: datetime | None = None
) -> int:
    uow = UnitOfWork(app.state.engine)
    shelter = aid_resources.record_shelter(
        uow,
        actor(uow, "ema-341000"),
        ShelterDraft(
            jurisdiction_code="341000",
            name="屯溪体育馆",
            class_code="emergency",
            capacity=2000,
            available=2000,
            location=Location(118.3, 29.7),
            sharing=sharing,
        ),
        region_code="yrd",
        now=at or datetime.now(UTC),
    )
    assert shelter.id is not None
    return shelter.id


def test_a_city_adds_a_team_from_the_chinese_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    page = client.get("/aid/teams")
    assert page.status_code == 200
    assert "救援队伍" in page.text and 'id="add-team-form"' in page.text
    assert "洪" in page.text  # the kinds are named in Chinese

    response = client.post("/aid/teams?region=yrd", data={**TEAM_FORM, "csrf_token": token})
    assert response.status_code == 303, response.text

    listed = client.get("/aid/teams").text
    assert "黄山市水上救援队" in listed and "类型 3" in listed
    assert count(app, TeamRow) == 1


def test_a_team_short_of_its_type_is_refused_in_a_chinese_sentence(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before = count(app, JournalEntryRow)
    response = client.post(
        "/aid/teams?region=yrd", data={**TEAM_FORM, "type": "1", "csrf_token": token}
    )
    assert response.status_code == 422
    said = refusal(response.text)
    assert "类型 1" in said and "40" in said and "20" in said, said
    assert count(app, TeamRow) == 0 and count(app, JournalEntryRow) == before
    assert 'value="黄山市水上救援队"' in response.text  # the form keeps what was typed


def test_a_negative_headcount_or_a_word_is_refused_without_keeping_anything(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    for bad in ({"headcount": "-5"}, {"readiness_hours": "soon"}, {"lon": "nan"}):
        response = client.post(
            "/aid/teams?region=yrd", data={**TEAM_FORM, **bad, "csrf_token": token}
        )
        assert response.status_code == 422, bad
        assert refusal(response.text)
    assert count(app, TeamRow) == 0


def test_the_english_page_lists_teams_in_english(client: TestClient, log_in: LogIn) -> None:
    log_in(HUANGSHAN_OFFICER)
    client.get("/language/en")
    page = client.get("/aid/teams")
    assert "Response teams" in page.text and "Flood and water rescue team" in page.text


def test_a_stale_shelter_shows_its_badge_and_confirming_clears_it(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    shelter_id = add_shelter(app, at=datetime.now(UTC) - timedelta(days=45))
    token = log_in(HUANGSHAN_OFFICER)
    page = client.get("/aid/shelters")
    assert 'data-stale="true"' in page.text and "待核实" in page.text

    confirmed = client.post(
        f"/aid/shelters/{shelter_id}/confirmation?region=yrd", data={"csrf_token": token}
    )
    assert confirmed.status_code == 303
    assert 'data-stale="true"' not in client.get("/aid/shelters").text


def test_a_city_opens_its_shelter_and_sets_the_free_places(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    shelter_id = add_shelter(app)
    token = log_in(HUANGSHAN_OFFICER)
    opened = client.post(
        f"/aid/shelters/{shelter_id}/opening?region=yrd", data={"csrf_token": token}
    )
    assert opened.status_code == 303
    set_free = client.post(
        f"/aid/shelters/{shelter_id}/availability?region=yrd",
        data={"csrf_token": token, "available": "120"},
    )
    assert set_free.status_code == 303
    page = client.get("/aid/shelters").text
    assert 'data-state="open"' in page and '<span class="available-count">120</span>' in page

    too_many = client.post(
        f"/aid/shelters/{shelter_id}/availability?region=yrd",
        data={"csrf_token": token, "available": "2500"},
    )
    assert too_many.status_code == 422
    assert "2500" in refusal(too_many.text) and "2000" in refusal(too_many.text)


def test_another_city_sees_no_committee_only_shelter_and_cannot_change_a_shared_one(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    add_shelter(app, sharing=Sharing.COMMITTEE)
    shared = add_shelter(app)
    token = log_in(HANGZHOU_OFFICER)
    page = client.get("/aid/shelters?jurisdiction=341000")
    assert page.text.count('class="aid-row') == 1
    assert "available-form" not in page.text  # not Hangzhou's to change
    refused = client.post(f"/aid/shelters/{shared}/opening?region=yrd", data={"csrf_token": token})
    assert refused.status_code == 403
    assert "黄山" in refusal(refused.text)
    assert count(app, ShelterRow) == 2


def test_the_committee_filters_by_city_and_a_reader_gets_no_add_form(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    add_shelter(app)
    log_in(COMMITTEE_OFFICER)
    assert client.get("/aid/shelters?jurisdiction=330100").text.count('class="aid-row') == 0
    committee_page = client.get("/aid/shelters?jurisdiction=341000").text
    assert committee_page.count('class="aid-row') == 1 and 'id="add-shelter-form"' in committee_page
    client.post("/logout", data={})
    log_in(EVALUATOR)
    assert 'id="add-shelter-form"' not in client.get("/aid/shelters").text


def test_the_equipment_page_shows_each_units_capability_with_its_unit(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    response = client.post(
        "/aid/equipment?region=yrd",
        data={
            "csrf_token": token,
            "jurisdiction": "341000",
            "kind": "pump",
            "quantity": "4",
            "capability": "500",
            "site": "屯溪防汛仓库",
            "lon": "118.3",
            "lat": "29.7",
        },
    )
    assert response.status_code == 303, response.text
    page = client.get("/aid/equipment").text
    assert "排涝泵" in page and "500 m³/h" in page and "屯溪防汛仓库" in page


def test_a_team_is_listed_after_the_service_records_it(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    uow = UnitOfWork(app.state.engine)
    aid_resources.record_team(
        uow,
        actor(uow, "ema-341000"),
        TeamDraft(
            jurisdiction_code="341000",
            name="黄山危化救援队",
            kind="hazmat",
            type_level=4,
            headcount=8,
            readiness_hours=1,
            base=Location(118.3, 29.7),
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    log_in(HANGZHOU_OFFICER)
    assert "黄山危化救援队" in client.get("/aid/teams").text
