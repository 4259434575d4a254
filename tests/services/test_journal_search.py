"""Browsing the journal and a risk's whole record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.journal_search import parse_journal_query
from crossrisk.domain.organisation import system_actor
from crossrisk.services import journal, risks, warnings
from crossrisk.store.uow import UnitOfWork
from tests.support import HANGZHOU, T0, XINAN_SPILL, actor, draft


def _spill(uow: UnitOfWork, *, mass_kg: float | None = None) -> int:
    spill = XINAN_SPILL
    if mass_kg is not None:
        spill = {**XINAN_SPILL, "parameters": {**XINAN_SPILL["parameters"], "mass_kg": mass_kg}}
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**spill), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def test_a_risks_record_holds_its_warnings_acknowledgements_and_what_names_it(
    uow: UnitOfWork,
) -> None:
    spill = _spill(uow)
    other = risks.register_risk(
        uow, actor(uow, "ema-330100"), draft(where=HANGZHOU), region_code="yrd", now=T0
    )
    hangzhou = actor(uow, "ema-330100")
    (message,) = [m for m in warnings.inbox(uow, hangzhou) if m.warning.risk_id == spill]
    warnings.acknowledge(uow, hangzhou, message.id, via="page", now=T0 + timedelta(minutes=5))
    # A record of another kind whose entries name the risk, as duties' entries will.
    with uow as tx:
        tx.record(
            system_actor(),
            "duty.completed",
            subject="duty:1",
            payload={"risk_id": spill, "duty": 1},
            region_code="yrd",
            now=T0 + timedelta(minutes=6),
        )
        tx.record(
            system_actor(),
            "duty.completed",
            subject="duty:2",
            payload={"risk_id": spill * 10 + 1, "duty": 2},
            region_code="yrd",
            now=T0 + timedelta(minutes=6),
        )
        tx.commit()

    record = journal.risk_record(uow, actor(uow, "yrd-committee"), spill)
    actions = [entry.action for entry in record]
    assert actions[:2] == ["risk.registered", "risk.analysed"]
    assert "warning.issued" in actions
    assert "warning.acknowledged" in actions
    assert [e.subject for e in record if e.action == "duty.completed"] == ["duty:1"]
    assert f"risk:{other.id}" not in {entry.subject for entry in record}
    assert [e.seq for e in record] == sorted(e.seq for e in record)
    with pytest.raises(NotPermitted):
        journal.risk_record(uow, actor(uow, "pearl-committee"), spill)


def test_filters_and_pages_go_back_through_the_journal(uow: UnitOfWork) -> None:
    # Two thousand tonnes stay above the limit through Qiandao Lake, so several cities
    # below the dam are warned too: enough warnings for more than one page.
    spill = _spill(uow, mass_kg=2_000_000)
    committee = actor(uow, "yrd-committee")
    issued = journal.search_journal(
        uow, committee, parse_journal_query(action="warning.issued", limit=2)
    )
    assert len(issued.entries) == 2 and issued.next_before == issued.entries[-1].seq
    assert issued.entries[0].seq > issued.entries[1].seq
    rest = journal.search_journal(
        uow,
        committee,
        parse_journal_query(action="warning.issued", limit=200, before=issued.next_before),
    )
    seen = [e.seq for e in issued.entries + rest.entries]
    assert len(seen) == len(set(seen))
    assert all(e.action == "warning.issued" for e in rest.entries)
    assert rest.next_before is None

    about = journal.search_journal(uow, committee, parse_journal_query(subject=f"risk:{spill}"))
    assert {e.action for e in about.entries} == {"risk.registered", "risk.analysed"}
    own = journal.search_journal(uow, committee, parse_journal_query(organisation="ema-341000"))
    assert own.entries and {e.organisation for e in own.entries} == {"ema-341000"}
    day = T0.date().isoformat()
    that_day = journal.search_journal(uow, committee, parse_journal_query(since=day, until=day))
    assert {e.action for e in that_day.entries} >= {"risk.registered"}
    later = (T0 + timedelta(days=3)).date().isoformat()
    assert journal.search_journal(uow, committee, parse_journal_query(since=later)).entries == []


def test_each_organisation_reads_its_regions_part_of_the_journal(uow: UnitOfWork) -> None:
    spill = _spill(uow)
    elsewhere = journal.search_journal(
        uow, actor(uow, "pearl-committee"), parse_journal_query(subject="risk:")
    )
    assert elsewhere.entries == []
    central = journal.search_journal(
        uow, actor(uow, "central-office"), parse_journal_query(subject="warning:")
    )
    assert central.entries
    hangzhou = journal.search_journal(
        uow, actor(uow, "ema-330100"), parse_journal_query(subject=f"risk:{spill}")
    )
    assert len(hangzhou.entries) == 2


@pytest.mark.parametrize(
    ("filters", "key"),
    [
        ({"subject": "risk 12; drop"}, "filter-value-unknown"),
        ({"since": "12/01/2026"}, "date-invalid"),
        ({"since": "2026-02-02", "until": "2026-02-01"}, "period-reversed"),
        ({"before": "-1"}, "cursor-malformed"),
        ({"limit": "1000"}, "limit-out-of-range"),
    ],
)
def test_malformed_journal_searches_are_refused_by_name(filters: dict[str, str], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_journal_query(**filters)
    assert refused.value.key == key
