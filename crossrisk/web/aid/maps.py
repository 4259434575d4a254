"""The mutual-aid maps' data: stocks by city (fetched from the API) and a shortfall's shading.

Both maps are drawn by static/js/aid-map.js over the member cities' boundaries, as the
regional map draws them; this module gives the script its URLs, data and translated texts.
"""

from __future__ import annotations

from typing import Any

from crossrisk.domain.aid.catalogue import Catalogue
from crossrisk.domain.aid.shortfall import Line
from crossrisk.domain.organisation import Actor
from crossrisk.services.shortfall import ShortfallReport
from crossrisk.web.shared.i18n import PageLanguage

# More than this share of a city's need unmet is "most"; any less but some is "some".
MOST_UNMET = 0.5


def unmet_shade(line: Line) -> str:
    """How much of a city's need of an item its own stock leaves unmet, as the map shades it.

    "no-need" (nothing needed), "none" (met), "some" (up to half unmet), "most" (more).
    """
    if line.need <= 0:
        return "no-need"
    if line.shortfall <= 0:
        return "none"
    return "most" if line.shortfall / line.need > MOST_UNMET else "some"


def _common_texts(lang: PageLanguage) -> dict[str, str]:
    _ = lang.gettext
    return {
        "noMapLibrary": _(
            "The map library is not installed on this server "
            "(run scripts/install_web_assets.sh); the lists still work."
        ),
        "loadFailed": _("The city boundaries could not be loaded."),
        "stale": _("Stale"),
    }


def stock_map_config(
    *, region_code: str, actor: Actor, item: str, lang: PageLanguage
) -> dict[str, Any]:
    """What the stock map needs: where to fetch the cities and stocks, and its texts."""
    _ = lang.gettext
    return {
        "map": "stock",
        "container": "stock-map",
        "lang": lang.locale.html_lang,
        "region": region_code,
        "ownJurisdiction": actor.jurisdiction_code,
        "item": item,
        "boundariesUrl": f"/api/regions/{region_code}/jurisdictions",
        "dataUrl": "/api/aid/stock-map",
        "texts": {
            **_common_texts(lang),
            "loading": _("Loading…"),
            "stocksFailed": _("The stocks could not be loaded."),
            "total": _("Usable stock"),
            "records": _("%(count)s records"),
            "staleRecords": _("%(count)s not confirmed within the period"),
            "noStock": _("No stock of this item"),
            "noStockAnywhere": _("No city you may read holds this item."),
            "warehouse": _("Warehouse"),
        },
    }


def shortfall_map_config(
    report: ShortfallReport, *, actor: Actor, lang: PageLanguage, catalogue: Catalogue
) -> dict[str, Any]:
    """The shortfall map's data: per item, each member's need, stock, shortfall and shade."""
    _ = lang.gettext
    result = report.shortfall
    code = lang.locale.code
    items = []
    for item_code in result.item_codes:
        lines = [(j, j.line(item_code)) for j in result.jurisdictions]
        if not any(line.need or line.stock for _j, line in lines):
            continue
        item = catalogue.item(item_code)
        items.append(
            {
                "item": item_code,
                "name": item.name(code),
                "unit": item.unit_name(code),
                "short": any(line.shortfall > 0 for _j, line in lines),
                "cities": {
                    j.jurisdiction_code: {
                        "name": report.name(j.jurisdiction_code, code),
                        "need": line.need,
                        "stock": line.stock,
                        "shortfall": line.shortfall,
                        "shade": unmet_shade(line),
                        "stale": j.stale,
                    }
                    for j, line in lines
                },
            }
        )
    # The first item some city is short of: that is what the reader came to see.
    first = next((i["item"] for i in items if i["short"]), items[0]["item"] if items else None)
    return {
        "map": "shortfall",
        "container": "shortfall-map",
        "lang": lang.locale.html_lang,
        "region": report.region_code,
        "ownJurisdiction": actor.jurisdiction_code,
        "item": first,
        "boundariesUrl": f"/api/regions/{report.region_code}/jurisdictions",
        "items": items,
        "texts": {
            **_common_texts(lang),
            "need": _("Need"),
            "stock": _("Own stock"),
            "shortfall": _("Shortfall"),
            "shades": {
                "no-need": _("No need"),
                "none": _("Need met"),
                "some": _("Up to half unmet"),
                "most": _("More than half unmet"),
            },
        },
    }
