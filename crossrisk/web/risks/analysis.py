"""Forms on a risk's analysis: new model parameters, confirming the list, naming a lead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.risk import Risk
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import analysis, risks
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks import forms, hazard_fields
from crossrisk.web.risks.detail import GivenForms, show_risk
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal
from crossrisk.web.shared.page_forms import id_in_address

router = APIRouter(include_in_schema=False)


@router.post("/risks/{risk_id}/parameters")
def reparametrise(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ParametersForm, Form()],
) -> Response:
    """Assess the risk with another hazard type or other model parameters; the reach follows."""
    lang = PageLanguage.of(request)

    def change_of(risk: Risk) -> risks.RiskChange:
        # Read against the risk as the transaction holds it, once the actor may change it:
        # who may not change the risk hears that, not what was wrong with the input.
        chosen = hazard_fields.hazard_type(lang, form.hazard_type, risk.category)
        parameters = hazard_fields.read_parameters(lang, chosen.pathway, form.typed_parameters())
        if chosen.key == risk.hazard_type and parameters == dict(risk.parameters):
            raise PageRefusal(lang.gettext("The hazard type and parameters are unchanged."))
        return risks.RiskChange(
            hazard_type=chosen.key, parameters=parameters, reason=forms.reason(lang, form.reason)
        )

    try:
        check_csrf(request, form.csrf_token)
        risks.change_risk(
            uow,
            actor,
            id_in_address(risk_id),
            change_of,
            expected_version=forms.version(form.version),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(
            request, actor, uow, risk_id, refusal=refusal, given=GivenForms(parameters=form)
        )
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/confirmation")
def confirm(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.ConfirmationForm, Form()],
) -> Response:
    """The coordination body confirms the newest version of the responsibility list."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        version = forms.version(form.version)
        if version is None:
            raise PageRefusal(lang.gettext("The form names no analysis version; reload the page."))
        analysis.confirm_responsibility_list(
            uow, actor, id_in_address(risk_id), version=version, now=utc_now()
        )
    except CrossriskError as refusal:
        return show_risk(request, actor, uow, risk_id, refusal=refusal)
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)


@router.post("/risks/{risk_id}/lead")
def change_lead(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[forms.LeadForm, Form()],
) -> Response:
    """The coordination body names another origin jurisdiction of a spanning source as lead."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        if not form.lead.strip():
            raise PageRefusal(lang.gettext("Choose the lead jurisdiction."))
        analysis.assign_lead(
            uow,
            actor,
            id_in_address(risk_id),
            lead_code=form.lead.strip(),
            reason=forms.reason(lang, form.reason),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return show_risk(request, actor, uow, risk_id, refusal=refusal, given=GivenForms(lead=form))
    return RedirectResponse(f"/risks/{risk_id}", status_code=303)
