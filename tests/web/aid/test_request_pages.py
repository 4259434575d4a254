"""The aid request pages: a request drafted from the form, submitted, approved, offered
against, accepted, dispatched and received, in Chinese and in English; refusals said in
the page's language with nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.aid.request import Destination, LineDraft, Priority
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import aid_requests, stocks
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import actor
from tests.web.officers import (
    COMMITTEE_OFFICER,
    HANGZHOU_OFFICER,
    HUANGSHAN_OFFICER,
    PASSWORD,
    csrf_token_in,
)
from tests.web.page_parts import refusal, section


class Officer:
    """One logged-in browser session, with its CSRF token."""

    def __init__(self, app: FastAPI, username: str, *, english: bool = False) -> None:
        self.client = TestClient(app, follow_redirects=False)
        self.client.__enter__()
        form = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": csrf_token_in(form.text),
                "next": "/aid/requests",
            },
        )
        assert response.status_code == 303, response.text
        if english:
            self.client.get("/language/en")
        self.csrf = csrf_token_in(self.client.get("/aid/requests").text)

    def get(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, response.text
        return response.text

    def post(self, path: str, **data: object):  # type: ignore[no-untyped-def]
        return self.client.post(path, data={"csrf_token": self.csrf, **data})


@pytest.fixture
def officers(app: FastAPI) -> Iterator[Callable[..., Officer]]:
    made: list[Officer] = []

    def _officer(username: str, *, english: bool = False) -> Officer:
        officer = Officer(app, username, english=english)
        made.append(officer)
        return officer

    yield _officer
    for officer in made:
        officer.client.__exit__(None, None, None)


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def stock(app: FastAPI, quantity: float, *, item: str = "tent") -> int:
    """Huangshan's stock at Tunxi, from which its dispatches are issued; its id."""
    uow = UnitOfWork(app.state.engine)
    held = stocks.record_stock(
        uow,
        actor(uow, "ema-341000"),
        StockDraft(
            jurisdiction_code="341000",
            item_code=item,
            quantity=quantity,
            warehouse=Warehouse(name="屯溪储备库", lon=118.32, lat=29.71),
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert held.id is not None
    return held.id


def local(moment: datetime) -> str:
    return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%dT%H:%M")


def ahead(hours: float) -> str:
    return local(datetime.now(UTC) + timedelta(hours=hours))


def new_request(officer: Officer, **changes: object):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "region": "yrd",
        "jurisdiction": "330100",
        "item": ["tent", "drinking_water", "tent"],
        "quantity": ["5,000", "2", ""],
        "unit": ["", "tank", ""],
        "priority": ["life_sustaining", "high", "normal"],
        "needed_by": [ahead(48), ahead(24), ""],
        "destination": ["萧山区物资集结点", "", ""],
        "lon": ["120.26", "", ""],
        "lat": ["30.18", "", ""],
        "substitutes": ["0:family_tent"],
    }
    data.update(changes)
    return officer.post("/aid/requests", **data)


def made_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/aid/requests/(\d+)(#.*)?", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def ids(html: str, kind: str) -> list[int]:
    return [int(v) for v in re.findall(rf'data-{kind}="(\d+)"', html)]


def test_a_request_goes_from_the_form_to_a_partial_receipt_in_chinese(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    hangzhou = officers(HANGZHOU_OFFICER)
    form = hangzhou.get("/aid/requests")
    assert 'id="new-request-form"' in form and "杭州市" in form
    # A city asks for itself: its own point is the destination's default.
    assert 'value="330100"' in section(form, "new-request-form")

    request_id = made_id(new_request(hangzhou))
    page = hangzhou.get(f"/aid/requests/{request_id}")
    assert "草稿" in section(page, "request-state")
    lines = section(page, "request-lines")
    assert "救灾帐篷" in lines and "5,000" in lines and "萧山区物资集结点" in lines
    # Two tanks of water are 2,000 litres; the blank destination is Hangzhou itself.
    assert "2,000" in lines and "杭州市" in lines
    assert "或" in lines  # the family tent as a substitute

    made_id(hangzhou.post(f"/aid/requests/{request_id}/submit"))
    assert "已提交" in section(hangzhou.get(f"/aid/requests/{request_id}"), "request-state")

    committee = officers(COMMITTEE_OFFICER)
    page = committee.get(f"/aid/requests/{request_id}")
    assert 'id="approve-form"' in page
    made_id(committee.post(f"/aid/requests/{request_id}/approve"))

    huangshan = officers(HUANGSHAN_OFFICER)
    page = huangshan.get(f"/aid/requests/{request_id}")
    assert "已批准" in section(page, "request-state")
    tent_line = ids(section(page, "request-lines"), "line")[0]
    assert f'id="offer-form-{tent_line}"' in page
    made_id(
        huangshan.post(
            f"/aid/requests/{request_id}/offers",
            request_line=str(tent_line),
            item="tent",
            quantity="3000",
            unit="",
            earliest_dispatch=ahead(1),
            estimated_arrival=ahead(8),
            cost_cny="120,000",
            note="皖J 车队",
        )
    )

    page = hangzhou.get(f"/aid/requests/{request_id}")
    offers = section(page, "offers")
    assert "黄山市" in offers and "3,000" in offers and "120,000" in offers
    offer_id = ids(offers, "offer")[0]
    offer_line = ids(offers, "offer-line")[0]
    accepted = hangzhou.post(
        f"/aid/offers/{offer_id}/accept", request=str(request_id), line=str(offer_line)
    )
    assert made_id(accepted) == request_id

    tunxi = stock(app, 3000)
    page = huangshan.get(f"/aid/requests/{request_id}")
    assert "部分承诺" in section(page, "request-lines")
    commitment = ids(section(page, "commitments"), "commitment")[0]
    assert "履约中" in page
    # The donor picks the stock to issue from (or leaves it to first expiring first out).
    choices = section(page, f"dispatch-stock-{commitment}")
    assert f'value="{tunxi}"' in choices and "屯溪储备库 · 3,000 顶" in choices
    made_id(
        huangshan.post(
            f"/aid/commitments/{commitment}/dispatch",
            request=str(request_id),
            quantity="3000",
            unit="",
            mode="road",
            reference="皖J 00001",
            expected_arrival=ahead(8),
            stock=str(tunxi),
        )
    )
    mine = huangshan.get("/aid/commitments")
    assert "我的承诺" in mine and "杭州市" in mine and "3,000" in mine

    page = hangzhou.get(f"/aid/requests/{request_id}")
    shipment = ids(section(page, "commitments"), "shipment")[0]
    assert f'id="receipt-form-{shipment}"' in page
    made_id(
        hangzhou.post(
            f"/aid/shipments/{shipment}/receipt",
            request=str(request_id),
            quantity="2800",
            note="200 顶受潮",
        )
    )

    page = hangzhou.get(f"/aid/requests/{request_id}")
    commitments = section(page, "commitments")
    assert 'data-outcome="partial"' in commitments and "部分履约" in commitments
    assert "短少 200" in commitments and "200 顶受潮" in commitments
    assert "2,800" in section(page, "request-lines")
    all_of_them = committee.get("/aid/commitments?outcome=partial")
    assert "部分履约" in all_of_them and "黄山市" in all_of_them


def test_the_pages_speak_english_and_the_committee_asks_for_a_member(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    committee = officers(COMMITTEE_OFFICER, english=True)
    form = committee.get("/aid/requests")
    assert "New request" in form and "The committee asks on behalf of a member city." in form
    assert 'name="jurisdiction"' in form and "Hangzhou" in form

    request_id = made_id(
        new_request(
            committee,
            jurisdiction="341000",
            item=["blanket", "tent", "tent"],
            quantity=["3", "", ""],
            unit=["bale", "", ""],
            destination=["", "", ""],
            lon=["", "", ""],
            lat=["", "", ""],
            substitutes=[],
        )
    )
    page = committee.get(f"/aid/requests/{request_id}")
    assert "Aid request" in page and "Huangshan" in page and "Draft" in page
    lines = section(page, "request-lines")
    # Three bales of ten blankets; the destination is Huangshan's own point.
    assert "30" in lines and "Blanket" in lines.title() and "Huangshan" in lines
    listed = committee.get("/aid/requests?state=draft&city=341000&item=blanket")
    assert f'data-request="{request_id}"' in listed and "Draft" in listed
    assert f'data-request="{request_id}"' not in committee.get("/aid/requests?item=pump")


def test_overdue_lines_are_marked_on_the_list_and_the_request(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    uow = UnitOfWork(app.state.engine)
    then = datetime.now(UTC) - timedelta(days=2)
    hangzhou = actor(uow, "ema-330100")
    made = aid_requests.draft_request(
        uow,
        hangzhou,
        region_code="yrd",
        jurisdiction_code="330100",
        lines=[
            LineDraft(
                item_code="sandbag",
                quantity=10000,
                priority=Priority.LIFE_SAVING,
                needed_by=then + timedelta(hours=6),
                destination=Destination(name="钱塘江堤", lon=120.2, lat=30.25),
            )
        ],
        now=then,
    )
    assert made.id is not None
    aid_requests.submit_request(uow, hangzhou, made.id, now=then)
    aid_requests.approve_request(uow, actor(uow, "yrd-committee"), made.id, now=then)

    page = officers(HANGZHOU_OFFICER).get("/aid/requests?state=approved")
    row = section(page, "request-list")
    assert f'data-request="{made.id}"' in row and "已超时" in row
    detail = officers(HUANGSHAN_OFFICER, english=True).get(f"/aid/requests/{made.id}")
    assert "Overdue" in section(detail, "request-lines") and "Life-saving" in detail
    # Times show in Beijing time to the minute.
    assert local(then + timedelta(hours=6)).replace("T", " ") in detail


def test_refusals_are_said_in_the_pages_language_and_change_nothing(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    hangzhou = officers(HANGZHOU_OFFICER)
    before = journal_size(app)
    past = new_request(
        hangzhou, needed_by=[local(datetime.now(UTC) - timedelta(hours=1)), ahead(24), ""]
    )
    assert past.status_code == 422
    assert "“需求时间”已过" in refusal(past.text)
    assert journal_size(app) == before

    request_id = made_id(new_request(hangzhou))
    made_id(hangzhou.post(f"/aid/requests/{request_id}/submit"))
    committee = officers(COMMITTEE_OFFICER)
    made_id(committee.post(f"/aid/requests/{request_id}/approve"))
    before = journal_size(app)

    # Hangzhou offering to its own request: the refusal, on the request's page.
    line = ids(section(hangzhou.get(f"/aid/requests/{request_id}"), "request-lines"), "line")[0]
    own = hangzhou.post(
        f"/aid/requests/{request_id}/offers",
        request_line=str(line),
        quantity="10",
        earliest_dispatch=ahead(1),
        estimated_arrival=ahead(2),
    )
    assert own.status_code == 422
    assert "杭州市不能对自己的请求提议援助" in refusal(own.text)
    assert 'id="request-lines"' in own.text

    # A city may not approve; English visitors are told in English.
    huangshan = officers(HUANGSHAN_OFFICER, english=True)
    approve = huangshan.post(f"/aid/requests/{request_id}/approve")
    assert approve.status_code == 403
    assert "coordination body" in refusal(approve.text)
    not_a_number = huangshan.post(
        f"/aid/requests/{request_id}/offers",
        request_line=str(line),
        quantity="abc",
        earliest_dispatch=ahead(1),
        estimated_arrival=ahead(2),
    )
    assert not_a_number.status_code == 422
    assert "A quantity must be a number" in refusal(not_a_number.text)
    assert journal_size(app) == before

    # Receipt of more than was shipped.
    made_id(
        huangshan.post(
            f"/aid/requests/{request_id}/offers",
            request_line=str(line),
            quantity="100",
            earliest_dispatch=ahead(1),
            estimated_arrival=ahead(2),
        )
    )
    offers = section(hangzhou.get(f"/aid/requests/{request_id}"), "offers")
    made_id(hangzhou.post(f"/aid/offers/{ids(offers, 'offer')[0]}/accept", request=str(request_id)))
    commitment = ids(
        section(hangzhou.get(f"/aid/requests/{request_id}"), "commitments"), "commitment"
    )[0]
    # Huangshan holds no tents yet: the dispatch is refused, nothing written.
    before = journal_size(app)
    empty = huangshan.post(
        f"/aid/commitments/{commitment}/dispatch",
        request=str(request_id),
        quantity="100",
        mode="road",
        reference="皖J 00002",
        expected_arrival=ahead(3),
    )
    assert empty.status_code == 422
    assert "Huangshan can dispatch 0 of Relief tent" in refusal(empty.text)
    assert journal_size(app) == before
    stock(app, 100)
    made_id(
        huangshan.post(
            f"/aid/commitments/{commitment}/dispatch",
            request=str(request_id),
            quantity="100",
            mode="road",
            reference="皖J 00002",
            expected_arrival=ahead(3),
        )
    )
    shipment = ids(section(hangzhou.get(f"/aid/requests/{request_id}"), "commitments"), "shipment")[
        0
    ]
    before = journal_size(app)
    too_much = hangzhou.post(
        f"/aid/shipments/{shipment}/receipt", request=str(request_id), quantity="150"
    )
    assert too_much.status_code == 422
    assert "签收 150 多于发运的 100" in refusal(too_much.text)
    # Huangshan may not record the receipt; the donor is named.
    not_yours = huangshan.post(
        f"/aid/shipments/{shipment}/receipt", request=str(request_id), quantity="100"
    )
    assert not_yours.status_code == 403
    assert "Hangzhou" in refusal(not_yours.text)
    assert journal_size(app) == before
    page = hangzhou.get(f"/aid/requests/{request_id}")
    assert f'id="receipt-form-{shipment}"' in page  # still awaiting its receipt


def test_a_missing_request_is_not_found_and_a_stale_form_is_refused(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    hangzhou = officers(HANGZHOU_OFFICER)
    assert hangzhou.client.get("/aid/requests/99999999999999999999").status_code == 404
    assert hangzhou.client.get("/aid/requests/12345").status_code == 404
    assert hangzhou.client.get("/aid/requests?state=nonsense").status_code == 422
    before = journal_size(app)
    stale = hangzhou.client.post("/aid/requests", data={"csrf_token": "x", "region": "yrd"})
    assert stale.status_code == 403 and "安全令牌" in refusal(stale.text)
    assert journal_size(app) == before


def test_the_hub_leads_to_the_requests_and_the_commitments(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    hub = officers(HANGZHOU_OFFICER).get("/aid")
    links = section(hub, "aid-sections")
    assert 'href="/aid/requests"' in links and 'href="/aid/commitments"' in links
    assert "援助请求" in links and "承诺" in links
    page = officers(HUANGSHAN_OFFICER, english=True).get("/aid/commitments")
    assert "My commitments" in page and 'aria-current="page">Mutual aid</a>' in page
    assert 'id="no-commitments"' in page


def test_the_donor_withdraws_an_offer_and_a_commitment_which_then_counts_as_broken(
    app: FastAPI, officers: Callable[..., Officer]
) -> None:
    hangzhou = officers(HANGZHOU_OFFICER)
    request_id = made_id(new_request(hangzhou))
    made_id(hangzhou.post(f"/aid/requests/{request_id}/submit"))
    made_id(officers(COMMITTEE_OFFICER).post(f"/aid/requests/{request_id}/approve"))
    huangshan = officers(HUANGSHAN_OFFICER)
    tent, water = ids(
        section(huangshan.get(f"/aid/requests/{request_id}"), "request-lines"), "line"
    )
    for line, quantity in ((tent, "500"), (water, "1000")):
        made_id(
            huangshan.post(
                f"/aid/requests/{request_id}/offers",
                request_line=str(line),
                quantity=quantity,
                earliest_dispatch=ahead(1),
                estimated_arrival=ahead(5),
            )
        )
    first, second = ids(section(hangzhou.get(f"/aid/requests/{request_id}"), "offers"), "offer")[:2]
    assert f'id="withdraw-offer-{first}"' not in hangzhou.get(f"/aid/requests/{request_id}")
    made_id(hangzhou.post(f"/aid/offers/{first}/accept", request=str(request_id)))

    made_id(huangshan.post(f"/aid/offers/{second}/withdraw", request=str(request_id)))
    page = huangshan.get(f"/aid/requests/{request_id}")
    assert "已撤回" in section(page, "offers")
    commitment = ids(section(page, "commitments"), "commitment")[0]
    assert f'id="withdraw-commitment-{commitment}"' in page

    before = journal_size(app)
    no_reason = huangshan.post(f"/aid/commitments/{commitment}/withdraw", request=str(request_id))
    assert no_reason.status_code == 422 and journal_size(app) == before
    made_id(
        huangshan.post(
            f"/aid/commitments/{commitment}/withdraw",
            request=str(request_id),
            reason="车辆调往本市抢险",
        )
    )
    page = hangzhou.get(f"/aid/requests/{request_id}")
    assert 'data-outcome="broken"' in section(page, "commitments") and "违约" in page
    # The tent line asks for offers again.
    assert "尚需：5,000 顶" in section(page, "offers")
