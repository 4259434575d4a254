"""The accountability case pages: the list, a case with its evidence and the step forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.accountability.case import Case, CaseOutcome, CaseState, parse_outcome
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.responsibility import DutyKind
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import accountability, regions
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared import action_labels, responsibility_labels
from crossrisk.web.shared.case_labels import CASE_FACT, CASE_OUTCOME, CASE_STATE
from crossrisk.web.shared.case_rows import case_row
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
BASE = "/committee/cases"


class TextForm(BaseModel):
    csrf_token: str = ""
    text: str = ""


class DecisionForm(BaseModel):
    csrf_token: str = ""
    outcome: str = ""
    reason: str = ""
    penalty: str = ""


class DetectForm(BaseModel):
    csrf_token: str = ""
    risk_id: str = ""


def _id(value: str, *, what: str) -> int:
    return id_in_address(value, what, key=f"{what}-not-found", param=what)


@router.get(BASE)
def cases_page(
    request: Request, actor: PageActor, uow: UowDep, state: str = "", risk: str = ""
) -> Response:
    """The cases the user reads: the region's for the committee, its own for a party."""
    directory = read_directory(uow, actor)
    try:
        chosen = CaseState(state) if state in {s.value for s in CaseState} else None
        risk_id = _id(risk, what="risk") if risk else None
        found = accountability.list_cases(uow, actor, state=chosen, risk_id=risk_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=directory)
    return _list(request, actor, uow, found, directory, chosen=chosen)


@router.post(BASE + "/detect")
def detect(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[DetectForm, Form()]
) -> Response:
    """The committee looks for findings on a risk now; back to that risk's cases."""
    directory = read_directory(uow, actor)
    try:
        check_csrf(request, form.csrf_token)
        risk_id = _id(form.risk_id.strip(), what="risk")
        accountability.detect(uow, actor, risk_id=risk_id, now=utc_now())
    except CrossriskError as refusal:
        found = accountability.list_cases(uow, actor)
        return _list(request, actor, uow, found, directory, chosen=None, error=refusal)
    return RedirectResponse(f"{BASE}?{urlencode({'risk': risk_id})}", status_code=303)


@router.get(BASE + "/{case_id}")
def case_page(request: Request, actor: PageActor, uow: UowDep, case_id: str) -> Response:
    """A case: the finding, the party, the duty, each evidence entry, the procedure, forms."""
    try:
        return _case_page(request, actor, uow, _id(case_id, what="case"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post(BASE + "/{case_id}/review")
def review(
    request: Request, actor: PageActor, uow: UowDep, case_id: str, form: Annotated[TextForm, Form()]
) -> Response:
    """The reviewer's review."""
    return _act(
        request,
        actor,
        uow,
        case_id,
        form.csrf_token,
        lambda n: accountability.review_case(uow, actor, n, text=form.text, now=utc_now()),
        typed={"review": form.text},
    )


@router.post(BASE + "/{case_id}/statement")
def statement(
    request: Request, actor: PageActor, uow: UowDep, case_id: str, form: Annotated[TextForm, Form()]
) -> Response:
    """The party's statement."""
    return _act(
        request,
        actor,
        uow,
        case_id,
        form.csrf_token,
        lambda n: accountability.file_statement(uow, actor, n, text=form.text, now=utc_now()),
        typed={"statement": form.text},
    )


@router.post(BASE + "/{case_id}/decision")
def decision(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    case_id: str,
    form: Annotated[DecisionForm, Form()],
) -> Response:
    """The reviewer's decision."""
    return _act(
        request,
        actor,
        uow,
        case_id,
        form.csrf_token,
        lambda n: accountability.decide_case(
            uow,
            actor,
            n,
            outcome=parse_outcome(form.outcome[:40]),
            reason=form.reason,
            penalty=form.penalty,
            now=utc_now(),
        ),
        typed={"reason": form.reason, "penalty": form.penalty, "outcome": form.outcome[:40]},
    )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    case_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    typed: dict[str, str],
) -> Response:
    """One form on a case's page: change and back, or the page again with the refusal."""
    try:
        number = _id(case_id, what="case")
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, csrf_token)
        change(number)
    except CrossriskError as refusal:
        return _case_page(request, actor, uow, number, error=refusal, typed=typed)
    return RedirectResponse(f"{BASE}/{number}", status_code=303)


def _list(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    found: list[Case],
    directory: Directory,
    *,
    chosen: CaseState | None,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    context: dict[str, Any] = {
        "cases": [case_row(c, directory, lang) for c in found],
        "states": [(s.value, lang.gettext(CASE_STATE[s])) for s in CaseState],
        "chosen": chosen.value if chosen else "",
        "may_detect": any(
            can_coordinate(actor, r.code) for r in regions.readable_regions(uow, actor)
        ),
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "committee/cases/list.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _case_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    case_id: int,
    *,
    error: CrossriskError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    record = accountability.get_case(uow, actor, case_id)
    case = record.case
    directory = read_directory(uow, actor, region_codes={case.region_code})
    chinese = lang.is_chinese
    procedure = case.procedure
    may_review = accountability.may_review(actor, case)
    context: dict[str, Any] = {
        "case": case,
        "row": case_row(case, directory, lang),
        "region": directory.region_name(case.region_code, chinese=chinese),
        "facts": [
            (lang.gettext(CASE_FACT[name]) if name in CASE_FACT else name, _fact(name, value, lang))
            for name, value in case.facts.items()
        ],
        "duty": record.duty,
        "duty_label": lang.gettext(responsibility_labels.DUTY[record.duty.kind])
        if record.duty
        else "",
        "evidence": [
            {
                "seq": e.entry.seq,
                "at": e.entry.at,
                "action": lang.gettext(action_labels.ACTION[e.entry.action])
                if e.entry.action in action_labels.ACTION
                else e.entry.action,
                "actor": directory.actor_name(e.entry.actor, lang),
                "hash": e.entry.hash,
                "verified": e.verified,
                "href": "/journal?"
                + urlencode({"subject": e.entry.subject, "before": e.entry.seq + 1})
                + "#entries",
            }
            for e in record.evidence
        ],
        "missing": record.missing,
        "reviewer": directory.organisation_name(procedure.reviewer, chinese=chinese)
        if procedure.reviewer
        else None,
        "outcomes": [(o.value, lang.gettext(CASE_OUTCOME[o])) for o in procedure.outcomes],
        "penalty_allowed": CaseOutcome.PENALTY in procedure.outcomes,
        "people": {
            "opened_by": directory.actor_name(case.opened_by, lang),
            "reviewed_by": directory.actor_name(case.reviewed_by, lang),
            "statement_by": directory.actor_name(case.statement_by, lang),
            "decided_by": directory.actor_name(case.decided_by, lang),
        },
        "may_review": may_review and case.state is CaseState.OPENED,
        "may_answer": accountability.may_answer(actor, case)
        and case.state is CaseState.UNDER_REVIEW,
        "may_decide": may_review
        and case.state in (CaseState.UNDER_REVIEW, CaseState.STATEMENT_FILED),
        "typed": typed or {},
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "committee/cases/case.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


SHARE_FACTS = ("change", "tolerance")


def _fact(name: str, value: object, lang: PageLanguage) -> str:
    """A recorded fact as the page shows it: a time in China Standard Time, a share in per
    cent, a kind of duty by its name, anything else as recorded."""
    if value is None:
        return "—"
    if name in SHARE_FACTS and isinstance(value, int | float):
        return f"{value * 100:.1f} %"
    if name == "minutes_late" and isinstance(value, int | float):
        return f"{value:g} {lang.gettext('min')}"
    kinds = {kind.value: kind for kind in DutyKind}
    if name == "duty_kind" and isinstance(value, str) and value in kinds:
        return lang.gettext(responsibility_labels.DUTY[kinds[value]])
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return lang.time(moment)
    return str(value)[:200]
