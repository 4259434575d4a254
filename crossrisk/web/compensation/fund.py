"""/committee/fund: the regional fund's book. Its balance and a chart of it over time, the
contributions with their conditions, the penalties with their cases, the payouts with the
statements they pay, the deliveries in kind, and the committee's forms to record a
contribution and pay out what an approved statement leaves a party due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.compensation.ledger import FundMovementKind
from crossrisk.domain.compensation.settlement import FEN_PER_YUAN
from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import can_keep_fund
from crossrisk.domain.region import Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import fund
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.compensation.risk_page import delivery_row, yuan
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import CODE_MAX, chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
BASE = "/committee/fund"
ID_MAX = 2**31 - 1


class ContributionForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    contributor: str = ""
    amount_yuan: str = ""
    conditions: str = ""


class PenaltyForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    case: str = ""
    amount_yuan: str = ""
    reason: str = ""


class PayoutForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    due: str = ""  # "settlement:payee", one of the dues listed
    amount_yuan: str = ""
    note: str = ""


@router.get(BASE)
def fund_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The regional fund's book, with the committee's forms."""
    try:
        region = chosen_region(uow, actor, request.query_params.get("region"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    return _page(request, actor, uow, region)


@router.post(BASE + "/contributions")
def contribute(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[ContributionForm, Form()]
) -> Response:
    """The committee records a province's or the central office's contribution, one
    condition a line."""
    conditions = [c.strip() for c in form.conditions[:12_000].splitlines() if c.strip()]
    return _act(
        request,
        actor,
        uow,
        form.region,
        form.csrf_token,
        lambda code: fund.contribute(
            uow,
            actor,
            code,
            contributor=form.contributor.strip()[:64],
            amount_yuan=form.amount_yuan.strip()[:40],
            conditions=conditions,
            now=utc_now(),
        ),
        anchor="#contributions",
    )


@router.post(BASE + "/payouts")
def pay_out(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[PayoutForm, Form()]
) -> Response:
    """The committee pays what an approved statement leaves a party due."""

    def pay(code: str) -> object:
        settlement, _, payee = form.due[:100].partition(":")
        if not settlement.isdigit() or not 1 <= int(settlement) <= ID_MAX:
            raise NotFound(
                f"no settlement statement {settlement[:20]!r}",
                key="settlement-unknown",
                params={"settlement": settlement[:20]},
            )
        return fund.pay_out(
            uow,
            actor,
            code,
            settlement_id=int(settlement),
            payee=payee[:64],
            amount_yuan=form.amount_yuan.strip()[:40],
            note=form.note,
            now=utc_now(),
        )

    return _act(request, actor, uow, form.region, form.csrf_token, pay, anchor="#payouts")


@router.post(BASE + "/penalties")
def charge_penalty(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[PenaltyForm, Form()]
) -> Response:
    """The committee pays an upheld case's penalty into the fund: the agreement's amount,
    or another with its reason."""

    def charge(code: str) -> object:
        case = form.case.strip()[:12]
        if not case.isascii() or not case.isdigit() or not 1 <= int(case) <= ID_MAX:
            raise NotFound(
                f"no case {case[:20]!r}", key="case-not-found", params={"case": case[:20]}
            )
        return fund.charge_penalty(
            uow,
            actor,
            int(case),
            amount_yuan=form.amount_yuan.strip()[:40] or None,
            reason=form.reason[:600],
            now=utc_now(),
        )

    return _act(request, actor, uow, form.region, form.csrf_token, charge, anchor="#penalties")


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region_code: str,
    csrf_token: str,
    change: Callable[[str], object],
    *,
    anchor: str,
) -> Response:
    try:
        region = chosen_region(uow, actor, region_code[:CODE_MAX])
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    try:
        check_csrf(request, csrf_token)
        change(region.code)
    except CrossriskError as refusal:
        return _page(request, actor, uow, region, error=refusal)
    return RedirectResponse(f"{BASE}?region={region.code}{anchor}", status_code=303)


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region: Region,
    *,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    directory = read_directory(uow, actor, region_codes={region.code})
    book = fund.book(uow, actor, region.code)
    name = _namer(directory, chinese=lang.is_chinese)
    risk_of = book.risk_of_settlement

    def statement_link(settlement_id: int | None) -> str:
        if settlement_id is None or settlement_id not in risk_of:
            return ""
        risk_id = risk_of[settlement_id]
        if risk_id is None:
            return f"/settlements/{settlement_id}"  # a border section's period statement
        return f"/risks/{risk_id}/compensation#statement-{settlement_id}"

    def movements(kind: FundMovementKind) -> list[dict[str, Any]]:
        return [
            {
                "id": m.id,
                "when": lang.time(m.recorded_at),
                "party": name(m.party),
                "amount": yuan(m.amount_fen),
                "conditions": list(m.conditions),
                "note": m.note,
                "case_id": m.case_id,
                "settlement_id": m.settlement_id,
                "statement_link": statement_link(m.settlement_id),
            }
            for m in book.movements
            if m.kind is kind
        ]

    may_keep = can_keep_fund(actor, region.code)
    points = fund.balance_over_time(book.movements)
    context: dict[str, Any] = {
        "region": region,
        "region_name": lang.pick(region.name_zh, region.name_en),
        "statement": book.statement,
        "yuan": yuan,
        "contributions": movements(FundMovementKind.CONTRIBUTION),
        "penalties": movements(FundMovementKind.PENALTY),
        "payouts": movements(FundMovementKind.PAYOUT),
        "deliveries": [
            {
                **delivery_row(d, name),
                "settlement_id": d.settlement_id,
                "statement_link": statement_link(d.settlement_id),
            }
            for d in book.deliveries
        ],
        "dues": [
            {
                "value": f"{due.settlement_id}:{due.payee}",
                "settlement_id": due.settlement_id,
                "payee": name(due.payee),
                "due": yuan(due.due_fen),
                "statement_link": statement_link(due.settlement_id),
            }
            for due in book.dues
        ],
        "penalties_due": [
            {
                "case_id": p.case_id,
                "party": name(p.party),
                "penalty": p.penalty,
                "provided": "" if p.provided_fen is None else yuan(p.provided_fen),
            }
            for p in book.penalties_due
        ],
        "may_keep": may_keep,
        "contributors": [
            (o.code, lang.pick(o.name_zh, o.name_en))
            for o in (fund.contributors(uow, actor, region.code) if may_keep else [])
        ],
        "chart": {
            "times": [moment.isoformat() for moment, _ in points],
            "labels": [lang.time(moment) for moment, _ in points],
            "balances": [balance / FEN_PER_YUAN for _, balance in points],
            "name": lang.gettext("Balance"),
            "unit": lang.gettext("yuan"),
        },
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "compensation/fund.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _namer(directory: Directory, *, chinese: bool) -> Callable[[str], str]:
    """A party's name: a member city's, else an organisation's, else its code."""

    def name(code: str) -> str:
        if code in directory.jurisdictions:
            return directory.jurisdiction_name(code, chinese=chinese)
        return directory.organisation_name(code, chinese=chinese)

    return name
