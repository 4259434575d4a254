"""Drafting responsibility lists: origin leads, affected assist, deadlines by policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway, Reach, ReachEntry
from crossrisk.domain.responsibility import (
    DutyKind,
    PartyRole,
    RegionBodies,
    RegionState,
    draft_responsibility_list,
)
from crossrisk.domain.risk import EventLevel, Origin
from crossrisk.services.policy_tables import deadline_policy
from tests.support import T0

BODIES = RegionBodies(
    coordination_body="yrd-committee",
    domain_offices={"accident_disaster": "yrd-office-accident-disaster"},
    central_office="central-office",
    jurisdiction_organisations={
        code: f"ema-{code}" for code in ("341000", "330100", "330200", "320500", "310000")
    },
)


def river(*entries: tuple[str, float], leaves: bool = False) -> Reach:
    return Reach(
        pathway=Pathway.RIVER,
        entries=tuple(ReachEntry(code, hours, 0.5) for code, hours in entries),
        parameters={},
        leaves_region=leaves,
    )


def draft(origins, reach, level=EventLevel.II, state=RegionState.NORMAL, lead=None):
    return draft_responsibility_list(
        origins=origins,
        reach=reach,
        level=level,
        category="accident_disaster",
        bodies=BODIES,
        policy=deadline_policy(),
        state=state,
        now=T0,
        lead_override=lead,
    )


HUANGSHAN = (Origin("341000", 1.0),)
XINAN = river(("341000", 0.0), ("330100", 30.0))


def test_origin_leads_and_affected_city_assists() -> None:
    result = draft(HUANGSHAN, XINAN)
    roles = [(d.party.role, d.party.organisation_code, d.kind) for d in result.duties]
    assert roles == [
        (PartyRole.LEAD, "ema-341000", DutyKind.HANDLE_AND_REPORT),
        (PartyRole.ASSIST, "ema-330100", DutyKind.PREPARE_AND_ACKNOWLEDGE),
        (PartyRole.COORDINATE, "yrd-committee", DutyKind.CONVENE),
        (PartyRole.FOLLOW, "yrd-office-accident-disaster", DutyKind.FOLLOW_UP),
    ]
    assert result.lead_code == "341000"
    assert not result.escalation.escalated


def test_deadlines_follow_the_policy_and_halve_in_emergency() -> None:
    normal = draft(HUANGSHAN, XINAN).duties[0].deadline - T0
    emergency = draft(HUANGSHAN, XINAN, state=RegionState.EMERGENCY).duties[0].deadline - T0
    assert normal == timedelta(minutes=60)
    assert emergency == timedelta(minutes=30)


def test_affected_city_must_be_ready_before_arrival() -> None:
    soon = draft(HUANGSHAN, river(("341000", 0.0), ("330100", 0.25)), level=EventLevel.IV)
    assist = next(d for d in soon.duties if d.party.role is PartyRole.ASSIST)
    assert assist.deadline == T0 + timedelta(minutes=15)


def test_largest_share_leads_a_spanning_source_unless_overridden() -> None:
    origins = (Origin("320500", 0.7), Origin("310000", 0.3))
    reach = river(("320500", 0.0), ("310000", 0.0))
    assert draft(origins, reach).lead_code == "320500"
    overridden = draft(origins, reach, lead="310000")
    assert overridden.lead_code == "310000"
    assert [d.party.role for d in overridden.duties[:2]] == [PartyRole.LEAD, PartyRole.ASSIST]
    with pytest.raises(InvalidInput, match="must be an origin jurisdiction"):
        draft(origins, reach, lead="330100")


@pytest.mark.parametrize(
    "level, leaves, reasons",
    [
        (EventLevel.I, False, ("level-I",)),
        (EventLevel.III, True, ("beyond-region",)),
        (EventLevel.I, True, ("level-I", "beyond-region")),
        (EventLevel.II, False, ()),
    ],
)
def test_escalation_to_the_central_office(level, leaves, reasons) -> None:
    result = draft(HUANGSHAN, river(("341000", 0.0), leaves=leaves), level=level)
    assert result.escalation.reasons == reasons
    commands = [d for d in result.duties if d.party.role is PartyRole.COMMAND]
    assert [d.party.organisation_code for d in commands] == (["central-office"] if reasons else [])
