"""A risk's analysis as pages show it: reach table, situation, responsibility list, map data."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.duty import DutyRecord, ShownStatus
from crossrisk.domain.reach import Pathway, PopulationBasis, ReachEntry
from crossrisk.domain.responsibility import Duty, PartyRole
from crossrisk.domain.risk import EventLevel
from crossrisk.services.policy_tables import hazard_types
from crossrisk.web.risks import hazard_fields
from crossrisk.web.risks.figures import (
    HOURS_PER_DAY,
    arrival_text,
    plain_number,
    short_arrival,
    significant,
)
from crossrisk.web.risks.river_view import (
    lake_text,
    river_cells,
    river_curves,
    river_kind,
    spill_is_relative,
)
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.reach_labels import POPULATION_BASIS

# Colour classes of the arrival scale: 0 "at once", five steps, then "later"; the colours
# are in crossrisk.css (.arrival-0 … .arrival-6), so legend, table and map share them.
ARRIVAL_STEPS = 5
DARK_CLASSES = 2  # .arrival-0 to .arrival-2 are dark enough to need white labels
# Beyond three days an arrival reads better in days (an epidemic's weeks, a long river).
DAYS_FROM_HOURS = 72.0
# Step widths a legend can show without odd numbers: 1, 2, 2.5 and 5 times a power of ten.
NICE_STEPS = tuple(m * 10.0**k for k in range(-2, 6) for m in (1.0, 2.0, 2.5, 5.0))


@dataclass(frozen=True, slots=True)
class ArrivalClass:
    index: int
    label: str


@dataclass(frozen=True, slots=True)
class ArrivalScale:
    """The legend of the map's colours: when the hazard arrives, soonest darkest."""

    steps: tuple[float, ...]  # upper bounds in hours, after the "at once" class
    classes: tuple[ArrivalClass, ...]
    in_days: bool

    def index(self, hours: float) -> int:
        """The colour class of an arrival time."""
        if hours <= 0:
            return 0
        return 1 + next((i for i, step in enumerate(self.steps) if hours <= step), len(self.steps))


@dataclass(frozen=True, slots=True)
class ReachRow:
    """One jurisdiction of the reach table."""

    code: str
    name: str
    other_name: str  # the name in the other language, as a hint
    is_origin: bool
    arrival_class: int
    arrival_hours: float
    arrival: str  # "3.1 h"
    arrives_at: datetime
    intensity: str
    exposed: str
    exposed_basis: str  # PopulationBasis value: how the exposed figure was arrived at
    note: str  # how far down the river, for instance
    # A river's entries (spill or flood wave): what the routed curve at the city's first
    # section says; "" for other models and for analyses stored before curves were kept.
    distance: str = ""  # "182 km"
    peak: str = ""  # "12.3 mg/L" or "1,850 m³/s"
    peak_at: str = ""  # "31.5 h"
    exceed: str = ""  # a spill: how long the concentration stays above the limit
    base: str = ""  # a flood wave: the base flow it rides on
    lake: str = ""  # the section lies in a completely mixed lake or reservoir


@dataclass(frozen=True, slots=True)
class DutyRow:
    """One line of the responsibility list."""

    organisation: str
    organisation_code: str
    jurisdiction: str
    role: PartyRole
    role_label: str
    duty: str
    deadline: datetime
    overdue: bool
    # The stored duty's status (a risk's page; a what-if has none): "" when not stored.
    status: str = ""
    status_label: str = ""


@dataclass(frozen=True, slots=True)
class AnalysisView:
    """Everything a page shows of one analysis."""

    analysis: Analysis
    hazard_type: str
    pathway: str
    parameters: list[str]
    situation: str
    situation_key: str
    explanation: str
    lead_code: str
    lead_name: str
    lead_chosen: bool
    escalated: bool
    escalation_reasons: list[str]
    scale: ArrivalScale
    intensity_unit: str
    exposed_unit: str  # how the exposed populations were arrived at
    reach_rows: list[ReachRow]
    duty_rows: list[DutyRow]
    map_data: dict[str, Any]
    # "spill" or "flood": which river columns the reach table adds; "" for none.
    river_kind: str = ""
    # A spill followed as shares of the source's concentration (no limit or no mass).
    river_relative: bool = False
    # The curves at each reached section for the chart (see river_curves); None: no chart.
    curves: dict[str, Any] | None = None


def analysis_view(
    analysis: Analysis,
    *,
    directory: Directory,
    lang: PageLanguage,
    now: datetime,
    region_code: str,
    hazard_geometry: Mapping[str, Any],
    level: EventLevel,
) -> AnalysisView:
    """Put an analysis in the page's language and time zone."""
    reach = analysis.reach
    found = hazard_types().get(analysis.hazard_type)
    scale = arrival_scale(lang, [entry.arrival_hours for entry in reach.entries])
    origins = set(analysis.classification.origin_codes)
    # Arrival counts from the analysis, the moment its deadlines are counted from too.
    start = analysis.responsibility.drafted_at
    rows = [
        _reach_row(entry, lang, directory, scale, reach.pathway, start, origins)
        for entry in reach.entries
    ]
    lead = analysis.responsibility.lead_code
    kind = river_kind(reach.pathway, reach.entries)
    return AnalysisView(
        analysis=analysis,
        hazard_type=lang.pick(found.name_zh, found.name_en) if found else analysis.hazard_type,
        pathway=lang.pathway(reach.pathway),
        parameters=hazard_fields.described(
            lang, reach.pathway, reach.parameters, hazard_type=analysis.hazard_type
        ),
        situation=lang.situation(analysis.classification.situation),
        situation_key=analysis.classification.situation.value,
        explanation=lang.pick(
            analysis.classification.explanation_zh, analysis.classification.explanation_en
        ),
        lead_code=lead,
        lead_name=directory.jurisdiction_name(lead, chinese=lang.is_chinese),
        lead_chosen=analysis.lead_override is not None,
        escalated=analysis.responsibility.escalation.escalated,
        escalation_reasons=[
            lang.escalation_reason(reason) for reason in analysis.responsibility.escalation.reasons
        ],
        scale=scale,
        intensity_unit=lang.intensity_unit(reach.pathway, analysis.hazard_type),
        exposed_unit=exposed_unit(reach.entries, lang),
        reach_rows=rows,
        duty_rows=[
            _duty_row(duty, lang, directory, now) for duty in analysis.responsibility.duties
        ],
        map_data={
            "boundariesUrl": f"/api/regions/{region_code}/jurisdictions",
            "hazard": dict(hazard_geometry),
            "level": level.value,
            "pathway": reach.pathway.value,
            "footprint": None if reach.footprint is None else dict(reach.footprint),
            "origins": sorted(origins),
            "reached": {row.code: row.arrival_class for row in rows},
            "labels": map_labels(rows, origins, directory, lang),
        },
        river_kind=kind,
        river_relative=kind == "spill" and spill_is_relative(reach.entries),
        curves=river_curves(kind, reach.entries, [row.name for row in rows], lang)
        if kind
        else None,
    )


def with_duties(
    view: AnalysisView, records: Sequence[DutyRecord], *, lang: PageLanguage, now: datetime
) -> AnalysisView:
    """The list as stored duties: each line's one deadline and its status as it stands."""
    stored = {(d.kind, d.organisation_code): d for d in records}
    rows = []
    for line, row in zip(view.analysis.responsibility.duties, view.duty_rows, strict=True):
        duty = stored.get((line.kind, line.party.organisation_code))
        if duty is None:
            rows.append(row)
            continue
        shown = duty.shown(now)
        rows.append(
            replace(
                row,
                deadline=duty.deadline,
                overdue=shown is ShownStatus.LATE,
                status=shown.value,
                status_label=lang.duty_status(shown),
            )
        )
    return replace(view, duty_rows=rows)


def map_labels(
    rows: list[ReachRow], origins: set[str], directory: Directory, lang: PageLanguage
) -> list[dict[str, Any]]:
    """Labels of the origin and reached cities, placed at each city's label point."""
    origin = lang.gettext("origin")
    labels = []
    for row in rows:
        found = directory.jurisdictions.get(row.code)
        if found is None:
            continue
        labels.append(
            {
                "code": row.code,
                "text": (
                    f"{row.name} · {origin}"
                    if row.is_origin
                    else f"{row.name} {short_arrival(lang, row.arrival_hours)}"
                ),
                "at": [found.label_lat, found.label_lon],
                # The darkest fills (origin, the first arrival classes) need light lettering.
                "dark": row.is_origin or row.arrival_class <= DARK_CLASSES,
            }
        )
    # An origin the hazard does not reach itself (异地) is still marked on the map.
    for code in sorted(origins - {row.code for row in rows}):
        found = directory.jurisdictions.get(code)
        if found is not None:
            name = lang.pick(found.name_zh, found.name_en)
            labels.append(
                {
                    "code": code,
                    "text": f"{name} · {origin}",
                    "at": [found.label_lat, found.label_lon],
                    "dark": True,
                }
            )
    return labels


def arrival_scale(lang: PageLanguage, arrivals: list[float]) -> ArrivalScale:
    """A sequential colour scale over these arrival times, in round steps, with its legend.

    The steps span the arrivals actually computed (a plume's hours, an epidemic's weeks),
    so that neighbouring cities with different arrivals get different colours.
    """
    later = [hours for hours in arrivals if hours > 0]
    if not later:
        # Everything is reached at once (an area hazard): there is nothing to grade.
        return ArrivalScale(
            steps=(), classes=(ArrivalClass(0, lang.gettext("At once")),), in_days=False
        )
    latest = max(later)
    in_days = latest > DAYS_FROM_HOURS
    unit = HOURS_PER_DAY if in_days else 1.0
    low, high = min(later) / unit, latest / unit
    if high - low <= 0:
        low = 0.0
    width = next(
        (w for w in NICE_STEPS if math.floor(low / w) * w + ARRIVAL_STEPS * w >= high),
        NICE_STEPS[-1],
    )
    start = math.floor(low / width) * width
    steps = tuple((start + width * (i + 1)) * unit for i in range(ARRIVAL_STEPS))

    def amount(hours: float) -> str:
        if in_days:
            return lang.gettext("%(days)s d") % {"days": plain_number(hours / HOURS_PER_DAY)}
        return lang.gettext("%(hours)s h") % {"hours": plain_number(hours)}

    labels = [lang.gettext("At once")]
    labels.append(lang.gettext("up to %(time)s") % {"time": amount(steps[0])})
    labels.extend(f"{amount(a)} – {amount(b)}" for a, b in pairwise(steps))
    labels.append(lang.gettext("over %(time)s") % {"time": amount(steps[-1])})
    return ArrivalScale(
        steps=steps,
        classes=tuple(ArrivalClass(index, label) for index, label in enumerate(labels)),
        in_days=in_days,
    )


def exposed_unit(entries: Sequence[ReachEntry], lang: PageLanguage) -> str:
    """What the exposed population column holds: the basis its entries share, said plainly."""
    bases = {entry.population_basis for entry in entries} - {PopulationBasis.UNKNOWN}
    if len(bases) != 1:
        return ""
    return lang.gettext(POPULATION_BASIS[bases.pop()])


def exposed_text(entry: ReachEntry, lang: PageLanguage) -> str:
    """The exposed population of a reach entry: the estimate, or the bound that is known."""
    if entry.exposed_population is not None:
        return f"{entry.exposed_population:,}"
    if entry.population_upper_bound is not None:
        return lang.gettext("at most %(persons)s") % {
            "persons": f"{entry.population_upper_bound:,}"
        }
    return "—"


def intensity_text(pathway: Pathway, value: float) -> str:
    """An intensity in the form its pathway's unit reads best."""
    if pathway in (Pathway.OVERLAY, Pathway.RIVER):
        return f"{significant(value * 100)} %"
    if pathway in (Pathway.PLUME, Pathway.SPILL):
        return f"{significant(value)} ×"
    return significant(value)


def _reach_row(
    entry: ReachEntry,
    lang: PageLanguage,
    directory: Directory,
    scale: ArrivalScale,
    pathway: Pathway,
    start: datetime,
    origins: set[str],
) -> ReachRow:
    found = directory.jurisdictions.get(entry.jurisdiction_code)
    name = lang.pick(found.name_zh, found.name_en) if found else entry.jurisdiction_code
    other = (found.name_en if lang.is_chinese else found.name_zh) if found else ""
    on_river = pathway in (Pathway.RIVER, Pathway.SPILL)
    distance = entry.detail.get("distance_km") if on_river else None
    river = lang.pick(str(entry.detail.get("river_zh", "")), str(entry.detail.get("river_en", "")))
    note = (
        lang.gettext("%(km)s km downstream") % {"km": f"{float(distance):,.0f}"}
        if isinstance(distance, int | float) and distance > 0
        else ""
    )
    if river:
        note = f"{river} {note}".strip()
    lake = lake_text(lang, entry.detail) if on_river else ""
    return ReachRow(
        code=entry.jurisdiction_code,
        name=name,
        other_name=other,
        is_origin=entry.jurisdiction_code in origins,
        arrival_class=scale.index(entry.arrival_hours),
        arrival_hours=entry.arrival_hours,
        arrival=arrival_text(lang, entry.arrival_hours),
        arrives_at=start + timedelta(hours=entry.arrival_hours),
        intensity=intensity_text(pathway, entry.intensity),
        exposed=exposed_text(entry, lang),
        exposed_basis=entry.population_basis.value,
        note=note,
        lake=lake,
        **(river_cells(entry, lang, pathway) if on_river else {}),
    )


def _duty_row(duty: Duty, lang: PageLanguage, directory: Directory, now: datetime) -> DutyRow:
    party = duty.party
    organisation = directory.organisations.get(party.organisation_code)
    return DutyRow(
        organisation=(
            lang.pick(organisation.name_zh, organisation.name_en)
            if organisation
            else party.organisation_code
        ),
        organisation_code=party.organisation_code,
        jurisdiction=(
            directory.jurisdiction_name(party.jurisdiction_code, chinese=lang.is_chinese)
            if party.jurisdiction_code
            else ""
        ),
        role=party.role,
        role_label=lang.role(party.role),
        duty=lang.duty(duty.kind, duty.title, duty.title_en),
        deadline=duty.deadline,
        overdue=duty.deadline < now,
    )
