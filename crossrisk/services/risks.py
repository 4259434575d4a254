"""The risk register: registering, reassessing, relocating and moving risks along their cycle.

Each use case here opens its own transaction. Automatic paths that change a risk as part
of a larger use case (a firing, a received CAP alert) call the helpers `register`,
`change` and `withdraw` with their open `Transaction` instead, so the risk, its analysis,
its warnings and the caller's own record land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import (
    can_read_region,
    readable_regions,
    require_read_region,
)
from crossrisk.domain.permissions.risks import require_change_risk
from crossrisk.domain.risk import (
    REASON_MAX,
    Risk,
    RiskCategory,
    RiskDraft,
    RiskStatus,
    check_scale,
    check_text,
    new_risk,
)
from crossrisk.geo.hazard import parse_hazard_geometry, to_geojson
from crossrisk.services import accountability, analysis, checkpoints, warnings
from crossrisk.services.policy_tables import event_level_matrix
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class RiskChange:
    """Fields a person may change on a risk; None leaves a field as it is."""

    title: str | None = None
    title_en: str | None = None  # None: kept while the title is, dropped with a new title
    description: str | None = None
    likelihood: int | None = None
    consequence: int | None = None
    hazard_geometry: Mapping[str, Any] | None = None
    hazard_type: str | None = None
    parameters: Mapping[str, Any] | None = None  # merged over the current ones
    reason: str = ""


# A change computed from the risk as locked in the transaction, after the permission check:
# a page's form is read against the risk's current category without a second transaction.
ChangeOf = Callable[[Risk], RiskChange]


def register_risk(
    uow: UnitOfWork, actor: Actor, draft: RiskDraft, *, region_code: str, now: datetime
) -> Risk:
    """Register a risk where its hazard source lies; its origin jurisdictions lead it."""
    with uow as tx:
        risk = register(tx, actor, draft, region_code=region_code, now=now)
        tx.commit()
    return risk


def register(
    tx: Transaction, actor: Actor, draft: RiskDraft, *, region_code: str, now: datetime
) -> Risk:
    """Register a risk inside an open transaction: stored, journaled, analysed, warned."""
    geometry = parse_hazard_geometry(draft.hazard_geometry)
    hazard_type, parameters = analysis.checked_hazard(
        draft.category, draft.hazard_type, draft.parameters
    )
    require_read_region(actor, region_code)
    origins = tx.regions.index(region_code).origins(geometry)
    require_change_risk(
        actor, region_code=region_code, origin_codes=[o.jurisdiction_code for o in origins]
    )
    risk = new_risk(
        RiskDraft(
            category=draft.category,
            title=draft.title,
            title_en=draft.title_en,
            description=draft.description,
            hazard_geometry=to_geojson(geometry),
            likelihood=draft.likelihood,
            consequence=draft.consequence,
            drill_id=draft.drill_id,
        ),
        region_code=region_code,
        origins=origins,
        matrix=event_level_matrix(),
        created_by=actor.username,
        now=now,
        hazard_type=hazard_type,
        parameters=parameters,
    )
    risk = tx.risks.add(risk)
    _record(tx, actor, "risk.registered", risk, now=now)
    checkpoints.ask_for_risk(tx, risk, before=None, now=now)
    analysis.analyse(tx, actor, risk, now=now)
    return risk


def change_risk(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    change: RiskChange | ChangeOf,
    *,
    expected_version: int | None = None,
    now: datetime,
) -> Risk:
    """Change a risk's text, assessment or hazard source; the level and origins follow."""
    with uow as tx:
        risk = change_in(tx, actor, risk_id, change, expected_version=expected_version, now=now)
        tx.commit()
    return risk


def change_in(
    tx: Transaction,
    actor: Actor,
    risk_id: int,
    change: RiskChange | ChangeOf,
    *,
    expected_version: int | None = None,
    now: datetime,
) -> Risk:
    """Change a risk inside an open transaction; the analysis follows when it must."""
    before = _load_for_change(tx, actor, risk_id, expected_version)
    if not isinstance(change, RiskChange):
        change = change(before)
    geometry = (
        parse_hazard_geometry(change.hazard_geometry)
        if change.hazard_geometry is not None
        else None
    )
    for name in ("likelihood", "consequence"):
        value = getattr(change, name)
        if value is not None:
            check_scale(name, value)
    reason = check_text("reason", change.reason, limit=REASON_MAX)
    risk = before
    if change.title is not None or change.description is not None:
        risk = risk.edit_text(
            title=change.title if change.title is not None else risk.title,
            title_en=change.title_en,
            description=(
                change.description if change.description is not None else risk.description
            ),
            now=now,
        )
    if change.likelihood is not None or change.consequence is not None:
        risk = risk.reassess(
            likelihood=change.likelihood or risk.likelihood,
            consequence=change.consequence or risk.consequence,
            matrix=event_level_matrix(),
            now=now,
        )
    if geometry is not None:
        origins = tx.regions.index(risk.region_code).origins(geometry)
        # Moving the source to another city hands the lead over; only an actor who
        # may lead at the new place may do that.
        require_change_risk(
            actor,
            region_code=risk.region_code,
            origin_codes=[o.jurisdiction_code for o in origins],
        )
        risk = risk.relocate(hazard_geometry=to_geojson(geometry), origins=origins, now=now)
    if change.hazard_type is not None or change.parameters is not None:
        new_type = change.hazard_type or risk.hazard_type
        # Parameters belong to a model: a new hazard type starts from its defaults.
        current = dict(risk.parameters) if new_type == risk.hazard_type else {}
        hazard_type, parameters = analysis.checked_hazard(
            risk.category.value, new_type, {**current, **(change.parameters or {})}
        )
        risk = risk.reparametrise(hazard_type=hazard_type, parameters=parameters, now=now)
    if risk == before:
        raise InvalidInput("the change names no field to change", key="risk-unchanged")
    risk = tx.risks.save(_one_version_up(risk, before), expected_version=before.version)
    _record(tx, actor, "risk.changed", risk, now=now, reason=reason, before=before)
    checkpoints.ask_for_risk(tx, risk, before=before, now=now)
    if _affects_analysis(before, risk):
        analysis.analyse(tx, actor, risk, now=now)
    return risk


def transition_risk(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    to: RiskStatus,
    reason: str,
    expected_version: int | None = None,
    now: datetime,
) -> Risk:
    """Move a risk to the next stage of its cycle, with the reason why."""
    with uow as tx:
        before = _load_for_change(tx, actor, risk_id, expected_version)
        risk = before.transition(to, reason=reason, now=now)
        risk = tx.risks.save(risk, expected_version=before.version)
        _record(
            tx,
            actor,
            "risk.transitioned",
            risk,
            now=now,
            reason=reason.strip(),
            extra={"from": before.status.value, "to": risk.status.value},
        )
        _detect_on_closing(tx, actor, risk, now=now)
        warnings.follow_risk(tx, actor, risk, now=now)
        tx.commit()
    return risk


def withdraw(
    tx: Transaction,
    actor: Actor,
    risk_id: int,
    *,
    reason: str,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> Risk:
    """Close a risk because its source withdrew it (a CAP Cancel), inside an open transaction.

    Its outgoing warnings are cancelled with it. `extra` names what withdrew it, for the
    journal entry.
    """
    before = _load_for_change(tx, actor, risk_id, None)
    risk = tx.risks.save(before.withdraw(reason=reason, now=now), expected_version=before.version)
    _record(
        tx,
        actor,
        "risk.withdrawn",
        risk,
        now=now,
        reason=reason,
        extra={"from": before.status.value, "to": risk.status.value, **(extra or {})},
    )
    _detect_on_closing(tx, actor, risk, now=now)
    warnings.follow_risk(tx, actor, risk, now=now)
    return risk


def _detect_on_closing(tx: Transaction, actor: Actor, risk: Risk, *, now: datetime) -> None:
    """A closing risk's findings become cases before closing cancels its open duties and
    warnings, which would hide what was never done."""
    if risk.status is RiskStatus.CLOSED and risk.id is not None:
        accountability.detect_cases(
            tx,
            actor,
            region_code=risk.region_code,
            risk_ids=[risk.id],
            now=now,
            drill_id=risk.drill_id,
        )


def get_risk(uow: UnitOfWork, actor: Actor, risk_id: int) -> Risk:
    """One risk, for anyone who may read its region."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return risk


def risk_history(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[JournalEntry]:
    """Every journal entry about a risk, oldest first."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.journal.about(_subject(risk_id))


def list_risks(
    uow: UnitOfWork,
    actor: Actor,
    *,
    status: RiskStatus | None = None,
    category: RiskCategory | None = None,
) -> list[Risk]:
    """Risks of every region the actor may read, newest first."""
    with uow.read_only() as tx:
        regions = readable_regions(actor)
        return tx.risks.list(region_codes=regions, status=status, category=category)


def _load_for_change(
    tx: Transaction, actor: Actor, risk_id: int, expected_version: int | None
) -> Risk:
    risk = tx.risks.get(risk_id, for_update=True)
    if not can_read_region(actor, risk.region_code):
        raise NotPermitted(
            f"{actor.organisation.code} may not read risk {risk_id}",
            key="risk-not-readable",
            params={"organisation": actor.organisation.code, "risk": risk_id},
        )
    require_change_risk(actor, region_code=risk.region_code, origin_codes=risk.origin_codes)
    if expected_version is not None and expected_version != risk.version:
        raise Conflict(
            f"risk {risk_id} is at version {risk.version}, not {expected_version}; reload it",
            key="risk-version-stale",
            params={"risk": risk_id, "version": risk.version, "expected": expected_version},
        )
    return risk


def _affects_analysis(before: Risk, after: Risk) -> bool:
    return (
        before.hazard_geometry != after.hazard_geometry
        or before.hazard_type != after.hazard_type
        or before.parameters != after.parameters
        or before.level != after.level
    )


def _one_version_up(risk: Risk, before: Risk) -> Risk:
    # Several edits in one change are one new version, not one per field.
    return replace(risk, version=before.version + 1)


def _subject(risk_id: int | None) -> str:
    return f"risk:{risk_id}"


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    risk: Risk,
    *,
    now: datetime,
    reason: str = "",
    before: Risk | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    after = risk.record()
    payload: dict[str, Any] = {"risk": after}
    if risk.drill_id is not None:
        # A drill's entries say so, so no reader of the journal takes them for real.
        payload["drill"] = risk.drill_id
    if reason:
        payload["reason"] = reason
    if before is not None:
        previous = before.record()
        payload["changed"] = sorted(
            key for key, value in after.items() if key != "version" and previous[key] != value
        )
    if extra:
        payload.update(extra)
    tx.record(
        actor,
        action,
        subject=_subject(risk.id),
        payload=payload,
        region_code=risk.region_code,
        now=now,
    )
