"""A risk's page: its facts, reach, situation, responsibility list, forms and history."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from starlette.responses import Response

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.drills.drill import drilled_organisation
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.permissions.risks import can_change_risk
from crossrisk.domain.risk import REASON_MAX, TRANSITIONS, Risk, RiskStatus
from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import accountability, duties, journal, plans, risks
from crossrisk.services import analysis as analysis_service
from crossrisk.services.policy_tables import hazard_types
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.risks import forms, hazard_fields
from crossrisk.web.risks.analysis_view import analysis_view, with_duties
from crossrisk.web.shared.case_rows import case_row
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.warnings.tables import risk_warnings_context


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
    note: str = ""
    by_drill: bool = False  # the actor's name then already says which organisation

    @property
    def who(self) -> str:
        """The organisation and the person, as one cell names them."""
        return self.actor if self.by_drill else f"{self.organisation_name} · {self.actor}"


@dataclass(frozen=True, slots=True)
class GivenForms:
    """Forms of the risk page as a refused submission left them, to show them again."""

    transition: forms.TransitionForm | None = None
    reassessment: forms.ReassessmentForm | None = None
    parameters: forms.ParametersForm | None = None
    lead: forms.LeadForm | None = None


def show_risk(
    request: Request,
    actor: Actor,
    uow: UowDep,
    risk_id: str,
    *,
    refusal: CrossriskError | None = None,
    given: GivenForms | None = None,
) -> Response:
    """Render a risk's page, with a refusal and the refused form's input if there was one."""
    lang = PageLanguage.of(request)
    given = given or GivenForms()
    try:
        number = id_in_address(risk_id)
        risk = risks.get_risk(uow, actor, number)
        # The whole record: the risk, its warnings, their deliveries and acknowledgements.
        history = journal.risk_record(uow, actor, number)
    except CrossriskError as missing:
        # A refused change of a risk that cannot be read is reported as the refusal itself.
        return error_page(
            request, refusal or missing, actor=actor, names=read_directory(uow, actor)
        )
    analysis = _current_analysis(uow, actor, number)
    directory = read_directory(uow, actor, region_codes={risk.region_code})
    view = (
        analysis_view(
            analysis,
            directory=directory,
            lang=lang,
            now=utc_now(),
            region_code=risk.region_code,
            hazard_geometry=risk.hazard_geometry,
            level=risk.level,
        )
        if analysis is not None
        else None
    )
    drawn_by = None
    if view is not None:
        # The list's deadlines as stored: one per duty, the warning's for an affected city.
        stored = duties.duties_of_risk(uow, actor, number)
        view = with_duties(view, stored, lang=lang, now=utc_now())
        drawn_by = plans.drawing_plan(uow, actor, number)
    map_data = (
        view.map_data
        if view is not None
        else {
            "boundariesUrl": f"/api/regions/{risk.region_code}/jurisdictions",
            "hazard": dict(risk.hazard_geometry),
            "level": risk.level.value,
            "pathway": None,
            "footprint": None,
            "origins": list(risk.origin_codes),
            "reached": {},
            "labels": [],
        }
    )
    warnings_context = risk_warnings_context(request, uow, actor, risk, directory)
    context = {
        **warnings_context,
        "risk": risk,
        "directory": directory,
        "history": history_rows(history, directory, lang),
        "view": view,
        # Which contingency plan and version drew the list, and whether chosen by hand.
        "drawn_by": drawn_by,
        "may_change": can_change_risk(
            actor, region_code=risk.region_code, origin_codes=risk.origin_codes
        ),
        "may_coordinate": can_coordinate(actor, risk.region_code),
        # The risk's accountability cases the user reads (its own as a party).
        "cases": [
            case_row(c, directory, lang)
            for c in accountability.list_cases(uow, actor, risk_id=number)
        ],
        "next_statuses": [status for status in RiskStatus if status in TRANSITIONS[risk.status]],
        "transition_form": given.transition or forms.TransitionForm(),
        "reassessment_form": given.reassessment
        or forms.ReassessmentForm(
            likelihood=str(risk.likelihood), consequence=str(risk.consequence)
        ),
        **_parameters_context(lang, risk, given.parameters, refusal),
        "lead_form": given.lead
        or forms.LeadForm(lead=analysis.responsibility.lead_code if analysis else ""),
        "reason_max": REASON_MAX,
        "geometry_json": _geometry_json(risk),
        "page_data": {
            "lang": lang.locale.html_lang,
            "reach": map_data,
            "reachTexts": map_texts(lang),
            "warnings": warnings_context["warnings_data"],
        },
        "error": page_error(lang, refusal, directory) if refusal else None,
    }
    status_code = error_status(refusal) if refusal else 200
    return render(request, "risks/detail.html", context, actor=actor, status_code=status_code)


def map_texts(lang: PageLanguage) -> dict[str, str]:
    """What the reach map's script says, in the page's language."""
    return {
        "noMapLibrary": lang.gettext(
            "The map library is not installed on this server (run scripts/install_web_assets.sh)."
        ),
        "loadFailed": lang.gettext("The city boundaries could not be loaded."),
    }


def history_rows(
    entries: Iterable[JournalEntry], directory: Directory, lang: PageLanguage
) -> list[HistoryRow]:
    """The journal entries about a risk, in the terms its history table uses."""
    rows = []
    for entry in entries:
        payload: Mapping[str, Any] = entry.payload
        snapshot = payload.get("risk") or {}
        rows.append(
            HistoryRow(
                at=entry.at,
                actor=directory.actor_name(entry.actor, lang),
                organisation=entry.organisation,
                organisation_name=directory.organisation_name(
                    entry.organisation, chinese=lang.is_chinese
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
                note=_history_note(entry, directory, lang),
                by_drill=drilled_organisation(entry.actor) is not None,
            )
        )
    return rows


def _history_note(entry: JournalEntry, directory: Directory, lang: PageLanguage) -> str:
    payload = entry.payload
    if entry.action == "risk.lead_assigned":
        lead = directory.jurisdiction_name(str(payload.get("lead", "")), chinese=lang.is_chinese)
        return lang.gettext("Lead: %(city)s") % {"city": lead}
    if entry.subject.startswith("warning:"):
        recipient = payload.get("recipient")
        organisation = payload.get("organisation")
        if isinstance(recipient, str):
            city = directory.jurisdiction_name(recipient, chinese=lang.is_chinese)
            return lang.gettext("Warning to %(city)s") % {"city": city}
        if isinstance(organisation, str):
            name = directory.organisation_name(organisation, chinese=lang.is_chinese)
            return lang.gettext("Delivery to %(organisation)s") % {"organisation": name}
    if entry.action in ("risk.analysed", "risk.escalated", "responsibility.confirmed"):
        version = payload.get("version")
        if isinstance(version, int):
            return lang.gettext("Analysis version %(version)d") % {"version": version}
    return ""


def _current_analysis(uow: UnitOfWork, actor: Actor, risk_id: int) -> Analysis | None:
    try:
        return analysis_service.current_analysis(uow, actor, risk_id)
    except InvalidInput:
        return None  # registered before analyses existed; the page says so


def _parameters_context(
    lang: PageLanguage,
    risk: Risk,
    given: forms.ParametersForm | None,
    refusal: CrossriskError | None,
) -> dict[str, Any]:
    # A registered risk keeps its category, so only the hazard types of that category fit.
    options = hazard_fields.hazard_options(lang, category=risk.category.value)
    form = given or forms.ParametersForm(hazard_type=risk.hazard_type)
    found = hazard_types().get(risk.hazard_type)
    current = risk.parameters if found is not None else {}
    return {
        "parameters_form": form,
        "hazard_options": options,
        "parameter_groups": hazard_fields.parameter_groups(
            lang,
            form.typed_parameters(),
            current=current,
            pathways=dict.fromkeys(option.pathway for option in options),
            # Only a refusal of the parameters form is shown at its fields.
            error=hazard_fields.field_error(lang, refusal) if given is not None else None,
        ),
    }


def _geometry_json(risk: Risk) -> str:
    return json.dumps(dict(risk.hazard_geometry), ensure_ascii=False)


def _status_or_none(value: object) -> RiskStatus | None:
    try:
        return RiskStatus(str(value)) if value else None
    except ValueError:
        return None
