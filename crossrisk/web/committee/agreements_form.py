"""The draft and amendment form of an agreement: parties as checkboxes of the region's
members, obligations as repeatable rows of party, kind, item or station, and one figure."""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.agreements.agreement import (
    OBLIGATIONS_MAX,
    PARTIES_MAX,
    SUBJECT_MAX,
    Agreement,
    ObligationKind,
    ReviewOutcome,
)
from crossrisk.domain.agreements.compensation import CompensationRuleName
from crossrisk.domain.agreements.reading import DEFAULT_OUTCOMES, DEFAULT_STATEMENT_DAYS, draft_from
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.agreements import can_draft_agreement
from crossrisk.domain.region import Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import agreements, regions
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.committee.agreements import agreement_id_of
from crossrisk.web.committee.agreements_view import KIND, OUTCOME, RULE
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)

# Blank rows a new form offers; "Add a row" adds one more (no script needed).
BLANK_ROWS = 3
VALUE_MAX = SUBJECT_MAX + 1
PARAMETERS_MAX = 5000
# The one figure a row's kind takes, under the name the reader knows it by.
FIGURE = {
    ObligationKind.REPORT_WITHIN: "minutes",
    ObligationKind.KEEP_RESERVE: "quantity",
    ObligationKind.MAINTAIN_GAUGE: "hours",
    ObligationKind.ANSWER_AID_WITHIN: "hours",
    ObligationKind.CONTRIBUTE_FUND: "amount_yuan",
}
_TEXTS = ("title", "title_en", "subject", "subject_en", "valid_from", "valid_until")


def _blank_row() -> dict[str, str]:
    return {"party": "", "kind": "", "item": "", "station": "", "figure": "", "note": ""}


def _form_of(agreement: Agreement | None) -> dict[str, Any]:
    """The form's fields: blank for a new draft, or the version an amendment starts from."""
    if agreement is None:
        today = utc_now().astimezone(DISPLAY_ZONE).date()
        return {
            **{name: "" for name in _TEXTS},
            "valid_from": today.isoformat(),
            "parties": [],
            "rows": [_blank_row() for _ in range(BLANK_ROWS)],
            "rule": CompensationRuleName.REIMBURSE_AID_COSTS.value,
            "rule_parameters": "{}",
            "reviewer": "",
            "outcomes": [o.value for o in DEFAULT_OUTCOMES],
            "statement_days": str(DEFAULT_STATEMENT_DAYS),
            "penalty_yuan": "",
        }
    text = agreement.text
    rows = []
    for o in text.obligations:
        figure = getattr(o, FIGURE[o.kind])
        rows.append(
            {
                "party": o.party,
                "kind": o.kind.value,
                "item": o.item_code or "",
                "station": o.station_code or "",
                "figure": f"{figure:.15g}",
                "note": o.note,
            }
        )
    return {
        "title": text.title,
        "title_en": text.title_en,
        "subject": text.subject,
        "subject_en": text.subject_en,
        "valid_from": text.valid_from.isoformat(),
        "valid_until": "" if text.valid_until is None else text.valid_until.isoformat(),
        "parties": list(text.parties),
        "rows": [*rows, _blank_row()],
        "rule": text.compensation.name.value,
        "rule_parameters": json.dumps(dict(text.compensation.parameters), ensure_ascii=False),
        "reviewer": text.accountability.reviewer,
        "outcomes": [o.value for o in text.accountability.outcomes],
        "statement_days": str(text.accountability.statement_days),
        "penalty_yuan": (
            ""
            if text.accountability.penalty_yuan is None
            else f"{text.accountability.penalty_yuan:.2f}"
        ),
    }


def _read_form(data: FormData) -> dict[str, Any]:
    """The submitted fields, each cut to a bound (a longer value is refused downstream)."""

    def one(name: str) -> str:
        value = data.get(name)
        return value[:VALUE_MAX] if isinstance(value, str) else ""

    def many(name: str, limit: int) -> list[str]:
        return [v[:64] for v in data.getlist(name) if isinstance(v, str)][: limit + 1]

    count = one("rows")
    rows_count = min(int(count), OBLIGATIONS_MAX) if count.isdigit() and len(count) < 5 else 0
    rows = [{field: one(f"ob_{field}_{n}") for field in _blank_row()} for n in range(rows_count)]
    return {
        **{name: one(name) for name in _TEXTS},
        "parties": many("party", PARTIES_MAX),
        "rows": rows,
        "rule": one("rule")[:64],
        "rule_parameters": one("rule_parameters")[: PARAMETERS_MAX + 1],
        "reviewer": one("reviewer")[:64],
        "outcomes": many("outcome", len(ReviewOutcome)),
        "statement_days": one("statement_days")[:10],
        "penalty_yuan": one("penalty_yuan")[:20],
    }


def _figure(text: str) -> float | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(
            f"{text[:20]!r} is not a number",
            key="agreement-figure-not-a-number",
            params={"value": text[:20]},
        ) from None
    return value if math.isfinite(value) else None


def _mapping(form: dict[str, Any]) -> dict[str, Any]:
    """The form as the one reader of agreement texts takes it."""
    obligations = []
    for row in form["rows"]:
        if not row["party"] and not row["figure"].strip():
            continue  # a blank row
        entry: dict[str, Any] = {"party": row["party"], "kind": row["kind"], "note": row["note"]}
        figure = _figure(row["figure"])
        if row["kind"] in FIGURE and figure is not None:
            entry[FIGURE[ObligationKind(row["kind"])]] = figure
        if row["item"]:
            entry["item_code"] = row["item"]
        if row["station"]:
            entry["station_code"] = row["station"]
        obligations.append(entry)
    if len(form["rule_parameters"]) > PARAMETERS_MAX:
        raise InvalidInput("the rule's parameters are too long", key="agreement-parameters-invalid")
    try:
        parameters = json.loads(form["rule_parameters"] or "{}")
    except ValueError:
        raise InvalidInput(
            "the rule's parameters are not JSON", key="agreement-parameters-invalid"
        ) from None
    days = form["statement_days"].strip()
    accountability: dict[str, Any] = {
        "reviewer": form["reviewer"] or None,
        "outcomes": form["outcomes"],
        "statement_days": int(days) if days.isdigit() and len(days) < 5 else -1,
    }
    penalty = _figure(form.get("penalty_yuan", ""))
    if penalty is not None:
        accountability["penalty_yuan"] = penalty
    return {
        **{name: form[name] for name in _TEXTS},
        "parties": form["parties"],
        "obligations": obligations,
        "compensation": {"name": form["rule"], "parameters": parameters},
        "accountability": accountability,
    }


def _region(uow: UnitOfWork, actor: Actor, code: str) -> Region:
    """The region drafted for: the one asked for, else the first the user coordinates."""
    readable = regions.readable_regions(uow, actor)
    chosen = next((r for r in readable if r.code == code), None) if code else None
    if chosen is None:
        chosen = next((r for r in readable if can_draft_agreement(actor, r.code)), None)
    if chosen is None or not can_draft_agreement(actor, chosen.code):
        raise NotFound(
            "your organisation drafts no region's agreements",
            key="agreement-draft-not-permitted",
            params={"region": code[:32]},
        )
    return chosen


def _form_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region: Region,
    form: dict[str, Any],
    *,
    amends: Agreement | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    choices = agreements.drafting_choices(uow, actor, region.code)
    directory = read_directory(uow, actor, region_codes={region.code})
    code = lang.locale.code
    context: dict[str, Any] = {
        "region": region,
        "form": form,
        "amends": amends,
        "parties": [(o.code, lang.pick(o.name_zh, o.name_en)) for o in choices.parties],
        "coordinator": (
            choices.coordinator,
            directory.organisation_name(choices.coordinator, chinese=lang.is_chinese),
        ),
        "stations": [(s.code, lang.pick(s.name_zh, s.name_en)) for s in choices.stations],
        "items": [(i.code, i.name(code), i.unit_name(code)) for i in aid_catalogue().items],
        "kinds": [(k.value, lang.gettext(label)) for k, label in KIND.items()],
        "rules": [(r.value, lang.gettext(label)) for r, label in RULE.items()],
        "outcome_choices": [(o.value, lang.gettext(label)) for o, label in OUTCOME.items()],
        "action": f"/committee/agreements/{amends.id}/amend"
        if amends is not None
        else "/committee/agreements/new",
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, directory)
    return render(
        request,
        "committee/agreements/form.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


@router.get("/committee/agreements/new")
def new_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The blank draft form, for the committee."""
    try:
        region = _region(uow, actor, request.query_params.get("region", "")[:32])
        return _form_page(request, actor, uow, region, _form_of(None))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/committee/agreements/{agreement_id}/amend")
def amend_page(request: Request, actor: PageActor, uow: UowDep, agreement_id: str) -> Response:
    """The form filled with the version in force, to change into the next version."""
    try:
        current = agreements.get_agreement(uow, actor, agreement_id_of(agreement_id))
        region = _region(uow, actor, current.region_code)
        return _form_page(request, actor, uow, region, _form_of(current), amends=current)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post("/committee/agreements/new")
async def submit_new(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Draft the agreement (or add a blank obligation row and show the form again)."""
    return await _submit(request, actor, uow, amends_id=None)


@router.post("/committee/agreements/{agreement_id}/amend")
async def submit_amendment(
    request: Request, actor: PageActor, uow: UowDep, agreement_id: str
) -> Response:
    """Make the amendment: the next version, to be signed again."""
    try:
        found = agreement_id_of(agreement_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return await _submit(request, actor, uow, amends_id=found)


async def _submit(
    request: Request, actor: Actor, uow: UnitOfWork, *, amends_id: int | None
) -> Response:
    data = await request.form()
    form = _read_form(data)
    try:
        amends = None if amends_id is None else agreements.get_agreement(uow, actor, amends_id)
        region = _region(
            uow, actor, amends.region_code if amends else str(data.get("region", ""))[:32]
        )
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    if data.get("add_row"):
        form["rows"].append(_blank_row())
        return _form_page(request, actor, uow, region, form, amends=amends)
    try:
        check_csrf(request, str(data.get("csrf_token", ""))[:200])
        text = draft_from(_mapping(form))
        if amends is None:
            made = agreements.draft_agreement(uow, actor, region.code, text, now=utc_now())
        else:
            made = agreements.amend_agreement(uow, actor, amends.id or 0, text, now=utc_now())
    except CrossriskError as refusal:
        return _form_page(request, actor, uow, region, form, amends=amends, refusal=refusal)
    return RedirectResponse(f"/committee/agreements/{made.id}", status_code=303)
