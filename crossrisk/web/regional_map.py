"""The regional map: member cities drawn from the bundled boundaries, risks on top."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.api.deps import UowDep
from crossrisk.domain.errors import NotFound
from crossrisk.domain.risk import EventLevel, Risk, RiskStatus
from crossrisk.services import regions, risks
from crossrisk.web.directory import read_directory
from crossrisk.web.i18n import PageLanguage
from crossrisk.web.rendering import PageError, render
from crossrisk.web.session import PageActor

router = APIRouter(include_in_schema=False)


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
    open_risks = [
        risk
        for risk in risks.list_risks(uow, actor)
        if risk.region_code == chosen.code and risk.status is not RiskStatus.CLOSED
    ]
    # The most severe first: that is what a duty officer looks at first.
    open_risks.sort(key=lambda risk: (list(EventLevel).index(risk.level), -(risk.id or 0)))
    page_data = {
        "lang": lang.locale.html_lang,
        "boundariesUrl": f"/api/regions/{chosen.code}/jurisdictions",
        "jurisdictionUrl": "/api/jurisdictions/",
        "ownJurisdiction": actor.jurisdiction_code,
        "risks": [map_risk(risk, lang) for risk in open_risks],
        "texts": {
            "code": lang.gettext("Code"),
            "population": lang.gettext("Population (2020 census)"),
            "neighbours": lang.gettext("Neighbours (shared border)"),
            "risks": lang.gettext("Risks originating here"),
            "noRisks": lang.gettext("No open risk originates here."),
            "km": lang.gettext("km"),
            "people": lang.gettext("people"),
            "loading": lang.gettext("Loading…"),
            "noMapLibrary": lang.gettext(
                "The map library is not installed on this server "
                "(run scripts/install_web_assets.sh); the lists still work."
            ),
            "loadFailed": lang.gettext("The city boundaries could not be loaded."),
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


def map_risk(risk: Risk, lang: PageLanguage) -> dict[str, Any]:
    """What the map script needs of a risk, with its labels already translated."""
    return {
        "id": risk.id,
        "url": f"/risks/{risk.id}",
        "title": risk.title,
        "level": risk.level.value,
        "levelLabel": lang.level(risk.level),
        "statusLabel": lang.status(risk.status),
        "categoryLabel": lang.category(risk.category),
        "origins": list(risk.origin_codes),
        "geometry": dict(risk.hazard_geometry),
    }
