"""Analysing risks: reach, situation and responsibility list, recomputed on every change.

`analyse` runs inside the use case that changed the risk (registering, reassessing,
relocating, re-parametrising), so a risk is never without the analysis of its current
state, and a model that refuses the hazard (say, a river spill far from any river)
refuses the whole change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.data import substances
from crossrisk.domain.analysis import Analysis, analysis_record
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.journal import canonical_json
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_coordinate, require_read_region
from crossrisk.domain.plans.plan import Plan, RiskFacts
from crossrisk.domain.propagation import assessment_parameters, hazard_type_for
from crossrisk.domain.reach import Pathway, Reach
from crossrisk.domain.responsibility import DutyKind, choose_lead, draft_responsibility_list
from crossrisk.domain.risk import (
    REASON_MAX,
    EventLevel,
    Origin,
    Risk,
    RiskDraft,
    RiskStatus,
    check_text,
    new_risk,
    parse_category,
)
from crossrisk.domain.situation import Classification, classify
from crossrisk.domain.substance import find_substance
from crossrisk.domain.warning import level_for
from crossrisk.geo.hazard import parse_hazard_geometry
from crossrisk.geo.reach import compute_reach
from crossrisk.services import duties, plans, warnings
from crossrisk.services.policy_tables import (
    deadline_policy,
    event_level_matrix,
    hazard_types,
    warning_policy,
)
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The analysis of a hypothetical hazard, stored nowhere."""

    origins: tuple[Origin, ...]
    level: EventLevel
    analysis: Analysis


def checked_hazard(
    category: str, hazard_type: str | None, parameters: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The hazard type's key and its complete, checked model parameters."""
    found = hazard_type_for(hazard_types(), hazard_type, parse_category(category).value)
    checked = assessment_parameters(found.pathway, parameters)
    if found.pathway is Pathway.SPILL and checked["substance"]:
        # Stored by its key, so that every page and message can name it in its language.
        checked["substance"] = find_substance(substances(), checked["substance"]).key
    return found.key, checked


def _compute(
    tx: Transaction,
    *,
    risk: Risk,
    version: int,
    lead_override: str | None,
    now: datetime,
) -> tuple[Analysis, Plan]:
    geo = tx.regions.geo(risk.region_code)
    hazard = parse_hazard_geometry(risk.hazard_geometry)
    pathway = hazard_types()[risk.hazard_type].pathway
    reach: Reach = compute_reach(pathway, hazard, risk.parameters, geo)
    classification: Classification = classify(risk.origins, reach, geo.names)
    if lead_override not in risk.origin_codes:
        lead_override = None  # the source moved away from the chosen lead
    # Each affected city's duty is due when its warning must be acknowledged: read the
    # table at the level of the warning it receives (see warnings.follow_analysis).
    thresholds = warning_policy().thresholds
    warning_levels = {
        entry.jurisdiction_code: list(EventLevel)[
            level_for(
                entry.intensity, entry.arrival_hours, reach.pathway, thresholds=thresholds
            ).value
            - 1
        ]
        for entry in reach.entries
    }
    state = tx.regions.state(risk.region_code)
    plan = plans.chosen_plan(
        tx,
        region_code=risk.region_code,
        risk_id=risk.id,
        facts=RiskFacts(
            hazard_type=risk.hazard_type,
            level=risk.level,
            state=state,
            lead_code=choose_lead(risk.origins, override=lead_override),
            affected_count=len(classification.affected_codes),
            leaves_region=reach.leaves_region,
        ),
    )
    responsibility = draft_responsibility_list(
        origins=risk.origins,
        reach=reach,
        level=risk.level,
        category=risk.category.value,
        bodies=region_bodies(tx, risk.region_code),
        policy=deadline_policy(),
        state=state,
        now=now,
        lead_override=lead_override,
        warning_levels=warning_levels,
        tasks=plan.templates,
    )
    analysis = Analysis(
        risk_id=risk.id,
        version=version,
        computed_at=now,
        hazard_type=risk.hazard_type,
        reach=reach,
        classification=classification,
        responsibility=responsibility,
        lead_override=lead_override,
    )
    return analysis, plan


def analyse(
    tx: Transaction,
    actor: Actor,
    risk: Risk,
    *,
    now: datetime,
    lead_override: str | None = None,
    keep_lead: bool = True,
) -> Analysis:
    """Compute and store the risk's next analysis version, journaled; call in an open tx.

    The plan that draws the list is activated (plan.activated) when it or its version changed.
    """
    assert risk.id is not None
    previous = tx.analyses.latest(risk.id)
    if keep_lead and lead_override is None and previous is not None:
        lead_override = previous.lead_override
    analysis, plan = _compute(
        tx,
        risk=risk,
        version=tx.analyses.next_version(risk.id),
        lead_override=lead_override,
        now=now,
    )
    tx.analyses.add(analysis)
    _journal(tx, actor, "risk.analysed", analysis, risk.region_code, now=now)
    # Journaled once per change of plan or version; a plan chosen by hand is already there.
    plans.follow_plan(tx, actor, risk_id=risk.id, region_code=risk.region_code, plan=plan, now=now)
    was_escalated = previous is not None and previous.responsibility.escalation.escalated
    if analysis.responsibility.escalation.escalated and not was_escalated:
        _journal(tx, actor, "risk.escalated", analysis, risk.region_code, now=now)
    warnings.follow_analysis(tx, actor, risk, analysis, now=now)
    # After the warnings: an affected city's duty takes its live warning's deadline.
    if risk.status is RiskStatus.CLOSED:
        duties.follow_closing(tx, actor, risk, now=now)
    else:
        duties.follow_analysis(tx, actor, risk, analysis, now=now, source=plans.source_of(plan))
    return analysis


def _journal(
    tx: Transaction,
    actor: Actor,
    action: str,
    analysis: Analysis,
    region_code: str,
    *,
    now: datetime,
) -> None:
    record = analysis_record(analysis)
    payload = {
        "risk_id": analysis.risk_id,
        "version": analysis.version,
        "pathway": analysis.reach.pathway.value,
        "situation": analysis.classification.situation.value,
        "lead": analysis.responsibility.lead_code,
        "escalation": list(analysis.responsibility.escalation.reasons),
        "reached": [
            [e.jurisdiction_code, e.arrival_hours, e.intensity] for e in analysis.reach.entries
        ],
        # The whole record is stored with the analysis; the digest ties it to this entry.
        "record_sha256": hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest(),
    }
    subject = f"risk:{analysis.risk_id}"
    tx.record(actor, action, subject=subject, payload=payload, region_code=region_code, now=now)


def current_analysis(uow: UnitOfWork, actor: Actor, risk_id: int) -> Analysis:
    """The newest analysis of a risk."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        analysis = tx.analyses.latest(risk_id)
        if analysis is None:
            raise InvalidInput(
                f"risk {risk_id} has not been analysed",
                key="risk-not-analysed",
                params={"risk": risk_id},
            )
        return analysis


def analysis_versions(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[Analysis]:
    """Every version of a risk's analysis, oldest first."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.analyses.versions(risk_id)


def confirm_responsibility_list(
    uow: UnitOfWork, actor: Actor, risk_id: int, *, version: int, now: datetime
) -> Analysis:
    """The coordination body confirms the newest version of a risk's responsibility list."""
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        require_coordinate(actor, risk.region_code)
        latest = tx.analyses.latest(risk_id)
        if latest is None or latest.version != version:
            newest = "none" if latest is None else str(latest.version)
            raise Conflict(
                f"version {version} is not the newest analysis of risk {risk_id} ({newest})",
                key="analysis-outdated",
                params={"version": version, "newest": newest},
            )
        confirmed = latest.confirm(username=actor.username, now=now)
        tx.analyses.confirm(confirmed)
        _journal(tx, actor, "responsibility.confirmed", confirmed, risk.region_code, now=now)
        # The committee confirms the list once it has convened the parties (会商).
        duties.complete(
            tx,
            actor,
            risk_id=risk_id,
            kind=DutyKind.CONVENE,
            via="responsibility.confirmed",
            now=now,
        )
        tx.commit()
    return confirmed


def assign_lead(
    uow: UnitOfWork, actor: Actor, risk_id: int, *, lead_code: str, reason: str, now: datetime
) -> Analysis:
    """The coordination body names another origin jurisdiction as lead; a new version."""
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        require_coordinate(actor, risk.region_code)
        if lead_code not in risk.origin_codes:
            raise InvalidInput(
                f"the lead must be an origin jurisdiction ({', '.join(risk.origin_codes)}), "
                f"not {lead_code}",
                key="lead-not-origin",
                params={"lead": lead_code, "origins": risk.origin_codes},
            )
        tx.record(
            actor,
            "risk.lead_assigned",
            subject=f"risk:{risk_id}",
            payload={"risk_id": risk_id, "lead": lead_code, "reason": reason},
            region_code=risk.region_code,
            now=now,
        )
        analysis = analyse(tx, actor, risk, now=now, lead_override=lead_code)
        tx.commit()
    return analysis


def what_if(
    uow: UnitOfWork, actor: Actor, draft: RiskDraft, *, region_code: str, now: datetime
) -> WhatIf:
    """Analyse a hypothetical hazard without storing or journaling anything."""
    hazard = parse_hazard_geometry(draft.hazard_geometry)
    key, parameters = checked_hazard(draft.category, draft.hazard_type, dict(draft.parameters))
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        origins = tx.regions.index(region_code).origins(hazard)
        risk = new_risk(
            replace(draft, title=draft.title.strip() or "what-if"),
            region_code=region_code,
            origins=origins,
            matrix=event_level_matrix(),
            created_by=actor.username,
            now=now,
            hazard_type=key,
            parameters=parameters,
        )
        analysis, _plan = _compute(tx, risk=risk, version=0, lead_override=None, now=now)
    return WhatIf(origins=origins, level=risk.level, analysis=analysis)
