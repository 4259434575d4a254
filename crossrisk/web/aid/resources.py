"""The base-information pages: teams, equipment and shelters of a region, by city.

Each page lists what the officer may read with a stale badge, filters by city, and offers
the add form to those who keep a city's records; a shelter's open/closed state and its
available capacity are changed in its row. Every form goes through the one service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, create_model
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.base_record import check_location
from crossrisk.domain.aid.equipment import EquipmentDraft
from crossrisk.domain.aid.resource_types import TEAM_TYPES
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import ShelterDraft
from crossrisk.domain.aid.team import TeamDraft
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import aid_records, regions
from crossrisk.services import aid_resources as service
from crossrisk.services.policy_tables import aid_resource_types
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_status, page_error, render

router = APIRouter(include_in_schema=False)

FIGURE_TEXT_MAX = 24  # longer than any number a form field needs
# The pages by the last part of their address, and the family of records each shows.
FAMILIES: dict[str, aid_records.Family[Any]] = {
    "teams": service.TEAMS,
    "equipment": service.EQUIPMENT,
    "shelters": service.SHELTERS,
}


@dataclass(frozen=True, slots=True)
class City:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Row:
    """One record as a table line: its own cells and what every record shows."""

    id: int
    city: str
    owner: str
    sharing: str
    record: Any
    stale: bool
    may_keep: bool


class TeamForm(BaseModel):
    csrf_token: str = ""
    jurisdiction: str = ""
    name: str = ""
    kind: str = ""
    type: str = ""
    headcount: str = ""
    readiness_hours: str = ""
    lon: str = ""
    lat: str = ""
    contact: str = ""
    sharing: str = "region"


# One field per capability of the data (boats, ambulances…), named capability_<code>.
TeamCapabilities: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "TeamCapabilities",
    __base__=TeamForm,
    **{f"capability_{code}": (str, "") for code in aid_resource_types().capabilities},
)


class EquipmentForm(BaseModel):
    csrf_token: str = ""
    jurisdiction: str = ""
    kind: str = ""
    quantity: str = ""
    capability: str = ""
    site: str = ""
    lon: str = ""
    lat: str = ""
    contact: str = ""
    sharing: str = "region"


class ShelterForm(BaseModel):
    csrf_token: str = ""
    jurisdiction: str = ""
    name: str = ""
    shelter_class: str = ""
    capacity: str = ""
    available: str = ""
    lon: str = ""
    lat: str = ""
    contact: str = ""
    sharing: str = "region"


class ActionForm(BaseModel):
    csrf_token: str = ""


class AvailableForm(BaseModel):
    csrf_token: str = ""
    available: str = ""


# ---- reading --------------------------------------------------------------------------


def _stale_after(request: Request) -> timedelta:
    period: timedelta = request.app.state.settings.base_information_stale_after
    return period


def _region(uow: UnitOfWork, actor: Actor, requested: str | None) -> tuple[str, list[Any]]:
    """The region shown (the one asked for, else the actor's first) and the readable ones."""
    readable = regions.readable_regions(uow, actor)
    codes = [r.code for r in readable]
    if requested in codes:
        return str(requested), readable
    if not codes:
        require_read_region(actor, requested or "")
    return codes[0], readable


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    kind: str,
    region: str | None = None,
    jurisdiction: str | None = None,
    form: BaseModel | None = None,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    code, readable = _region(uow, actor, region)
    directory = read_directory(uow, actor, region_codes={code})
    members = [
        City(m.code, lang.pick(m.name_zh, m.name_en))
        for m in regions.region_summaries(uow, actor, code)
    ]
    member_codes = {city.code for city in members}
    only = jurisdiction if jurisdiction in member_codes else None
    found = aid_records.list_records(
        uow,
        actor,
        FAMILIES[kind],
        region_code=code,
        jurisdiction_code=only,
        stale_after=_stale_after(request),
        now=utc_now(),
    )
    keeps = [
        city
        for city in members
        if can_keep_base_information(actor, region_code=code, jurisdiction_code=city.code)
    ]
    context: dict[str, Any] = {
        "kind": kind,
        "region": code,
        "regions": [City(r.code, lang.pick(r.name_zh, r.name_en)) for r in readable],
        "cities": members,
        "jurisdiction": only or "",
        "rows": [_row(listed, actor, directory, lang) for listed in found],
        "keeps": keeps,
        "types": aid_resource_types(),
        "team_types": TEAM_TYPES,
        "form": form,
        "stale_days": _stale_after(request).days,
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        f"aid/{kind}.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _row(listed: Any, actor: Actor, directory: Directory, lang: PageLanguage) -> Row:
    record = listed.record
    return Row(
        id=record.id,
        city=directory.jurisdiction_name(record.jurisdiction_code, chinese=lang.is_chinese),
        owner=directory.organisation_name(record.owner_code, chinese=lang.is_chinese),
        sharing=record.sharing.value,
        record=record,
        stale=listed.stale,
        may_keep=can_keep_base_information(
            actor, region_code=record.region_code, jurisdiction_code=record.jurisdiction_code
        ),
    )


@router.get("/aid/teams")
def teams_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str | None = None,
    jurisdiction: str | None = None,
) -> Response:
    """The region's response teams, by city."""
    return _page(request, actor, uow, kind="teams", region=region, jurisdiction=jurisdiction)


@router.get("/aid/equipment")
def equipment_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str | None = None,
    jurisdiction: str | None = None,
) -> Response:
    """The region's equipment, by city."""
    return _page(request, actor, uow, kind="equipment", region=region, jurisdiction=jurisdiction)


@router.get("/aid/shelters")
def shelters_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str | None = None,
    jurisdiction: str | None = None,
) -> Response:
    """The region's shelters, by city, with their state and available capacity."""
    return _page(request, actor, uow, kind="shelters", region=region, jurisdiction=jurisdiction)


# ---- adding ---------------------------------------------------------------------------


def _add(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    kind: str,
    region: str | None,
    form: TeamForm | EquipmentForm | ShelterForm,
    draft: Callable[[], Any],
) -> Response:
    """Record the form's draft and come back to the list; a refusal shows the list with
    the form as it was filled in, and writes nothing."""
    try:
        check_csrf(request, form.csrf_token)
        made = draft()
        code, _ = _region(uow, actor, region)
        aid_records.record_new(uow, actor, FAMILIES[kind], made, region_code=code, now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, kind=kind, region=region, form=form, error=refusal)
    return _back(kind, code)


@router.post("/aid/teams")
def add_team(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[TeamCapabilities, Form()],  # type: ignore[valid-type]
    region: str | None = None,
) -> Response:
    """Record a team from the page's form."""
    data: TeamForm = form

    def draft() -> TeamDraft:
        capabilities = {
            code: _figure(getattr(data, f"capability_{code}"), code, default=0)
            for code in aid_resource_types().team_kind(data.kind).capabilities
        }
        return TeamDraft(
            jurisdiction_code=data.jurisdiction,
            name=data.name,
            kind=data.kind,
            type_level=int(_figure(data.type, "type")),
            headcount=_whole(data.headcount, "headcount"),
            readiness_hours=_figure(data.readiness_hours, "readiness_hours"),
            base=check_location(_figure(data.lon, "lon"), _figure(data.lat, "lat")),
            contact=data.contact,
            capabilities=capabilities,
            sharing=_sharing(data.sharing),
        )

    return _add(request, actor, uow, "teams", region, data, draft)


@router.post("/aid/equipment")
def add_equipment(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[EquipmentForm, Form()],
    region: str | None = None,
) -> Response:
    """Record equipment from the page's form."""

    def draft() -> EquipmentDraft:
        return EquipmentDraft(
            jurisdiction_code=form.jurisdiction,
            kind=form.kind,
            quantity=_whole(form.quantity, "quantity"),
            capability=_figure(form.capability, "capability"),
            site=form.site,
            location=check_location(_figure(form.lon, "lon"), _figure(form.lat, "lat")),
            contact=form.contact,
            sharing=_sharing(form.sharing),
        )

    return _add(request, actor, uow, "equipment", region, form, draft)


@router.post("/aid/shelters")
def add_shelter(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[ShelterForm, Form()],
    region: str | None = None,
) -> Response:
    """Record a shelter from the page's form (closed until opened)."""

    def draft() -> ShelterDraft:
        return ShelterDraft(
            jurisdiction_code=form.jurisdiction,
            name=form.name,
            class_code=form.shelter_class,
            capacity=_whole(form.capacity, "capacity"),
            available=_whole(form.available, "available"),
            location=check_location(_figure(form.lon, "lon"), _figure(form.lat, "lat")),
            contact=form.contact,
            sharing=_sharing(form.sharing),
        )

    return _add(request, actor, uow, "shelters", region, form, draft)


# ---- a record's actions ---------------------------------------------------------------


@router.post("/aid/{kind}/{record_id}/confirmation")
def confirm(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    kind: str,
    record_id: str,
    form: Annotated[ActionForm, Form()],
    region: str | None = None,
) -> Response:
    """The keeper confirms a record unchanged; its stale badge goes."""
    if kind not in FAMILIES:
        raise NotFound(f"no page {kind[:20]!r}")
    family = FAMILIES[kind]
    try:
        check_csrf(request, form.csrf_token)
        record = aid_records.confirm(uow, actor, family, _number(record_id, kind), now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, kind=kind, region=region, error=refusal)
    return _back(kind, record.region_code)


@router.post("/aid/shelters/{shelter_id}/{change}")
def change_shelter_state(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    shelter_id: str,
    change: str,
    form: Annotated[AvailableForm, Form()],
    region: str | None = None,
) -> Response:
    """Open or close a shelter, or set its available capacity, from its row."""
    try:
        check_csrf(request, form.csrf_token)
        number = _number(shelter_id, "shelters")
        now = utc_now()
        if change == "opening":
            shelter = service.open_shelter(uow, actor, number, now=now)
        elif change == "closing":
            shelter = service.close_shelter(uow, actor, number, now=now)
        elif change == "availability":
            available = _whole(form.available, "available")
            shelter = service.set_available(uow, actor, number, available, now=now)
        else:
            raise NotFound(f"no change {change[:20]!r}")
    except CrossriskError as refusal:
        return _page(request, actor, uow, kind="shelters", region=region, error=refusal)
    return _back("shelters", shelter.region_code)


# ---- form fields ----------------------------------------------------------------------


def _back(kind: str, region: str) -> Response:
    return RedirectResponse(f"/aid/{kind}?region={region}", status_code=303)


def _figure(text: str, field: str, *, default: float | None = None) -> float:
    """A number typed in a form field, or InvalidInput naming the field."""
    text = text.strip()
    if not text and default is not None:
        return default
    try:
        if len(text) > FIGURE_TEXT_MAX:
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise InvalidInput(
            f"{field} must be a number", key="figure-not-a-number", params={"field": field}
        ) from None


def _whole(text: str, field: str) -> int:
    number = _figure(text, field)
    if not number.is_integer() or abs(number) > ID_MAX:
        raise InvalidInput(
            f"{field} must be a whole number", key="figure-not-a-number", params={"field": field}
        )
    return int(number)


def _number(value: str, kind: str) -> int:
    """A row id from an address; anything else names nothing."""
    if not value.isdigit() or len(value) > len(str(ID_MAX)) or int(value) > ID_MAX:
        key = f"{FAMILIES[kind].kind}-not-found"
        raise NotFound(f"{kind} {value[:20]!r} does not exist", key=key, params={"id": value[:20]})
    return int(value)


def _sharing(value: str) -> Sharing:
    return Sharing.COMMITTEE if value == Sharing.COMMITTEE.value else Sharing.REGION
