"""The regional map: member cities drawn from the bundled boundaries, risks on top."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.risk import EventLevel, Risk, RiskStatus
from crossrisk.domain.warning import REPORT_TAG, WarningLevel, WarningStatus
from crossrisk.domain.warning_plan import MessageType
from crossrisk.geo.places import QUERY_MAX
from crossrisk.http.deps import UowDep
from crossrisk.services import live, regions, risks, warnings
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import PageError, environment, error_status, render
from crossrisk.web.warnings.tables import live_texts
from crossrisk.web.warnings.view import REPORT_SHADE, level_tag

router = APIRouter(include_in_schema=False)

# Every map's place search (templates/_map_tools.html) stops typing where the API refuses.
environment.globals["place_query_max"] = QUERY_MAX

# A warning still in force at its recipient: the map shades the city in its colour.
LIVE = frozenset({WarningStatus.ISSUED, WarningStatus.DELIVERED, WarningStatus.ACKNOWLEDGED})


@router.get("/map")
def map_page(request: Request, actor: PageActor, uow: UowDep, region: str = "") -> Response:
    """The region's member cities and open risks on a map that needs no tile server."""
    lang = PageLanguage.of(request)
    readable = regions.readable_regions(uow, actor)
    if not readable:
        error = PageError(lang.gettext("Your organisation reads no region."))
        return render(request, "error.html", {"error": error}, actor=actor, status_code=404)
    chosen = next((r for r in readable if r.code == region), None)
    if chosen is None and region:
        error = PageError(lang.error_headline(NotFound(region)), region)
        return render(request, "error.html", {"error": error}, actor=actor, status_code=404)
    chosen = chosen or next((r for r in readable if r.code in actor.region_codes), readable[0])
    directory = read_directory(uow, actor, region_codes={chosen.code})
    # Read before the risks: whatever happens after this position, the page hears of.
    position = live.head_position(uow)
    open_risks = open_risks_of(uow, actor, chosen.code)
    page_data = {
        "lang": lang.locale.html_lang,
        "boundariesUrl": f"/api/regions/{chosen.code}/jurisdictions",
        "jurisdictionUrl": "/api/jurisdictions/",
        "dataUrl": f"/map/data?region={chosen.code}",
        "after": position,
        "region": chosen.code,
        "ownJurisdiction": actor.jurisdiction_code,
        **map_state(uow, actor, open_risks, directory, lang),
        "texts": {
            "code": lang.gettext("Code"),
            "population": lang.gettext("Population (2020 census)"),
            "neighbours": lang.gettext("Neighbours (shared border)"),
            "risks": lang.gettext("Risks originating here"),
            "noRisks": lang.gettext("No open risk originates here."),
            "sharedBorder": lang.gettext("shared border %(km)s km"),
            "people": lang.gettext("people"),
            "loading": lang.gettext("Loading…"),
            "noMapLibrary": lang.gettext(
                "The map library is not installed on this server "
                "(run scripts/install_web_assets.sh); the lists still work."
            ),
            "loadFailed": lang.gettext("The city boundaries could not be loaded."),
            "noOpenRisks": lang.gettext("No open risk in this region."),
            "noWarnings": lang.gettext("No city of the region is under a warning."),
            **live_texts(lang),
        },
    }
    return render(
        request,
        "map.html",
        {
            "region": chosen,
            "regions": readable,
            "levels": list(EventLevel),
            "open_risks": open_risks,
            "directory": directory,
            "page_data": page_data,
        },
        actor=actor,
    )


@router.get("/map/data")
def map_data(request: Request, actor: PageActor, uow: UowDep, region: str) -> Response:
    """The map's open risks and warned cities, refetched by the page as events arrive."""
    lang = PageLanguage.of(request)
    try:
        directory = read_directory(uow, actor, region_codes={region})
        if region not in directory.regions:
            raise NotFound(f"region {region!r} does not exist or is not readable")
        state = map_state(uow, actor, open_risks_of(uow, actor, region), directory, lang)
    except CrossriskError as refusal:
        return JSONResponse({"detail": refusal.detail}, status_code=error_status(refusal))
    return JSONResponse(state, headers={"Cache-Control": "no-store"})


def open_risks_of(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Risk]:
    """The region's open risks, the most severe first."""
    found = [
        risk
        for risk in risks.list_risks(uow, actor)
        if risk.region_code == region_code and risk.status is not RiskStatus.CLOSED
    ]
    # The most severe first: that is what a duty officer looks at first.
    found.sort(key=lambda risk: (list(EventLevel).index(risk.level), -(risk.id or 0)))
    return found


def map_state(
    uow: UnitOfWork,
    actor: Actor,
    open_risks: list[Risk],
    directory: Directory,
    lang: PageLanguage,
) -> dict[str, Any]:
    """What the map draws: open risks, and each city under a live warning at its colour."""
    chinese = lang.is_chinese
    return {
        "risks": [
            {
                **map_risk(risk, lang),
                "originNames": [
                    directory.jurisdiction_name(code, chinese=chinese) for code in risk.origin_codes
                ],
            }
            for risk in open_risks
        ],
        "warnings": warned_cities(uow, actor, open_risks, directory, lang),
    }


def warned_cities(
    uow: UnitOfWork,
    actor: Actor,
    open_risks: list[Risk],
    directory: Directory,
    lang: PageLanguage,
) -> list[dict[str, Any]]:
    """Each city with a live warning, at the most severe level it is warned of.

    A city told only by information reports (通报) is listed without a colour.
    """
    worst: dict[str, WarningLevel] = {}
    count: dict[str, int] = {}
    reported: set[str] = set()
    for risk in open_risks:
        assert risk.id is not None
        for message in warnings.warnings_of_risk(uow, actor, risk.id):
            if message.msg_type is MessageType.CANCEL or message.warning.status not in LIVE:
                continue
            code = message.warning.recipient_code
            count[code] = count.get(code, 0) + 1
            if message.warning.report:
                reported.add(code)
                continue
            worst[code] = min(worst.get(code, message.warning.level), message.warning.level)
    warned = [
        {
            "code": code,
            "name": directory.jurisdiction_name(code, chinese=lang.is_chinese),
            "level": int(level),
            "shade": str(int(level)),
            "tag": level_tag(level, lang),
            "count": count[code],
        }
        for code, level in sorted(worst.items(), key=lambda item: (item[1], item[0]))
    ]
    report_tag = lang.pick(*REPORT_TAG)
    return warned + [
        {
            "code": code,
            "name": directory.jurisdiction_name(code, chinese=lang.is_chinese),
            "level": None,
            "shade": REPORT_SHADE,
            "tag": report_tag,
            "count": count[code],
        }
        for code in sorted(reported - set(worst))
    ]


def map_risk(risk: Risk, lang: PageLanguage) -> dict[str, Any]:
    """What the map script needs of a risk, with its labels already translated."""
    return {
        "id": risk.id,
        "url": f"/risks/{risk.id}",
        "title": risk.title_for(chinese=lang.is_chinese),
        "level": risk.level.value,
        "levelLabel": lang.level(risk.level),
        "statusLabel": lang.status(risk.status),
        "categoryLabel": lang.category(risk.category),
        "origins": list(risk.origin_codes),
        "geometry": dict(risk.hazard_geometry),
    }
