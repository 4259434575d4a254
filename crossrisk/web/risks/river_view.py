"""A river reach as the risk pages show it: a spill's concentrations, a flood wave's discharges.

The river models give each reached city the curve at its first section (see
crossrisk.geo.reach); the table adds the distance, the peak and how long the limit is
exceeded (or the base flow), and the chart draws the curves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from crossrisk.domain.reach import Pathway, ReachEntry
from crossrisk.web.risks.figures import arrival_text, significant
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.reach_labels import LAKE


def river_kind(pathway: Pathway, entries: Sequence[ReachEntry]) -> str:
    """Which river columns a reach shows: a spill's, a flood wave's or none.

    Analyses stored before the river model kept curves have no peak to show; they keep the
    plain table.
    """
    if not any("peak_hours" in entry.detail for entry in entries):
        return ""
    if pathway is Pathway.SPILL:
        return "spill"
    if pathway is Pathway.RIVER:
        return "flood"
    return ""


def spill_is_relative(entries: Sequence[ReachEntry]) -> bool:
    """Whether a spill was followed as shares of the source's concentration, not in mg/L."""
    return any(
        e.detail.get("limit_mg_l") is None and finite(e.detail.get("threshold_share"))
        for e in entries
    )


def river_curves(
    kind: str,
    entries: Sequence[ReachEntry],
    names: Sequence[str],
    lang: PageLanguage,
) -> dict[str, Any] | None:
    """The chart's data: the curve at each reached city's first section, with the limit.

    A spill's curve is a concentration (mg/L) with the substance's limit drawn across; a
    flood wave's a discharge (m³/s) with each city's base flow.
    """
    relative = kind == "spill" and spill_is_relative(entries)
    key = ("share" if relative else "mg_l") if kind == "spill" else "m3_s"
    series = []
    for entry, name in zip(entries, names, strict=True):
        curve = entry.detail.get("curve")
        if not isinstance(curve, Mapping):
            continue
        hours, values = curve.get("hours"), curve.get(key)
        if not isinstance(hours, list) or not isinstance(values, list) or not hours:
            continue
        points = [
            [round(float(h), 3), float(v)]
            for h, v in zip(hours, values, strict=False)
            if finite(h) and finite(v)
        ]
        line: dict[str, Any] = {"code": entry.jurisdiction_code, "name": name, "points": points}
        if kind == "flood" and finite(entry.detail.get("base_m3_s")):
            line["base"] = float(entry.detail["base_m3_s"])
        series.append(line)
    if not series:
        return None
    _ = lang.gettext
    if kind == "spill":
        # Without a limit or a mass the model follows the share of the source's
        # concentration, and a city is reached above a share of it (source_fraction).
        threshold = "threshold_share" if relative else "limit_mg_l"
        limit = next(
            (float(e.detail[threshold]) for e in entries if finite(e.detail.get(threshold))),
            None,
        )
        return {
            "kind": kind,
            "log": True,  # a spill's concentrations span orders of magnitude downstream
            "relative": relative,
            "unit": _("of the source's concentration") if relative else _("mg/L"),
            "limit": limit,
            "series": series,
            "texts": {
                "title": _("Concentration at each reached city"),
                "axisX": _("Hours from the release"),
                "axisY": (
                    _("Share of the source's concentration")
                    if relative
                    else _("Concentration (mg/L)")
                ),
                "limit": _("Counts as reached") if relative else _("Limit"),
            },
        }
    return {
        "kind": kind,
        "log": False,
        "unit": _("m³/s"),
        "limit": None,
        "series": series,
        "texts": {
            "title": _("Routed flood wave at each reached city"),
            "axisX": _("Hours from the start"),
            "axisY": _("Discharge (m³/s)"),
            "base": _("base flow"),
        },
    }


def river_cells(entry: ReachEntry, lang: PageLanguage, pathway: Pathway) -> dict[str, str]:
    """The river columns of a row: distance, the peak and when, time above limit or base."""
    detail = entry.detail
    cells = {}
    if finite(detail.get("distance_km")):
        cells["distance"] = lang.gettext("%(km)s km") % {
            "km": f"{float(detail['distance_km']):,.0f}"
        }
    if finite(detail.get("peak_hours")):
        cells["peak_at"] = arrival_text(lang, float(detail["peak_hours"]))
    if pathway is Pathway.SPILL:
        if finite(detail.get("peak_mg_l")):
            cells["peak"] = f"{concentration(float(detail['peak_mg_l']))} {lang.gettext('mg/L')}"
        elif finite(detail.get("peak_share")):
            cells["peak"] = lang.gettext("%(share)s of the source's") % {
                "share": f"{concentration(float(detail['peak_share']) * 100)} %"
            }
        if finite(detail.get("exceed_hours")):
            cells["exceed"] = arrival_text(lang, float(detail["exceed_hours"]))
    else:
        unit = lang.gettext("m³/s")
        if finite(detail.get("peak_m3_s")):
            cells["peak"] = f"{significant(float(detail['peak_m3_s']))} {unit}"
        if finite(detail.get("base_m3_s")):
            cells["base"] = f"{significant(float(detail['base_m3_s']))} {unit}"
    return cells


def lake_text(lang: PageLanguage, detail: Mapping[str, object]) -> str:
    """A section in a lake or reservoir, said so in the row: at its inflow, where the river
    still flows as a current, or in the lake itself (completely mixed, or after storage)."""
    key = detail.get("lake")
    if not isinstance(key, str) or not key:
        return ""
    name = lang.gettext(LAKE[key]) if key in LAKE else key
    zone = detail.get("lake_zone", "mixed")
    if zone == "inflow":
        return lang.gettext("where the river enters %(lake)s") % {"lake": name}
    if zone == "stored":
        return lang.gettext("in %(lake)s, after its storage") % {"lake": name}
    return lang.gettext("in %(lake)s, completely mixed") % {"lake": name}


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def concentration(value: float) -> str:
    """A concentration in mg/L: three significant digits, and small ones not as 0."""
    if 0 < abs(value) < 0.001:
        return f"{value:.2e}"
    return significant(value)
