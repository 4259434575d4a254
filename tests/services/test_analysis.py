"""Reach, situation and responsibility lists of registered risks, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import PartyRole
from crossrisk.domain.risk import RiskCategory
from crossrisk.domain.situation import Situation
from crossrisk.services import analysis, risks
from crossrisk.store.uow import UnitOfWork
from tests.support import SHANGHAI, SUZHOU_JS, T0, XINAN_SPILL, actor, draft


def journal_actions(uow: UnitOfWork, risk_id: int) -> list[str]:
    with uow.read_only() as tx:
        return [e.action for e in tx.journal.about(f"risk:{risk_id}")]


def count(uow: UnitOfWork) -> tuple[int, int]:
    with uow.read_only() as tx:
        return tx.risks.count(), sum(1 for _ in tx.journal.entries())


def test_xinan_spill_reaches_hangzhou_and_huangshan_leads(uow: UnitOfWork) -> None:
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    result = analysis.current_analysis(uow, actor(uow, "ema-330100"), risk.id)
    hangzhou = result.reach.entry("330100")
    assert result.reach.pathway is Pathway.SPILL
    assert hangzhou is not None and hangzhou.arrival_hours > 1
    assert hangzhou.intensity > 1  # reached: above the substance's limit
    assert hangzhou.detail["substance"] == "styrene" and hangzhou.detail["peak_mg_l"] > 0
    assert result.classification.situation is Situation.SPILLOVER
    assert result.responsibility.lead_code == "341000"
    assisting = {
        d.party.jurisdiction_code
        for d in result.responsibility.duties
        if d.party.role is PartyRole.ASSIST
    }
    assert "330100" in assisting
    assert journal_actions(uow, risk.id) == ["risk.registered", "risk.analysed"]


def test_spill_far_from_any_river_is_refused_and_nothing_stored(uow: UnitOfWork) -> None:
    before = count(uow)
    # Mid-way between rivers in the hills of southern Anhui/western Zhejiang.
    with pytest.raises(InvalidInput, match="river"):
        risks.register_risk(
            uow,
            actor(uow, "yrd-committee"),
            draft(**{**XINAN_SPILL, "where": (119.0, 30.9)}),
            region_code="yrd",
            now=T0,
        )
    assert count(uow) == before


def test_gas_release_reaches_downwind_city(uow: UnitOfWork) -> None:
    # A release in Kunshan (Suzhou) near the Shanghai border, wind from the west.
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
        draft(
            where=(121.0, 31.3),
            hazard_type="gas_release",
            parameters={
                "wind_from_deg": 270,
                "wind_speed_m_s": 3,
                "emission_g_s": 5000,
                "stability": "D",
                "threshold_g_m3": 1e-4,
            },
        ),
        region_code="yrd",
        now=T0,
    )
    result = analysis.current_analysis(uow, actor(uow, "ema-310000"), risk.id)
    shanghai = result.reach.entry("310000")
    assert result.reach.pathway is Pathway.PLUME
    assert shanghai is not None and shanghai.arrival_hours > 0
    assert shanghai.intensity >= 1  # over the threshold there
    assert result.reach.footprint is not None
    assert result.classification.situation in (Situation.SPILLOVER, Situation.REMOTE)


def test_epidemic_in_shanghai_reaches_neighbours_first(uow: UnitOfWork) -> None:
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-310000"),
        draft(
            where=SHANGHAI,
            category=RiskCategory.PUBLIC_HEALTH,
            hazard_type="infectious_disease",
            parameters={"r0": 2.5, "days": 120},
        ),
        region_code="yrd",
        now=T0,
    )
    reach = analysis.current_analysis(uow, actor(uow, "yrd-committee"), risk.id).reach
    suzhou, huaibei = reach.entry("320500"), reach.entry("340600")
    assert reach.pathway is Pathway.MOBILITY
    # Suzhou commutes with Shanghai every day; Huaibei, at the far end of Anhui, is
    # reached within the 120 days too, but weeks later.
    assert suzhou is not None and huaibei is not None
    assert suzhou.arrival_hours + 14 * 24 < huaibei.arrival_hours


def test_area_hazard_covers_neighbours_within_its_radius(uow: UnitOfWork) -> None:
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
        draft(
            where=(121.05, 31.3),
            category=RiskCategory.NATURAL_DISASTER,
            parameters={"radius_km": 20},
        ),
        region_code="yrd",
        now=T0,
    )
    reach = analysis.current_analysis(uow, actor(uow, "ema-320500"), risk.id).reach
    assert reach.pathway is Pathway.OVERLAY
    assert {"320500", "310000"} <= set(reach.codes)
    assert all(e.arrival_hours == 0 for e in reach.entries)


def test_changed_parameters_make_a_new_version_and_keep_the_old(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**XINAN_SPILL), region_code="yrd", now=T0)
    risks.change_risk(
        uow,
        officer,
        risk.id,
        # A hundredth of the mass: the limit is exceeded later, and by less.
        risks.RiskChange(parameters={"mass_kg": 200}, reason="核实泄漏量较小"),
        now=T0 + timedelta(minutes=5),
    )
    versions = analysis.analysis_versions(uow, officer, risk.id)
    assert [v.version for v in versions] == [1, 2]
    smaller, larger = versions[1].reach.entry("330100"), versions[0].reach.entry("330100")
    assert smaller is not None and larger is not None
    assert smaller.arrival_hours > larger.arrival_hours
    assert smaller.intensity < larger.intensity


def test_text_change_does_not_recompute(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**XINAN_SPILL), region_code="yrd", now=T0)
    risks.change_risk(
        uow, officer, risk.id, risks.RiskChange(title="新标题", reason="更正"), now=T0
    )
    assert len(analysis.analysis_versions(uow, officer, risk.id)) == 1


def test_level_one_escalates_to_the_central_office(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**XINAN_SPILL), region_code="yrd", now=T0)
    risks.change_risk(
        uow,
        officer,
        risk.id,
        risks.RiskChange(likelihood=5, consequence=5, reason="泄漏量远超预估"),
        now=T0,
    )
    latest = analysis.current_analysis(uow, officer, risk.id)
    assert latest.responsibility.escalation.reasons == ("level-I",)
    assert latest.responsibility.commander == "central"
    assert any(d.party.organisation_code == "central-office" for d in latest.responsibility.duties)
    assert journal_actions(uow, risk.id)[-2:] == ["risk.analysed", "risk.escalated"]


def test_coordination_body_confirms_the_newest_list(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**XINAN_SPILL), region_code="yrd", now=T0)
    with pytest.raises(NotPermitted):
        analysis.confirm_responsibility_list(uow, officer, risk.id, version=1, now=T0)
    confirmed = analysis.confirm_responsibility_list(
        uow, actor(uow, "yrd-committee"), risk.id, version=1, now=T0
    )
    assert confirmed.confirmed_by == "test-yrd-committee"
    with pytest.raises(Conflict):
        analysis.confirm_responsibility_list(
            uow, actor(uow, "yrd-committee"), risk.id, version=1, now=T0
        )
    assert journal_actions(uow, risk.id)[-1] == "responsibility.confirmed"


def test_coordination_body_may_hand_the_lead_to_another_origin(uow: UnitOfWork) -> None:
    line = {"type": "LineString", "coordinates": [list(SUZHOU_JS), [121.2, 31.2], list(SHANGHAI)]}
    risk = risks.register_risk(
        uow, actor(uow, "yrd-committee"), draft(geometry=line), region_code="yrd", now=T0
    )
    first = analysis.current_analysis(uow, actor(uow, "yrd-committee"), risk.id)
    assert first.classification.situation is Situation.SPANNING
    assert first.responsibility.lead_code == "320500"
    with pytest.raises(NotPermitted):
        analysis.assign_lead(
            uow, actor(uow, "ema-320500"), risk.id, lead_code="310000", reason="x", now=T0
        )
    handed = analysis.assign_lead(
        uow,
        actor(uow, "yrd-committee"),
        risk.id,
        lead_code="310000",
        reason="上海处置力量更近",
        now=T0,
    )
    assert (handed.version, handed.responsibility.lead_code) == (2, "310000")
    # A later recomputation keeps the chosen lead.
    risks.change_risk(
        uow,
        actor(uow, "yrd-committee"),
        risk.id,
        risks.RiskChange(likelihood=4, reason="复核"),
        now=T0,
    )
    assert (
        analysis.current_analysis(
            uow, actor(uow, "yrd-committee"), risk.id
        ).responsibility.lead_code
        == "310000"
    )


def test_what_if_stores_nothing(uow: UnitOfWork) -> None:
    before = count(uow)
    result = analysis.what_if(
        uow, actor(uow, "ema-330100"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert result.analysis.reach.entry("330100") is not None
    assert count(uow) == before
