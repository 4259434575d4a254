"""The risk register pages: the list, registering a risk, a risk with its history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.api.deps import UowDep, check_csrf, utc_now
from crossrisk.domain import permissions
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.domain.region import Region
from crossrisk.domain.risk import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    TRANSITIONS,
    RiskCategory,
    RiskStatus,
)
from crossrisk.services import regions, risks
from crossrisk.web import forms
from crossrisk.web.directory import Directory, read_directory
from crossrisk.web.i18n import PageLanguage
from crossrisk.web.rendering import error_status, page_error, render
from crossrisk.web.session import PageActor

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One journal entry about a risk, as its history table shows it."""

    at: datetime
    actor: str
    organisation: str
    organisation_name: str
    action: str
    reason: str
    from_status: RiskStatus | None
    to_status: RiskStatus | None
    changed: tuple[str, ...]


@router.get("/risks")
def list_page(
    request: Request, actor: PageActor, uow: UowDep, status: str = "", category: str = ""
) -> Response:
    """The register, filtered by status and category."""
    lang = PageLanguage.of(request)
    context: dict[str, Any] = {
        "statuses": list(RiskStatus),
        "categories": list(RiskCategory),
        "chosen_status": status,
        "chosen_category": category,
        "may_register": may_register(actor, regions.readable_regions(uow, actor)),
        "directory": read_directory(uow, actor),
        "risks": [],
    }
    try:
        chosen_status = RiskStatus(status) if status else None
        chosen_category = RiskCategory(category) if category else None
    except ValueError:
        error = InvalidInput(lang.gettext("Unknown filter value; choose from the lists."))
        context["error"] = page_error(lang, error)
        return render(request, "risks/list.html", context, actor=actor, status_code=400)
    context["risks"] = risks.list_risks(uow, actor, status=chosen_status, category=chosen_category)
    return render(request, "risks/list.html", context, actor=actor)


@router.get("/risks/new")
def new_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The registration form, for the actor's own region."""
    readable = regions.readable_regions(uow, actor)
    form = forms.RiskForm(region=default_region(actor, readable))
    return _registration_page(request, actor, readable, form)


@router.post("/risks/new")
def register(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[forms.RiskForm, Form()],
) -> Response:
    """Register the risk described by the form and show it; a refusal shows the form again."""
    lang = PageLanguage.of(request)
    readable = regions.readable_regions(uow, actor)
    try:
        check_csrf(request, form.csrf_token)
        draft = forms.risk_draft(form, lang)
        risk = risks.register_risk(uow, actor, draft, region_code=form.region, now=utc_now())
    except CrossriskError as refusal:
        return _registration_page(request, actor, readable, form, refusal=refusal, lang=lang)
    return RedirectResponse(f"/risks/{risk.id}", status_code=303)


@router.get("/risks/{risk_id}")
def risk_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk with its origins, hazard source, forms to change it and its history."""
    return _risk_page(request, actor, uow, risk_id)


@router.post("/risks/{risk_id}/transition")
def transition(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.TransitionForm, Form()],
) -> Response:
    """Move the risk to the next stage of its cycle, with the reason given."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        risks.transition_risk(
            uow,
            actor,
            _risk_id(risk_id),
            to=forms.status(lang, form.to),
            reason=forms.reason(lang, form.reason),
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _risk_page(request, actor, uow, risk_id, refusal=refusal, transition_form=form)
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/reassess")
def reassess(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ReassessmentForm, Form()],
) -> Response:
    """Set a new likelihood and consequence; the event level follows."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        change = risks.RiskChange(
            likelihood=forms.scale(lang, lang.gettext("Likelihood"), form.likelihood),
            consequence=forms.scale(lang, lang.gettext("Consequence"), form.consequence),
            reason=forms.reason(lang, form.reason),
        )
        risks.change_risk(
            uow,
            actor,
            _risk_id(risk_id),
            change,
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _risk_page(request, actor, uow, risk_id, refusal=refusal, reassessment_form=form)
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


def may_register(actor: Actor, readable: Iterable[Region]) -> bool:
    """True when the actor could register a risk somewhere it reads (its own city, for a city)."""
    # The services decide for real; this only spares people a form they cannot submit.
    origins = [actor.jurisdiction_code] if actor.jurisdiction_code else []
    return any(
        permissions.can_change_risk(actor, region_code=region.code, origin_codes=origins)
        for region in readable
    )


def default_region(actor: Actor, readable: list[Region]) -> str:
    """The region a new risk goes to unless the officer picks another: the actor's own."""
    own = [region.code for region in readable if region.code in actor.region_codes]
    return (own or [region.code for region in readable] or [""])[0]


def history_rows(
    entries: Iterable[JournalEntry], directory: Directory, lang: PageLanguage
) -> list[HistoryRow]:
    """The journal entries about a risk, in the terms its history table uses."""
    rows = []
    for entry in entries:
        payload: Mapping[str, Any] = entry.payload
        snapshot = payload.get("risk") or {}
        organisation = directory.organisations.get(entry.organisation)
        rows.append(
            HistoryRow(
                at=entry.at,
                actor=entry.actor,
                organisation=entry.organisation,
                organisation_name=(
                    lang.pick(organisation.name_zh, organisation.name_en)
                    if organisation is not None
                    else entry.organisation
                ),
                action=entry.action,
                reason=str(payload.get("reason", "")),
                from_status=_status_or_none(payload.get("from")),
                to_status=_status_or_none(payload.get("to"))
                or (
                    _status_or_none(snapshot.get("status"))
                    if entry.action == "risk.registered"
                    else None
                ),
                changed=tuple(str(name) for name in payload.get("changed", ())),
            )
        )
    return rows


def _status_or_none(value: object) -> RiskStatus | None:
    try:
        return RiskStatus(str(value)) if value else None
    except ValueError:
        return None


def _risk_id(value: str) -> int:
    if not value.isdigit():
        raise NotFound(f"risk {value!r} does not exist")
    return int(value)


def _registration_page(
    request: Request,
    actor: Actor,
    readable: list[Region],
    form: forms.RiskForm,
    *,
    refusal: CrossriskError | None = None,
    lang: PageLanguage | None = None,
) -> Response:
    lang = lang or PageLanguage.of(request)
    page_data = {
        "lang": lang.locale.html_lang,
        "boundariesUrl": "/api/regions/{region}/jurisdictions",
        "ownJurisdiction": actor.jurisdiction_code,
        "texts": {
            "noMapLibrary": lang.gettext(
                "The map library is not installed on this server "
                "(run scripts/install_web_assets.sh); type the coordinates instead."
            ),
            "loadFailed": lang.gettext("The city boundaries could not be loaded."),
            "placed": lang.gettext("Hazard source placed in %(city)s."),
            "outside": lang.gettext("That point lies outside the member cities of the region."),
            "invalidGeojson": lang.gettext("The pasted text is not GeoJSON yet."),
        },
    }
    context = {
        "form": form,
        "regions": readable,
        "categories": list(RiskCategory),
        "may_register": may_register(actor, readable),
        "title_max": TITLE_MAX,
        "description_max": DESCRIPTION_MAX,
        "page_data": page_data,
        "error": page_error(lang, refusal) if refusal else None,
    }
    status_code = error_status(refusal) if refusal else 200
    return render(request, "risks/new.html", context, actor=actor, status_code=status_code)


def _risk_page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    risk_id: str,
    *,
    refusal: CrossriskError | None = None,
    transition_form: forms.TransitionForm | None = None,
    reassessment_form: forms.ReassessmentForm | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        number = _risk_id(risk_id)
        risk = risks.get_risk(uow, actor, number)
        history = risks.risk_history(uow, actor, number)
    except CrossriskError as missing:
        # A refused change of a risk that cannot be read is reported as the refusal itself.
        shown = refusal or missing
        return render(
            request,
            "error.html",
            {"error": page_error(lang, shown)},
            actor=actor,
            status_code=error_status(shown),
        )
    directory = read_directory(uow, actor, region_codes={risk.region_code})
    context = {
        "risk": risk,
        "directory": directory,
        "history": history_rows(history, directory, lang),
        "may_change": risks.can_change(actor, risk),
        "next_statuses": [status for status in RiskStatus if status in TRANSITIONS[risk.status]],
        "transition_form": transition_form or forms.TransitionForm(),
        "reassessment_form": reassessment_form
        or forms.ReassessmentForm(
            likelihood=str(risk.likelihood), consequence=str(risk.consequence)
        ),
        "reason_max": REASON_MAX,
        "geometry_json": json.dumps(dict(risk.hazard_geometry), ensure_ascii=False),
        "page_data": {
            "lang": lang.locale.html_lang,
            "hazard": dict(risk.hazard_geometry),
            "level": risk.level.value,
            "origins": list(risk.origin_codes),
            "jurisdictionUrl": "/api/jurisdictions/",
            "texts": {
                "noMapLibrary": lang.gettext(
                    "The map library is not installed on this server "
                    "(run scripts/install_web_assets.sh)."
                ),
            },
        },
        "error": page_error(lang, refusal) if refusal else None,
    }
    status_code = error_status(refusal) if refusal else 200
    return render(request, "risks/detail.html", context, actor=actor, status_code=status_code)
