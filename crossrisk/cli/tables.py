"""Plain-text tables the command line prints."""

from __future__ import annotations

from crossrisk.domain.reach import INTENSITY_UNIT
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
        f"{'code':<8} {'arrival (h)':>11} {'intensity':>10} {'exposed':>12}",
    ]
    for entry in reach.entries:
        exposed = "" if entry.exposed_population is None else f"{entry.exposed_population:,}"
        lines.append(
            f"{entry.jurisdiction_code:<8} {entry.arrival_hours:>11.1f} {entry.intensity:>10.3g} "
            f"{exposed:>12}"
        )
    lines += [
        f"intensity: {INTENSITY_UNIT[reach.pathway]}",
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
