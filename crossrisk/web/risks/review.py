"""A risk's after-action review page: the record's overview, timeline and metrics, the
evaluator's rating form, the committee's corrective-action form and the owner's Done
button; the review as a printable document and PDF (the API's PDF too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.evaluation.review import DUE_WITHIN
from crossrisk.domain.moments import calendar_day, end_of_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.evaluation import can_plan_corrective_actions, can_rate_review
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import meetings, reviews
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks.report import PDF_MEDIA_TYPE, print_pdf
from crossrisk.web.risks.review_view import review_context
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import form_action, id_in_address
from crossrisk.web.shared.rendering import (
    environment,
    error_page,
    error_status,
    page_error,
    render,
)
from crossrisk.web.shared.tables import export_language

router = APIRouter(include_in_schema=False)


class RatingForm(BaseModel):
    csrf_token: str = ""
    capability: str = ""
    rating: str = ""
    strengths: str = ""
    improvements: str = ""


class ActionForm(BaseModel):
    csrf_token: str = ""
    capability: str = ""
    text: str = ""
    owner: str = ""
    due: str = ""


class DoneForm(BaseModel):
    csrf_token: str = ""
    note: str = ""


def due_of_day(value: str) -> datetime:
    """A due date typed as a day: the action falls due at the end of it, Beijing time."""
    day = calendar_day(value.strip()[:20], "due")
    if day is None:
        raise InvalidInput(
            "a corrective action needs a due date",
            key="review-action-due-out-of-range",
            params={"days": DUE_WITHIN.days},
        )
    return end_of_day(day)


@router.get("/risks/{risk_id}/review")
def review_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """The after-action review of a risk."""
    try:
        return _page(request, actor, uow, id_in_address(risk_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post("/risks/{risk_id}/review/ratings")
def rate(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[RatingForm, Form()],
) -> Response:
    """The evaluator rates one capability."""
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: reviews.rate_capability(
            uow,
            actor,
            number,
            capability=form.capability,
            rating=form.rating,
            strengths=form.strengths,
            improvements=form.improvements,
            now=utc_now(),
        ),
        anchor="#ratings",
    )


@router.post("/risks/{risk_id}/review/actions")
def add_action(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[ActionForm, Form()],
) -> Response:
    """The committee adds a corrective action: a duty of its owner."""
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: reviews.add_corrective_action(
            uow,
            actor,
            number,
            capability=form.capability,
            text=form.text,
            owner_code=form.owner,
            due_at=due_of_day(form.due),
            now=utc_now(),
        ),
        anchor="#improvement-plan",
        action_form=form,
    )


@router.post("/risks/{risk_id}/review/actions/{number}/done")
def action_done(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    number: str,
    form: Annotated[DoneForm, Form()],
) -> Response:
    """The owner marks a corrective action done."""
    if not number.isdigit() or len(number) > 6:
        number = "0"
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda found: reviews.complete_corrective_action(
            uow, actor, found, int(number), note=form.note, now=utc_now()
        ),
        anchor="#improvement-plan",
    )


def review_html(actor: Actor, uow: UnitOfWork, risk_id: int, lang: PageLanguage) -> str:
    """The review as a printable document in a language (the page's PDF, the API's, the CLI's)."""
    now = utc_now()
    report = reviews.review_of_risk(uow, actor, risk_id, now=now)
    directory = read_directory(uow, actor, region_codes={report.risk.region_code})
    context = {
        "lang": lang,
        "_": lang.gettext,
        **review_context(report, directory, lang, now=now),
        "generated_at": now,
        "issuer": lang.pick(actor.organisation.name_zh, actor.organisation.name_en),
    }
    return environment.get_template("risks/review_document.html").render(context)


def review_pdf(actor: Actor, uow: UnitOfWork, risk_id: int, lang: PageLanguage) -> bytes:
    """The review printed to PDF, its fonts embedded and its charts drawn."""
    return print_pdf(review_html(actor, uow, risk_id, lang))


@router.get("/risks/{risk_id}/review.pdf")
def review_pdf_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """The review as PDF, from its page's link; `?lang=en` for English."""
    try:
        return _pdf(request, actor, uow, id_in_address(risk_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/risks/{risk_id}/review.pdf", tags=["reviews"])
def review_pdf_api(request: Request, actor: ActorDep, uow: UowDep, risk_id: str) -> Response:
    """The review as PDF for API clients; `?lang=en` for English (Chinese first)."""
    return _pdf(request, actor, uow, id_in_address(risk_id))


@router.get("/risks/{risk_id}/review/document")
def review_document(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """The review as an HTML document to read, print or save."""
    try:
        html = review_html(actor, uow, id_in_address(risk_id), export_language(request))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return Response(html, media_type="text/html; charset=utf-8")


def _pdf(request: Request, actor: Actor, uow: UnitOfWork, risk_id: int) -> Response:
    content = review_pdf(actor, uow, risk_id, export_language(request))
    return Response(
        content,
        media_type=PDF_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="risk-{risk_id}-review.pdf"',
            "Cache-Control": "no-store",
        },
    )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    anchor: str,
    action_form: ActionForm | None = None,
) -> Response:
    """One form of the review page: back to it at `anchor`, or it again with the refusal
    and what was typed."""
    return form_action(
        request,
        actor,
        uow,
        risk_id,
        csrf_token,
        change,
        page=lambda number, refusal: _page(
            request, actor, uow, number, error=refusal, action_form=action_form
        ),
        then=lambda number: f"/risks/{number}/review{anchor}",
    )


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: int,
    *,
    error: CrossriskError | None = None,
    action_form: ActionForm | None = None,
) -> Response:
    lang = export_language(request)  # `?lang=en` shows the page in English, as the PDF
    now = utc_now()
    report = reviews.review_of_risk(uow, actor, risk_id, now=now)
    region_code = report.risk.region_code
    directory = read_directory(uow, actor, region_codes={region_code})
    may_plan = can_plan_corrective_actions(actor, region_code)
    owners = sorted(
        meetings.invitable(uow, actor, region_code) if may_plan else [],
        key=lambda o: (o.jurisdiction_code is not None, o.code),
    )
    context: dict[str, Any] = {
        **review_context(report, directory, lang, now=now),
        "lang": lang,
        "_": lang.gettext,
        "may_rate": can_rate_review(actor, region_code),
        "may_plan": may_plan,
        "owners": [(o.code, lang.pick(o.name_zh, o.name_en)) for o in owners],
        "action_form": action_form or ActionForm(),
        "own_organisation": actor.organisation.code,
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "risks/review.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )
