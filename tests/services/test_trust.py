"""Trust scores on both backends: gathered from the record with their journal entries,
supervised by the committee (a dispute flips an item) and rated by the recipients of aid
(anyone else is refused and nothing is written).

The yrd region forgets with λ = 0.9 per event (crossrisk/data/policy/trust.toml); every
expected score below is worked by hand from E = (r + 1) / (r + s + 2).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.aid.request import LineDraft
from crossrisk.domain.aid.shipment import TransportMode
from crossrisk.domain.drills.drill import DrillState
from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.risk import RiskStatus
from crossrisk.domain.trust.reputation import Aspect, EvidenceKind
from crossrisk.domain.trust.supervision import Verdict
from crossrisk.services import (
    aid_offers,
    aid_requests,
    commitments,
    duties,
    risks,
    shipments,
    trust,
    trust_evidence,
    trust_ratings,
    trust_supervision,
    warnings,
)
from crossrisk.store.uow import UnitOfWork
from tests.services.test_aid_requests import NEEDED_BY, H, offer, stock_donors, tents
from tests.services.test_drills import NOW, run
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU, HUANGSHAN, SHANGHAI = "ema-330100", "ema-341000", "ema-310000"
COMMITTEE = "yrd-committee"


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def approved_request(uow: UnitOfWork, requester: str, line: LineDraft) -> int:
    city = actor(uow, requester)
    code = requester.removeprefix("ema-")
    request = aid_requests.draft_request(
        uow, city, region_code="yrd", jurisdiction_code=code, lines=[line], now=T0
    )
    assert request.id is not None
    aid_requests.submit_request(uow, city, request.id, now=T0)
    aid_requests.approve_request(uow, actor(uow, COMMITTEE), request.id, now=T0)
    return request.id


def journal(uow: UnitOfWork, action: str) -> list[Any]:
    with uow.read_only() as tx:
        return [e for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def report(uow: UnitOfWork, member: str, *, hours: float) -> trust.TrustReport:
    return trust.member_trust(uow, actor(uow, COMMITTEE), member, now=T0 + timedelta(hours=hours))


def test_a_late_acknowledgement_and_a_broken_commitment_lower_the_score(
    uow: UnitOfWork,
) -> None:
    register_spill(uow)
    (message,) = warnings.inbox(uow, actor(uow, HANGZHOU))
    # The acknowledgement deadline is T0 + 1 h; Hangzhou acknowledges an hour late.
    warnings.acknowledge(uow, actor(uow, HANGZHOU), message.id, via="page", now=T0 + 2 * H)
    request_id = approved_request(uow, SHANGHAI, tents(1000))
    (made,) = aid_offers.accept_offer(
        uow,
        actor(uow, COMMITTEE),
        offer(uow, request_id, "330100", 1000).id or 0,
        now=T0 + 2 * H,
    )
    assert report(uow, HANGZHOU, hours=2.5).score == pytest.approx(1 / 3)
    commitments.cancel_commitment(
        uow, actor(uow, HANGZHOU), made.id or 0, reason="本地汛情加重", now=T0 + 3 * H
    )

    found = report(uow, HANGZHOU, hours=4)

    # Late acknowledgement: r = 0, s = 1, E = 1/3. Broken commitment: s = 0.9·1 + 1 = 1.9,
    # E = 1 / 3.9 ≈ 0.2564; each aspect has one item, E = 1/3.
    assert [i.evidence.kind for i in found.items] == [
        EvidenceKind.ACKNOWLEDGEMENT_MISSED,
        EvidenceKind.COMMITMENT_BROKEN,
    ]
    assert [p.score for p in found.reputation.overall] == pytest.approx([1 / 3, 1 / 3.9])
    assert (found.r, found.s, found.n) == (0, pytest.approx(1.9), 2)
    assert found.score == pytest.approx(0.2564, abs=1e-4)
    by_aspect = found.reputation.by_aspect
    assert by_aspect[Aspect.COMMITMENTS][-1].score == pytest.approx(1 / 3)
    assert by_aspect[Aspect.ACKNOWLEDGEMENTS][-1].score == pytest.approx(1 / 3)
    with uow.read_only() as tx:
        actions = [
            [tx.journal.at(seq).action for seq in item.seqs]  # type: ignore[union-attr]
            for item in found.items
        ]
    assert "warning.acknowledged" in actions[0]
    assert actions[1][:1] == ["commitment.made"] and "commitment.cancelled" in actions[1]


def test_a_dispute_flips_a_duty_done_in_time_and_is_journaled(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    duties.file_report(uow, actor(uow, HUANGSHAN), risk_id, text="已处置", now=T0 + 0.5 * H)
    before = report(uow, HUANGSHAN, hours=0.75)
    (item,) = before.items
    assert item.evidence.kind is EvidenceKind.DUTY_IN_TIME
    assert before.score == pytest.approx(2 / 3)

    trust_supervision.supervise(
        uow,
        actor(uow, COMMITTEE),
        target=item.source,
        verdict=Verdict.DISPUTED,
        reason="报告未附监测数据，不算按时完成",
        now=T0 + 0.75 * H,
    )

    after = report(uow, HUANGSHAN, hours=0.75)
    (flipped,) = after.items
    assert flipped.evidence.kind is EvidenceKind.DUTY_LATE
    assert flipped.recorded_kind is EvidenceKind.DUTY_IN_TIME
    assert after.score == pytest.approx(1 / 3)
    (entry,) = journal(uow, "trust.disputed")
    assert entry.subject == item.source and entry.organisation == COMMITTEE
    assert entry.payload["member"] == HUANGSHAN
    assert entry.payload["recorded_kind"] == "duty_in_time"
    assert entry.payload["counts_as"] == "duty_late"
    assert entry.payload["reason"] == "报告未附监测数据，不算按时完成"
    assert entry.seq in flipped.seqs  # the verdict is part of the item's evidence

    trust_supervision.supervise(
        uow,
        actor(uow, COMMITTEE),
        target=item.source,
        verdict=Verdict.CONFIRMED,
        reason="补交数据后复核，按时完成",
        counts_as=None,
        now=T0 + H,
    )
    assert report(uow, HUANGSHAN, hours=1).score == pytest.approx(2 / 3)
    # A confirmation restores what the record shows.
    assert journal(uow, "trust.confirmed")[0].payload["counts_as"] == "duty_in_time"


@pytest.mark.parametrize(
    ("who", "target", "reason", "error", "key"),
    [
        (HANGZHOU, "duty:1", "不认可", NotPermitted, "trust-supervise-not-committee"),
        (COMMITTEE, "duty:3", "未到期", Conflict, "trust-nothing-to-supervise"),
        (COMMITTEE, "risk:1", "x", InvalidInput, "trust-target-invalid"),
        (COMMITTEE, "duty:1", " ", InvalidInput, "text-empty"),
    ],
)
def test_a_refused_verdict_writes_nothing(
    uow: UnitOfWork, who: str, target: str, reason: str, error: type[CrossriskError], key: str
) -> None:
    risk_id = register_spill(uow)
    duties.file_report(uow, actor(uow, HUANGSHAN), risk_id, text="已处置", now=T0)
    before = journal_length(uow)

    with pytest.raises(error) as refused:
        trust_supervision.supervise(
            uow,
            actor(uow, who),
            target=target,
            verdict=Verdict.DISPUTED,
            reason=reason,
            now=T0 + 0.5 * H,
        )

    assert refused.value.key == key
    assert journal_length(uow) == before
    with uow.read_only() as tx:
        assert tx.trust.supervisions(["yrd"]) == []


def received_tents(uow: UnitOfWork) -> int:
    """Huangshan ships 1,000 tents to Hangzhou, received in full before the need: honoured."""
    stock_donors(uow, **{"341000": 1000})
    request_id = approved_request(uow, HANGZHOU, tents(1000))
    (made,) = aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, "341000", 1000).id or 0, now=T0 + H
    )
    sent = shipments.dispatch(
        uow,
        actor(uow, HUANGSHAN),
        made.id or 0,
        quantity=1000,
        mode=TransportMode.ROAD,
        reference="皖J 0001",
        expected_arrival=T0 + 8 * H,
        now=T0 + 2 * H,
    )
    shipments.record_receipt(uow, actor(uow, HANGZHOU), sent.id or 0, quantity=1000, now=T0 + 9 * H)
    assert T0 + 9 * H <= NEEDED_BY
    return sent.id or 0


def test_the_recipient_rates_aid_weighted_by_its_own_score(uow: UnitOfWork) -> None:
    shipment_id = received_tents(uow)

    rating = trust_ratings.rate_aid(
        uow, actor(uow, HANGZHOU), shipment_id, score=5, comment="准时足量", now=T0 + 10 * H
    )

    assert (rating.rater, rating.subject, rating.share) == (HANGZHOU, HUANGSHAN, 1.0)
    found = report(uow, HUANGSHAN, hours=10)
    # Honoured: r = 1 (E = 2/3). Hangzhou has no evidence (E = 0.5), so a 5 adds
    # (1·0.5, 0): r = 0.9·1 + 0.5 = 1.4, E = 2.4 / 3.4 ≈ 0.7059.
    assert [i.evidence.kind for i in found.items] == [
        EvidenceKind.COMMITMENT_HONOURED,
        EvidenceKind.PEER_RATING,
    ]
    assert found.reputation.overall[-1].rater_score == pytest.approx(0.5)
    assert found.score == pytest.approx(2.4 / 3.4)
    (entry,) = journal(uow, "trust.rated")
    assert entry.subject == f"shipment:{shipment_id}" and entry.organisation == HANGZHOU
    assert entry.payload["member"] == HUANGSHAN and entry.payload["score"] == "5"
    assert entry.payload["share"] == 1.0 and entry.payload["comment"] == "准时足量"
    assert entry.seq in found.items[-1].seqs


@pytest.mark.parametrize(
    ("who", "score", "error", "key"),
    [
        (SHANGHAI, "positive", NotPermitted, "trust-rating-not-recipient"),
        (HUANGSHAN, 5, NotPermitted, "trust-rating-not-recipient"),
        (COMMITTEE, 5, NotPermitted, "trust-rating-not-recipient"),
        (HANGZHOU, 6, InvalidInput, "trust-rating-invalid"),
        (HANGZHOU, "twice", Conflict, "trust-rating-twice"),
    ],
)
def test_a_refused_rating_writes_nothing(
    uow: UnitOfWork, who: str, score: object, error: type[CrossriskError], key: str
) -> None:
    shipment_id = received_tents(uow)
    if score == "twice":
        trust_ratings.rate_aid(uow, actor(uow, HANGZHOU), shipment_id, score=4, now=T0 + 10 * H)
        score = 1
    before = journal_length(uow)
    with uow.read_only() as tx:
        ratings = tx.trust.ratings(["yrd"])

    with pytest.raises(error) as refused:
        trust_ratings.rate_aid(uow, actor(uow, who), shipment_id, score=score, now=T0 + 10 * H)  # type: ignore[arg-type]

    assert refused.value.key == key
    assert journal_length(uow) == before
    with uow.read_only() as tx:
        assert tx.trust.ratings(["yrd"]) == ratings


@pytest.mark.parametrize("scenario", ["xinan_styrene", "huai_flood"])
def test_a_drills_record_counts_each_item_marked_with_its_drill(
    uow: UnitOfWork, scenario: str
) -> None:
    risk_id = register_spill(uow)
    drill = run(uow, scenario)
    assert drill.state is DrillState.ENDED, drill.failure

    with uow.read_only() as tx:
        drill_risks = {r.id for r in tx.risks.list(region_codes=None, drill_id=drill.id)}
        found = trust_evidence.region_evidence(tx, drill.region_code, now=NOW)

    drilled = [i for i in found if i.drill]
    real = [i for i in found if not i.drill]
    # The drill wrote warnings acknowledged late, or aid delivered late: evidence now.
    assert drilled
    assert {i.drill_id for i in drilled} == {drill.id}
    assert {i.risk_id for i in drilled} <= drill_risks
    assert all(trust_evidence.describe(i)["drill"] is True for i in drilled)
    assert all(trust_evidence.describe(i)["drill_id"] == drill.id for i in drilled)
    # The real spill's unacknowledged warning and overdue duties stay unmarked.
    assert real and {i.risk_id for i in real} == {risk_id}
    assert all(trust_evidence.describe(i)["drill"] is False for i in real)


def test_a_drills_late_acknowledgement_lowers_the_members_score_as_drill_evidence(
    uow: UnitOfWork,
) -> None:
    committee = actor(uow, COMMITTEE)
    before = trust.member_trust(uow, committee, HANGZHOU, now=NOW)
    assert (before.score, before.n) == (0.5, 0)

    drill = run(uow, "xinan_styrene")
    after = trust.member_trust(uow, committee, HANGZHOU, now=NOW)

    # Hangzhou acknowledged three hours after its warning: one missed acknowledgement,
    # r = 0, s = 1, E = 1 / 3.
    (late,) = after.items
    assert late.evidence.kind is EvidenceKind.ACKNOWLEDGEMENT_MISSED
    assert late.source.startswith("warning:") and late.drill_id == drill.id
    assert late.evidence.time == drill.clock_start + timedelta(hours=3)
    assert after.score == pytest.approx(1 / 3)
    assert after.score < before.score
    # Its journal entries include the acknowledgement itself.
    (acknowledged,) = [e for e in journal(uow, "warning.acknowledged") if e.subject == late.source]
    assert acknowledged.seq in late.seqs


def test_closing_a_risk_excuses_no_overdue_duty_or_acknowledgement(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="步骤", now=T0)
    # A day later the risk closes: its open duties are cancelled and its warnings lifted,
    # long after the 1 h deadlines of Huangshan's report and Hangzhou's acknowledgement.
    risks.transition_risk(
        uow, lead, risk_id, to=RiskStatus.CLOSED, reason="已处置", now=T0 + 24 * H
    )

    huangshan, hangzhou = report(uow, HUANGSHAN, hours=48), report(uow, HANGZHOU, hours=48)

    assert [(i.source, i.evidence.kind) for i in huangshan.items] == [
        ("duty:1", EvidenceKind.DUTY_LATE)
    ]
    # The lifting message itself is owed no acknowledgement: one item, the missed one.
    (missed,) = hangzhou.items
    assert missed.evidence.kind is EvidenceKind.ACKNOWLEDGEMENT_MISSED
    assert missed.evidence.time == T0 + H and missed.source.endswith("-1")
    assert huangshan.score == hangzhou.score == pytest.approx(1 / 3)
