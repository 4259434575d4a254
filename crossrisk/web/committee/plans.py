"""The contingency plan pages: the region's plans, one plan's conditions and task table with
its sources, import (or a new version) from YAML with every problem by line, export, and
activating a plan for a risk."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.plans.problems import PROBLEM_TEXTS
from crossrisk.domain.plans.reading import TEXT_MAX_BYTES
from crossrisk.domain.region import Region
from crossrisk.domain.risk import REASON_MAX
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import plan_activation, plans, regions
from crossrisk.services.plans import NOTE_MAX
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.committee.plans_view import plan_page
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.file_problems import problem_lines
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)

CODE_MAX = 64
FIELD_MAX = TEXT_MAX_BYTES + 1  # a longer field is refused by the reader, not cut


def _plan_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) > ID_MAX:
        raise NotFound(
            f"plan {value[:20]!r} does not exist",
            key="plan-not-found",
            params={"plan": value[:20]},
        )
    return int(value)


async def _fields(request: Request) -> dict[str, str]:
    data = await request.form()
    return {
        key[:CODE_MAX]: str(value)[:FIELD_MAX]
        for key, value in data.items()
        if isinstance(value, str)
    }


def _list_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region: Region,
    *,
    form: dict[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    versions = plans.list_plans(uow, actor, region.code)
    # One entry per plan code, its newest version shown and its earlier ones listed under it.
    by_code: dict[str, list[plans.PlanVersion]] = {}
    for found in versions:
        by_code.setdefault(found.plan.code if found.plan.id else "", []).append(found)
    context: dict[str, Any] = {
        "region": region,
        "regions": regions.readable_regions(uow, actor),
        "plans": [
            {
                "version": kept[-1],
                "name": lang.pick(kept[-1].plan.name_zh, kept[-1].plan.name_en),
                "older": list(reversed(kept[:-1])),
            }
            for kept in by_code.values()
        ],
        "may_edit": can_coordinate(actor, region.code),
        "form": form or {},
        "note_max": NOTE_MAX,
        "problems": problem_lines(refusal, lang, key="plan-invalid", texts=PROBLEM_TEXTS),
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, read_directory(uow, actor))
    status = 200 if refusal is None else error_status(refusal)
    return render(request, "committee/plans/list.html", context, actor=actor, status_code=status)


def _detail_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    plan_id: int,
    *,
    form: dict[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    found = plans.get_plan(uow, actor, plan_id)
    region = chosen_region(uow, actor, found.plan.region_code or "")
    directory = read_directory(uow, actor, region_codes={region.code})
    context: dict[str, Any] = {
        "found": found,
        "plan": found.plan,
        "page": plan_page(found.plan, lang),
        "region": region,
        "saved_by": directory.person_name(found.saved_by) if found.saved_by else "",
        "may_edit": can_coordinate(actor, region.code),
        "form": form or {"document": found.document},
        "note_max": NOTE_MAX,
        "reason_max": REASON_MAX,
        "problems": problem_lines(refusal, lang, key="plan-invalid", texts=PROBLEM_TEXTS),
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, directory)
    status = 200 if refusal is None else error_status(refusal)
    return render(request, "committee/plans/detail.html", context, actor=actor, status_code=status)


@router.get("/committee/plans")
def plans_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The default plan and the region's plans, newest version each, and the import form."""
    try:
        region = chosen_region(uow, actor, (request.query_params.get("region") or "")[:CODE_MAX])
        return _list_page(request, actor, uow, region)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/committee/plans/{plan_id}")
def plan_detail(plan_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """One version: conditions, the task table by role with deadlines and their sources."""
    try:
        return _detail_page(request, actor, uow, _plan_id(plan_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/committee/plans/{plan_id}/export")
def plan_export(plan_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The version's YAML as a download."""
    try:
        found = plans.get_plan(uow, actor, _plan_id(plan_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    name = f"{found.plan.code}-v{found.plan.version}.yaml"
    return Response(
        found.document.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/committee/plans")
async def import_plan(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee imports YAML as a new plan or a new version; problems shown by line.

    From a plan's page (`from_plan`), a refusal shows that page again with the text kept."""
    fields = await _fields(request)
    from_plan = fields.get("from_plan", "")
    try:
        region = chosen_region(uow, actor, fields.get("region", "")[:CODE_MAX])
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, fields.get("csrf_token"))
        saved = plans.import_plan(
            uow,
            actor,
            region.code,
            fields.get("document", ""),
            note=fields.get("note", ""),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        if from_plan:
            try:
                return _detail_page(
                    request, actor, uow, _plan_id(from_plan), form=fields, refusal=refusal
                )
            except NotFound:
                pass
        return _list_page(request, actor, uow, region, form=fields, refusal=refusal)
    return RedirectResponse(f"/committee/plans/{saved.plan.id}", status_code=303)


@router.post("/committee/plans/{plan_id}/activation")
async def activate_plan(plan_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee activates the plan for a risk with a reason; the risk's page follows."""
    fields = await _fields(request)
    try:
        number = _plan_id(plan_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    risk_text = fields.get("risk", "").strip()
    try:
        check_csrf(request, fields.get("csrf_token"))
        if not risk_text.isdigit() or len(risk_text) > 10 or int(risk_text) > ID_MAX:
            raise NotFound(
                f"risk {risk_text[:20]!r} does not exist",
                key="risk-unknown",
                params={"risk": risk_text[:20]},
            )
        plan_activation.activate_plan(
            uow, actor, int(risk_text), number, reason=fields.get("reason", ""), now=utc_now()
        )
    except CrossriskError as refusal:
        try:
            return _detail_page(request, actor, uow, number, refusal=refusal)
        except CrossriskError as missing:
            return error_page(request, missing, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/risks/{int(risk_text)}#responsibility", status_code=303)
