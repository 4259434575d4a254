"""The evaluation pages: members' scorecards, one member's scorecard with its trend, the
evaluator's assessment form, and the committee's reward/penalty list."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.evaluation.assessment import AssessmentDraft
from crossrisk.domain.moments import calendar_day, local_day
from crossrisk.domain.organisation import Actor, OrganisationKind
from crossrisk.domain.permissions.evaluation import can_assess
from crossrisk.domain.region import Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import regions, scorecards
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.evaluation import scorecards_view as view
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
BASE = "/evaluation"
CODE_MAX = 64


class AssessmentForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    organisation: str = ""
    period_start: str = ""
    period_end: str = ""
    note: str = ""
    criterion: list[str] = []
    score: list[str] = []


def _period(start: str, end: str) -> tuple[date, date]:
    """The period asked for; by default the year so far, in Beijing days."""
    today = local_day(utc_now())
    first = calendar_day(start.strip()[:20], "from") or date(today.year, 1, 1)
    last = calendar_day(end.strip()[:20], "to") or today
    return first, last


def _region(uow: UnitOfWork, actor: Actor, code: str) -> tuple[Region, list[Region]]:
    readable = regions.readable_regions(uow, actor)
    if not readable:
        raise InvalidInput(
            "you read no region",
            key="region-not-readable",
            params={"organisation": actor.organisation.code, "region": code[:CODE_MAX]},
        )
    chosen = next((r for r in readable if r.code == code[:CODE_MAX]), readable[0])
    return chosen, readable


@router.get(BASE + "/scorecards")
def scorecards_page(request: Request, actor: PageActor, uow: UowDep, region: str = "") -> Response:
    """The members of a region with their scores and record over the period."""
    return _standings_page(request, actor, uow, region, _query(request), "scorecards.html")


@router.get(BASE + "/rewards")
def rewards_page(request: Request, actor: PageActor, uow: UowDep, region: str = "") -> Response:
    """The committee's reward/penalty list: members ranked, each with the figures behind it."""
    return _standings_page(request, actor, uow, region, _query(request), "rewards.html")


@router.get(BASE + "/scorecards/{organisation}")
def scorecard_page(request: Request, actor: PageActor, uow: UowDep, organisation: str) -> Response:
    """One member's scorecard: the weighted assessments, its record, the trend, the filings."""
    lang = PageLanguage.of(request)
    try:
        start, end = _period(*_query(request))
        card = scorecards.scorecard(
            uow, actor, organisation[:CODE_MAX], start=start, end=end, now=utc_now()
        )
        filed = [
            a
            for a in scorecards.list_assessments(
                uow, actor, organisation_code=card.organisation_code
            )
            if a.overlaps(start, end)
        ]
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    directory = read_directory(uow, actor)
    criteria = scorecards.criteria()
    weights = scorecards.weights()
    context: dict[str, Any] = {
        "card": card,
        "name": directory.organisation_name(card.organisation_code, chinese=lang.is_chinese),
        "start": start,
        "end": end,
        "score": view.figure(card.assessment.score),
        "third_party": view.figure(card.assessment.third_party),
        "self_assessed": view.figure(card.assessment.self_assessed),
        "weights": (f"{weights.third_party:g}", f"{weights.self_assessed:g}"),
        "criteria": view.criterion_rows(card, criteria, lang),
        "record": view.record_rows(card, lang),
        "assessments": view.assessment_rows(filed, criteria, directory, lang),
        "page_data": view.trend_data(card, lang),
        "cases": view.case_rows(card, lang),
    }
    return render(request, "evaluation/scorecard.html", context, actor=actor)


@router.get(BASE + "/assessments/new")
def assessment_form_page(
    request: Request, actor: PageActor, uow: UowDep, region: str = "", organisation: str = ""
) -> Response:
    """The assessment form, listing the published criteria with their scales and sources."""
    return _assessment_form(
        request, actor, uow, AssessmentForm(region=region, organisation=organisation)
    )


@router.post(BASE + "/assessments")
def file_assessment(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[AssessmentForm, Form()]
) -> Response:
    """File the assessment; the member's scorecard for its period follows."""
    try:
        check_csrf(request, form.csrf_token)
        start = calendar_day(form.period_start.strip()[:20], "from")
        end = calendar_day(form.period_end.strip()[:20], "to")
        if start is None or end is None:
            raise InvalidInput(
                "a period needs both dates", key="date-invalid", params={"name": "from"}
            )
        filed = scorecards.file_assessment(
            uow,
            actor,
            AssessmentDraft(
                region_code=form.region.strip()[:CODE_MAX],
                organisation_code=form.organisation.strip()[:CODE_MAX],
                period_start=start,
                period_end=end,
                scores=_scores(form),
                note=form.note,
            ),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _assessment_form(request, actor, uow, form, error=refusal)
    target = f"{BASE}/scorecards/{filed.organisation_code}?" + view.period_query(
        filed.period_start, filed.period_end
    )
    return RedirectResponse(target, status_code=303)


def _query(request: Request) -> tuple[str, str]:
    return request.query_params.get("from", ""), request.query_params.get("to", "")


def _scores(form: AssessmentForm) -> dict[str, float]:
    if len(form.criterion) != len(form.score):
        raise InvalidInput("the form's scores are incomplete", key="assessment-score-invalid")
    scores: dict[str, float] = {}
    for key, value in zip(form.criterion, form.score, strict=True):
        text = value.strip()
        if not text:
            continue  # a criterion left blank is not scored
        try:
            if len(text) > 20:
                raise ValueError(text)
            number = float(text)
        except ValueError:
            raise InvalidInput(
                f"score {text[:20]!r} is not a number", key="assessment-score-invalid"
            ) from None
        if not math.isfinite(number):
            raise InvalidInput("a score is a finite number", key="assessment-score-invalid")
        scores[key[:CODE_MAX]] = number
    return scores


def _standings_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region_code: str,
    period: tuple[str, str],
    template: str,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        start, end = _period(*period)
        chosen, readable = _region(uow, actor, region_code)
        standings = scorecards.rewards_and_penalties(
            uow, actor, chosen.code, start=start, end=end, now=utc_now()
        )
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    directory = read_directory(uow, actor)
    policy = scorecards.reward_policy()
    context: dict[str, Any] = {
        "region": chosen,
        "regions": readable,
        "start": start,
        "end": end,
        "query": view.period_query(start, end),
        "rows": view.standing_rows(standings, directory, lang),
        "may_assess": _may_assess(actor, chosen.code),
        "policy": {
            "places": policy.reward_places,
            "reward_min": f"{policy.reward_min:g}",
            "penalty_below": f"{policy.penalty_below:g}",
        },
    }
    return render(request, f"evaluation/{template}", context, actor=actor)


def _may_assess(actor: Actor, region_code: str) -> bool:
    return actor.kind in (OrganisationKind.EVALUATOR, OrganisationKind.JURISDICTION) and (
        can_assess(
            actor,
            region_code=region_code,
            member_code=actor.organisation.code,
        )
    )


def _assessment_form(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    form: AssessmentForm,
    *,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        chosen, _readable = _region(uow, actor, form.region)
        members = scorecards.members(uow, actor, chosen.code)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    if actor.kind is OrganisationKind.JURISDICTION:
        # A member city assesses only itself.
        members = [m for m in members if m.code == actor.organisation.code]
    allowed = _may_assess(actor, chosen.code)
    typed = dict(zip(form.criterion, form.score, strict=False))
    today = local_day(utc_now())
    context: dict[str, Any] = {
        "form": form,
        "region": chosen,
        "members": [(m.code, lang.pick(m.name_zh, m.name_en)) for m in members],
        "may_assess": allowed,
        "is_evaluator": actor.kind is OrganisationKind.EVALUATOR,
        "criteria": [
            {
                "key": c.key,
                "name": lang.pick(c.name_zh, c.name_en),
                "description": lang.pick(c.description_zh, c.description_en),
                "weight": f"{c.weight:g}",
                "min": f"{c.scale_min:g}",
                "max": f"{c.scale_max:g}",
                "source": c.source,
                "published": c.source_kind.value == "published",
                "value": typed.get(c.key, ""),
            }
            for c in scorecards.criteria()
        ],
        "default_start": form.period_start or date(today.year, 1, 1).isoformat(),
        "default_end": form.period_end or today.isoformat(),
    }
    if error is not None:
        context["error"] = page_error(lang, error, read_directory(uow, actor))
    return render(
        request,
        "evaluation/assessment_new.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )
