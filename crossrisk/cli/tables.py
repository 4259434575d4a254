"""Plain-text tables the command line prints."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from crossrisk.domain.reach import INTENSITY_UNIT, Pathway, ReachEntry
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services.analysis import WhatIf


def format_what_if(result: WhatIf) -> str:
    """The reach, situation and responsibility list of a what-if analysis as text."""
    analysis = result.analysis
    reach = analysis.reach
    lines = [
        f"hazard type {analysis.hazard_type} ({reach.pathway}), event level {result.level}",
        f"origins: {', '.join(f'{o.jurisdiction_code} ({o.share:.0%})' for o in result.origins)}",
        "",
        f"{'code':<8} {'arrival (h)':>11} {'intensity':>10} {'exposed':>12}"
        + _river_heading(reach.pathway),
    ]
    for entry in reach.entries:
        exposed = "" if entry.exposed_population is None else f"{entry.exposed_population:,}"
        lines.append(
            f"{entry.jurisdiction_code:<8} {entry.arrival_hours:>11.1f} {entry.intensity:>10.3g} "
            f"{exposed:>12}" + _river_cells(reach.pathway, entry)
        )
    lines += [
        f"intensity: {INTENSITY_UNIT[reach.pathway]}",
        *_river_notes(reach.pathway, reach.entries),
        "",
        f"situation: {analysis.classification.situation}",
        f"  {analysis.classification.explanation_zh}",
        f"  {analysis.classification.explanation_en}",
        "",
        f"responsibility list (lead {analysis.responsibility.lead_code}, "
        f"{analysis.responsibility.state} state):",
    ]
    for duty in analysis.responsibility.duties:
        due = duty.deadline.astimezone(DISPLAY_ZONE)
        lines.append(
            f"  {duty.party.role:<10} {duty.party.organisation_code:<30} {duty.kind:<24} "
            f"by {due:%Y-%m-%d %H:%M} (Asia/Shanghai)"
        )
    if analysis.responsibility.escalation.escalated:
        reasons = ", ".join(analysis.responsibility.escalation.reasons)
        lines.append(f"escalated to the central office: {reasons}")
    return "\n".join(lines)


# A spill's arrival is when the concentration first exceeds the limit; its peak and how long
# it stays above the limit are what a waterworks plans its intake closure by.
SPILL_HEADING = f" {'km':>7} {'peak mg/L':>10} {'peak (h)':>9} {'over (h)':>9}  lake"
FLOOD_HEADING = f" {'km':>7} {'peak m3/s':>10} {'peak (h)':>9} {'base m3/s':>10}  lake"


def _river_heading(pathway: Pathway) -> str:
    return {Pathway.SPILL: SPILL_HEADING, Pathway.RIVER: FLOOD_HEADING}.get(pathway, "")


def _river_cells(pathway: Pathway, entry: ReachEntry) -> str:
    """A river entry's distance, peak and time above the limit (or base flow), if known."""
    detail = entry.detail
    if pathway is Pathway.SPILL:
        cells = [
            f"{_number(detail, 'distance_km', '.0f'):>7}",
            f"{_spill_peak(detail):>10}",
            f"{_number(detail, 'peak_hours', '.1f'):>9}",
            f"{_number(detail, 'exceed_hours', '.1f'):>9}",
        ]
    elif pathway is Pathway.RIVER:
        cells = [
            f"{_number(detail, 'distance_km', '.0f'):>7}",
            f"{_number(detail, 'peak_m3_s', '.4g'):>10}",
            f"{_number(detail, 'peak_hours', '.1f'):>9}",
            f"{_number(detail, 'base_m3_s', '.4g'):>10}",
        ]
    else:
        return ""
    return f" {' '.join(cells)}  {detail.get('lake') or ''}".rstrip()


def _spill_peak(detail: Mapping[str, Any]) -> str:
    """The peak in mg/L, or as a share of the source's when the spill has no limit or mass."""
    if detail.get("peak_mg_l") is None and _number(detail, "peak_share", "g") != "-":
        return f"{float(detail['peak_share']) * 100:.3g}%"
    return _number(detail, "peak_mg_l", ".3g")


def _river_notes(pathway: Pathway, entries: tuple[ReachEntry, ...]) -> list[str]:
    if pathway is not Pathway.SPILL or not entries:
        return []
    detail = entries[0].detail
    if detail.get("limit_mg_l") is None and _number(detail, "threshold_share", "g") != "-":
        share = float(detail["threshold_share"]) * 100
        return [
            f"no limit or no mass: concentrations as shares of the source's; arrival: when "
            f"the share first exceeds {share:g}%; over: hours above it"
        ]
    limit = _number(detail, "limit_mg_l", "g")
    substance = detail.get("substance") or "unknown substance"
    basis = detail.get("limit_basis") or ""
    return [
        f"arrival: when the concentration first exceeds the limit of {substance}, "
        f"{limit} mg/L ({basis}); over: hours above the limit; lake: a completely mixed "
        "lake or reservoir"
    ]


def _number(detail: Mapping[str, Any], key: str, spec: str) -> str:
    value = detail.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return format(value, spec)
    return "-"
