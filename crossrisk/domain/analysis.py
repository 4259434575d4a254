"""A risk's analysis: its reach, situation and responsibility list, versioned (§3.3).

Every recomputation (new geometry, new parameters, a new lead) is a new version; the
coordination body confirms a version; no version is ever changed or dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.domain.errors import Conflict
from crossrisk.domain.reach import (
    Pathway,
    PopulationBasis,
    Reach,
    ReachEntry,
    recorded_basis,
)
from crossrisk.domain.responsibility import (
    Duty,
    DutyKind,
    Escalation,
    Party,
    PartyRole,
    RegionState,
    ResponsibilityList,
)
from crossrisk.domain.situation import Classification, Situation


@dataclass(frozen=True, slots=True)
class Analysis:
    risk_id: int | None
    version: int
    computed_at: datetime
    hazard_type: str
    reach: Reach
    classification: Classification
    responsibility: ResponsibilityList
    lead_override: str | None = None
    confirmed_by: str | None = None  # the confirming user
    confirmed_at: datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirm(self, *, username: str, now: datetime) -> Analysis:
        """The coordination body's confirmation of this version's responsibility list."""
        if self.confirmed:
            raise Conflict(
                f"version {self.version} was confirmed by {self.confirmed_by} already",
                key="analysis-confirmed",
                params={"version": self.version, "by": self.confirmed_by},
            )
        return replace(self, confirmed_by=username, confirmed_at=now)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def analysis_record(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain JSON values, for storage and the journal."""
    reach = analysis.reach
    responsibility = analysis.responsibility
    classification = analysis.classification
    return {
        "risk_id": analysis.risk_id,
        "version": analysis.version,
        "computed_at": _time(analysis.computed_at),
        "hazard_type": analysis.hazard_type,
        "reach": {
            "pathway": reach.pathway.value,
            "parameters": dict(reach.parameters),
            "leaves_region": reach.leaves_region,
            "footprint": None if reach.footprint is None else dict(reach.footprint),
            "entries": [
                {
                    "jurisdiction": e.jurisdiction_code,
                    "arrival_hours": e.arrival_hours,
                    "intensity": e.intensity,
                    "exposed_population": e.exposed_population,
                    "population_basis": e.population_basis.value,
                    "population_upper_bound": e.population_upper_bound,
                    "detail": dict(e.detail),
                }
                for e in reach.entries
            ],
        },
        "situation": {
            "type": classification.situation.value,
            "origins": list(classification.origin_codes),
            "affected": list(classification.affected_codes),
            "explanation_zh": classification.explanation_zh,
            "explanation_en": classification.explanation_en,
        },
        "responsibility": {
            "lead": responsibility.lead_code,
            "state": responsibility.state.value,
            "drafted_at": _time(responsibility.drafted_at),
            "escalation": list(responsibility.escalation.reasons),
            "duties": [
                {
                    "role": d.party.role.value,
                    "organisation": d.party.organisation_code,
                    "jurisdiction": d.party.jurisdiction_code,
                    "duty": d.kind.value,
                    "deadline": _time(d.deadline),
                    # A plan's own task names itself; the built-in kinds' records stay as they were.
                    **(
                        {"task": d.task, "title": d.title, "title_en": d.title_en} if d.task else {}
                    ),
                }
                for d in responsibility.duties
            ],
        },
        "lead_override": analysis.lead_override,
        "confirmed_by": analysis.confirmed_by,
        "confirmed_at": _time(analysis.confirmed_at),
    }


def reach_from_record(reach: Mapping[str, Any]) -> Reach:
    """Read back the reach part of what `analysis_record` wrote, however old."""
    pathway = Pathway(reach["pathway"])
    return Reach(
        pathway=pathway,
        parameters=reach["parameters"],
        leaves_region=reach["leaves_region"],
        footprint=reach["footprint"],
        entries=tuple(
            ReachEntry(
                jurisdiction_code=e["jurisdiction"],
                arrival_hours=e["arrival_hours"],
                intensity=e["intensity"],
                exposed_population=e["exposed_population"],
                detail=e["detail"],
                # Analyses stored before the basis was recorded name none.
                population_basis=PopulationBasis(e["population_basis"])
                if "population_basis" in e
                else recorded_basis(pathway, e["exposed_population"]),
                population_upper_bound=e.get("population_upper_bound"),
            )
            for e in reach["entries"]
        ),
    )


def analysis_from_record(record: Mapping[str, Any]) -> Analysis:
    """Read back what `analysis_record` wrote."""
    reach = record["reach"]
    situation = record["situation"]
    responsibility = record["responsibility"]
    drafted_at = _parse_time(responsibility["drafted_at"])
    computed_at = _parse_time(record["computed_at"])
    assert drafted_at is not None and computed_at is not None
    return Analysis(
        risk_id=record["risk_id"],
        version=record["version"],
        computed_at=computed_at,
        hazard_type=record["hazard_type"],
        reach=reach_from_record(reach),
        classification=Classification(
            situation=Situation(situation["type"]),
            origin_codes=tuple(situation["origins"]),
            affected_codes=tuple(situation["affected"]),
            explanation_zh=situation["explanation_zh"],
            explanation_en=situation["explanation_en"],
        ),
        responsibility=ResponsibilityList(
            lead_code=responsibility["lead"],
            state=RegionState(responsibility["state"]),
            drafted_at=drafted_at,
            escalation=Escalation(reasons=tuple(responsibility["escalation"])),
            duties=tuple(
                Duty(
                    party=Party(
                        role=PartyRole(d["role"]),
                        organisation_code=d["organisation"],
                        jurisdiction_code=d["jurisdiction"],
                    ),
                    kind=DutyKind(d["duty"]),
                    deadline=_parse_time(d["deadline"]) or drafted_at,
                    task=d.get("task", ""),
                    title=d.get("title"),
                    title_en=d.get("title_en"),
                )
                for d in responsibility["duties"]
            ),
        ),
        lead_override=record.get("lead_override"),
        confirmed_by=record.get("confirmed_by"),
        confirmed_at=_parse_time(record.get("confirmed_at")),
    )
