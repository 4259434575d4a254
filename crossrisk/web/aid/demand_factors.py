"""The demand factors page: a region's current set, its earlier versions, the committee's edit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.demand_factors import AMOUNT_MAX, TEXT_MAX, FactorSet
from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate, require_coordinate
from crossrisk.domain.region import Region
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import demand_factors, regions
from crossrisk.services.demand_factors import NOTE_MAX
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)

# A number typed in a form field: longer is not a number; a code or a region is short.
FIELD_MAX = 32
CODE_MAX = 64


@dataclass(frozen=True, slots=True)
class FactorLine:
    """One factor as the page shows it, in the page's language."""

    code: str
    name: str
    amount: float
    first_phase_amount: float | None
    first_phase_days: int | None
    measure: str
    per: str
    applies_to: str
    items: list[str]
    clause: str


def _lines(factors: FactorSet, lang: PageLanguage) -> list[FactorLine]:
    catalogue = aid_catalogue()
    _ = lang.gettext
    lines = []
    for factor in factors.factors:
        items = []
        for met_by in factor.items:
            item = catalogue.item(met_by.item_code)
            items.append(
                _("%(item)s (one %(unit)s meets %(yields)s %(measure)s)")
                % {
                    "item": item.name(lang.locale.code),
                    "unit": item.unit_name(lang.locale.code),
                    "yields": f"{met_by.yields:,.6g}",
                    "measure": factor.measure,
                }
            )
        lines.append(
            FactorLine(
                code=factor.code,
                name=factor.name(lang.locale.code),
                amount=factor.amount,
                first_phase_amount=factor.first_phase_amount,
                first_phase_days=factor.first_phase_days,
                measure=factor.measure,
                per=_("per person per day")
                if factor.per == "person_day"
                else _("per person, once"),
                applies_to=_("everyone affected")
                if factor.applies_to == "affected"
                else _("the displaced"),
                items=items,
                clause=factor.clause,
            )
        )
    return lines


def _version(value: str | None) -> int | None:
    """The version asked for in the address (blank for the newest)."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 19 or int(text) > ID_MAX:
        shown = text[:20]
        raise NotFound(
            f"no demand factors of version {shown!r}",
            key="demand-factors-not-found",
            params={"version": shown},
        )
    return int(text)


def _form_of(factors: FactorSet) -> dict[str, str]:
    """The edit form's fields, filled from a version."""
    form = {
        "source": factors.source,
        "edition": factors.edition,
        "default_displaced_share": f"{factors.default_displaced_share:.15g}",
        "default_days": str(factors.default_days),
        "reason": "",
    }
    for factor in factors.factors:
        form[f"amount_{factor.code}"] = f"{factor.amount:.15g}"
        if factor.first_phase_amount is not None:
            form[f"first_phase_amount_{factor.code}"] = f"{factor.first_phase_amount:.15g}"
            form[f"first_phase_days_{factor.code}"] = str(factor.first_phase_days)
        form[f"clause_{factor.code}"] = factor.clause
    return form


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region: Region,
    *,
    version: int | None,
    form: dict[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    directory: Directory = read_directory(uow, actor, region_codes={region.code})
    versions = demand_factors.factor_versions(uow, actor, region.code)
    newest = versions[-1]
    shown = newest if version is None else _pick(versions, version)
    may_edit = can_coordinate(actor, region.code)
    context: dict[str, Any] = {
        "region": region,
        "regions": regions.readable_regions(uow, actor),
        "factors": shown,
        "newest": newest,
        "lines": _lines(shown, lang),
        "versions": list(reversed(versions)),
        "saved_by": directory.person_name(shown.saved_by),
        "names": {v.version: directory.person_name(v.saved_by) for v in versions},
        "may_edit": may_edit,
        "form": form or _form_of(shown),
        "note_max": NOTE_MAX,
        "text_max": TEXT_MAX,
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, directory)
    return render(
        request,
        "aid/demand_factors.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


def _pick(versions: list[FactorSet], version: int) -> FactorSet:
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        raise NotFound(
            f"no demand factors of version {version}",
            key="demand-factors-not-found",
            params={"version": version},
        )
    return found


@router.get("/aid/demand-factors")
def factors_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The region's demand factors (`?version=N` for an earlier one) and their versions."""
    params = request.query_params
    try:
        region = chosen_region(uow, actor, (params.get("region") or "")[:CODE_MAX])
        return _page(request, actor, uow, region, version=_version(params.get("version")))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


def _bad_number(factor: str, lang_names: tuple[str, str], value: str, key: str) -> InvalidInput:
    # What was typed is said back, without control characters and not at length.
    shown = "".join(c for c in value if c.isprintable())[:FIELD_MAX]
    return InvalidInput(
        f"{factor}: {shown!r} is not an allowed amount",
        key=key,
        params={"factor_zh": lang_names[0], "factor_en": lang_names[1], "value": shown},
    )


def _amount(text: str | None) -> float:
    """A number typed in the form; NaN when it is not one (refused by the caller)."""
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned or len(cleaned) > FIELD_MAX or "\x00" in cleaned:
        return math.nan
    try:
        return float(cleaned)
    except ValueError:
        return math.nan


def edited_table(base: FactorSet, fields: dict[str, str]) -> dict[str, Any]:
    """The base version's table with the form's amounts, clauses, source and defaults."""
    table = base.table()
    for name in ("source", "edition"):
        table[name] = fields.get(name, "")
    share = _amount(fields.get("default_displaced_share"))
    days = _amount(fields.get("default_days"))
    if not (math.isfinite(share) and 0 <= share <= 1) or not (
        math.isfinite(days) and days == int(days) and 1 <= days <= 365
    ):
        raise InvalidInput(
            "the default displaced share lies within 0–1 and the default days within 1–365",
            key="demand-factors-defaults-invalid",
        )
    table["default_displaced_share"] = share
    table["default_days"] = int(days)
    by_code = {f.code: f for f in base.factors}
    for entry in table["factor"]:
        code = entry["code"]
        names = (by_code[code].name_zh, by_code[code].name_en)
        for field in ("amount", "first_phase_amount"):
            if field not in entry:
                continue
            typed = fields.get(f"{field}_{code}", "")
            value = _amount(typed)
            if not (math.isfinite(value) and 0 <= value <= AMOUNT_MAX):
                raise _bad_number(code, names, typed, "demand-factor-amount-invalid")
            entry[field] = value
        if "first_phase_days" in entry:
            typed = fields.get(f"first_phase_days_{code}", "")
            days = _amount(typed)
            if not (math.isfinite(days) and days == int(days) and 1 <= days <= 365):
                raise _bad_number(code, names, typed, "demand-factor-days-invalid")
            entry["first_phase_days"] = int(days)
        entry["clause"] = fields.get(f"clause_{code}", "")
    return table


@router.post("/aid/demand-factors")
async def save_factors(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee saves the form as a new version of the region's factors, with a reason."""
    data = await request.form()
    fields = {
        key[:CODE_MAX]: str(value)[: max(NOTE_MAX, TEXT_MAX) + 1]
        for key, value in data.items()
        if isinstance(value, str)
    }
    try:
        region = chosen_region(uow, actor, fields.get("region", "")[:CODE_MAX])
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, fields.get("csrf_token"))
        # Refuse a city before reading its figures: it learns nothing from their checks.
        require_coordinate(actor, region.code)
        base = demand_factors.demand_factors(
            uow, actor, region.code, version=_version(fields.get("from_version"))
        )
        newest = demand_factors.demand_factors(uow, actor, region.code)
        if str(newest.version) != fields.get("newest", "").strip():
            raise Conflict(
                "another version was saved meanwhile",
                key="demand-factors-changed-meanwhile",
                params={"version": newest.version},
            )
        reason = fields.get("reason", "").strip()
        if not reason:
            raise InvalidInput(
                "a new version needs its reason", key="demand-factors-reason-missing"
            )
        table = edited_table(base, fields)
        saved = demand_factors.save_demand_factors(
            uow, actor, region.code, table, note=reason, now=utc_now()
        )
    except CrossriskError as refusal:
        try:
            version = _version(fields.get("from_version"))
            return _page(request, actor, uow, region, version=version, form=fields, refusal=refusal)
        except NotFound:
            return _page(request, actor, uow, region, version=None, refusal=refusal)
    return RedirectResponse(
        f"/aid/demand-factors?region={region.code}&version={saved.version}", status_code=303
    )
