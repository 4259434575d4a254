"""A border section's water-quality statement of the Xin'an kind for a period of a round.

The concentrations come from the platform's own monitoring stations: the station named and
the stations at its very point (a water-quality automatic station measures several
indicators at one place; the platform keeps one series per variable, so one station per
indicator, all at the same coordinates). Each indicator's Cᵢ is the mean of the readings
stored in the period, Asia/Shanghai calendar days (a monitoring year is a local year).
Drill readings are never stored in a station's series (services/observations.py), so
none can count.

The statement is a proposal; the committee approves it by settlements.approve, the same
path a risk's statement takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, localcontext
from zoneinfo import ZoneInfo

from crossrisk.domain.agreements.agreement import Agreement, AgreementState
from crossrisk.domain.agreements.compensation import CompensationRuleName
from crossrisk.domain.compensation.ledger import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    SettlementRule,
    SettlementState,
    Statement,
)
from crossrisk.domain.compensation.water_quality import (
    WaterQualityResult,
    rule_from_agreement,
    water_quality_settlement,
)
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.monitoring.station import Station, check_station_code
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import can_propose_settlement
from crossrisk.services.costs import checked_id
from crossrisk.services.settlements import record_statement
from crossrisk.store.uow import Transaction, UnitOfWork

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
ROUND_MAX = 64
# A settlement period is at most a round: the pilot's rounds ran three years.
PERIOD_DAYS_MAX = 3 * 366


@dataclass(frozen=True, slots=True)
class Period:
    """The calendar days a statement covers, both included (Asia/Shanghai)."""

    first: date
    last: date

    @property
    def label(self) -> str:
        return f"{self.first.isoformat()}–{self.last.isoformat()}"

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time(0), LOCAL_ZONE)

    @property
    def until(self) -> datetime:
        # The last microsecond of the last day: the series read includes both ends.
        return datetime.combine(self.last + timedelta(days=1), time(0), LOCAL_ZONE) - timedelta(
            microseconds=1
        )


def period_of(
    *, year: int | None = None, period_from: date | None = None, period_to: date | None = None
) -> Period:
    """A year, or from–to days, checked; InvalidInput (water-quality-period-invalid) else."""
    if year is not None and (period_from is not None or period_to is not None):
        raise _bad_period("give a year, or a first and last day, not both")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int):
            raise _bad_period("the year is a whole number")
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise _bad_period(f"the year must lie in {EARLIEST_YEAR}–{LATEST_YEAR}")
        return Period(date(year, 1, 1), date(year, 12, 31))
    if period_from is None or period_to is None:
        raise _bad_period("give a year, or a first and last day")
    if period_from > period_to:
        raise _bad_period("the period's first day is after its last")
    if (period_to - period_from).days >= PERIOD_DAYS_MAX:
        raise _bad_period("a period is at most a three-year round")
    for day in (period_from, period_to):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise _bad_period(f"the period must lie in {EARLIEST_YEAR}–{LATEST_YEAR}")
    return Period(period_from, period_to)


def settle_section(
    uow: UnitOfWork,
    actor: Actor,
    agreement_id: int,
    *,
    station: str,
    round: str | None = None,
    year: int | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    upstream: str,
    downstream: str,
    now: datetime,
) -> Statement:
    """Propose the water-quality statement of a border section for a period of a round."""
    period = period_of(year=year, period_from=period_from, period_to=period_to)
    round_name = _round(round, period)
    code = check_station_code(station)
    with uow as tx:
        agreement = tx.agreements.get(checked_id(agreement_id, "agreement"))
        up, down = _parties(tx, agreement, upstream, downstream)
        if not can_propose_settlement(actor, region_code=agreement.region_code, parties=(up, down)):
            raise NotPermitted(
                "only the committee or a party to the agreement proposes its statement",
                key="water-quality-not-permitted",
                params={"agreement": agreement_id},
            )
        if agreement.state is not AgreementState.IN_FORCE:
            raise InvalidTransition(
                f"agreement {agreement_id} is {agreement.state.value}, not in force",
                key="water-quality-agreement-not-in-force",
                params={"agreement": agreement_id},
            )
        compensation = agreement.text.compensation
        if compensation.name is not CompensationRuleName.XINAN_WATER_QUALITY:
            raise InvalidInput(
                f"agreement {agreement_id} settles by {compensation.name.value}, "
                "not by the water-quality rule",
                key="water-quality-rule-missing",
                params={"agreement": agreement_id, "rule": compensation.name.value},
            )
        rule = rule_from_agreement(
            compensation,
            agreement=f"{agreement.region_code}/{agreement.number}v{agreement.version}",
            round=round_name,
            upstream=upstream,
            downstream=downstream,
        )
        named = tx.stations.get(code)
        if named.region_code != agreement.region_code or named.jurisdiction_code not in (up, down):
            raise InvalidInput(
                f"station {code} lies in {named.jurisdiction_code}, on neither party's side "
                "of the border section",
                key="water-quality-station-off-border",
                params={"station": code, "jurisdiction": named.jurisdiction_code},
            )
        if named.variable not in rule.weights:
            raise InvalidInput(
                f"station {code} measures {named.variable}, none of the agreement's indicators",
                key="water-quality-station-not-section",
                params={"station": code, "variable": named.variable},
            )
        section = _section(tx, named, list(rule.weights))
        means, counts = _means(tx, section, period)
        missing = next((i for i in rule.weights if i not in means), None)
        if missing is not None:
            raise InvalidInput(
                f"no reading of {missing} at station {code} from {period.first} to {period.last}",
                key="water-quality-no-readings",
                params={"indicator": missing, "station": code, "period": period.label},
            )
        result = water_quality_settlement(rule, means)
        statement = tx.compensation.add_statement(
            Statement(
                id=None,
                risk_id=None,
                region_code=agreement.region_code,
                rule=SettlementRule.XINAN_WATER_QUALITY,
                inputs=_inputs(result, agreement, section, counts, period),
                transfers=result.settlement.transfers,
                borne_fen={},
                due_fen=dict(result.settlement.due_fen),
                state=SettlementState.PROPOSED,
                proposed_by=actor.username,
                proposed_at=now,
                agreement_id=agreement.id,
                round=round_name,
                period_from=period.first,
                period_to=period.last,
                station_code=code,
            )
        )
        record_statement(tx, actor, "settlement.proposed", statement, now=now, full=True)
        tx.commit()
    return statement


def _round(value: str | None, period: Period) -> str:
    if value is None or not str(value).strip():
        # Without a round named, the period names it: a year, or its first and last day.
        if period.first.year == period.last.year and (period.first, period.last) == (
            date(period.first.year, 1, 1),
            date(period.first.year, 12, 31),
        ):
            return str(period.first.year)
        return f"{period.first.isoformat()}/{period.last.isoformat()}"
    text = str(value).strip()
    if len(text) > ROUND_MAX or not text.isprintable():
        raise InvalidInput(
            f"a round is named by 1–{ROUND_MAX} printable characters",
            key="water-quality-round-invalid",
            params={"max": ROUND_MAX},
        )
    return text


def _parties(
    tx: Transaction, agreement: Agreement, upstream: str, downstream: str
) -> tuple[str, str]:
    """The upstream and downstream parties' jurisdiction codes; both must be parties."""
    codes: list[str] = []
    for party in (upstream, downstream):
        shown = str(party)[:64]
        jurisdiction = None
        if party in agreement.text.parties:
            jurisdiction = tx.organisations.get(party).jurisdiction_code
        if not jurisdiction:
            raise InvalidInput(
                f"{shown} is not a member party of agreement {agreement.id}",
                key="water-quality-party-invalid",
                params={"party": shown, "agreement": agreement.id},
            )
        codes.append(jurisdiction)
    if upstream == downstream or codes[0] == codes[1]:
        raise InvalidInput(
            "the upstream and downstream parties must differ",
            key="water-quality-party-invalid",
            params={"party": str(downstream)[:64], "agreement": agreement.id},
        )
    return codes[0], codes[1]


def _section(tx: Transaction, named: Station, indicators: Sequence[str]) -> dict[str, Station]:
    """Each indicator's station at the named station's point (the named one included)."""
    here = [
        s
        for s in tx.stations.list(region_codes={named.region_code})
        if (s.lon, s.lat) == (named.lon, named.lat) and s.variable in indicators
    ]
    found: dict[str, Station] = {}
    for station in sorted(here, key=lambda s: (s.code != named.code, s.code)):
        found.setdefault(station.variable, station)
    return found


def _means(
    tx: Transaction, section: dict[str, Station], period: Period
) -> tuple[dict[str, Decimal], dict[str, int]]:
    spans = {s.id: (period.since, period.until) for s in section.values() if s.id is not None}
    series = tx.observations.series_many(spans)
    means: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for indicator, station in section.items():
        values = series.get(station.id or 0, [])
        if values:
            with localcontext() as context:
                context.prec = 28
                # Through the decimal text of each stored reading, as the rule reads inputs.
                total = sum((Decimal(repr(value)) for _, value in values), Decimal(0))
                means[indicator] = total / len(values)
            counts[indicator] = len(values)
    return means, counts


def _inputs(
    result: WaterQualityResult,
    agreement: Agreement,
    section: dict[str, Station],
    counts: dict[str, int],
    period: Period,
) -> dict[str, object]:
    """What the statement is recomputed from: the rule's inputs, the readings' counts and
    stations, the period, the agreement and the terms per indicator."""
    return {
        **result.settlement.inputs,
        "k0": str(result.rule.stability_coefficient),
        "amount_fen": result.amount_fen,
        "payer": result.payer,
        "payee": result.payee,
        "counts": dict(counts),
        "stations": {indicator: s.code for indicator, s in section.items()},
        "terms": {i: f"{t.normalize():f}" for i, t in result.terms.items()},
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "agreement": {
            "id": agreement.id,
            "number": agreement.number,
            "version": agreement.version,
            "rule": agreement.text.compensation.name.value,
        },
        "drill": False,
    }


def _bad_period(detail: str) -> InvalidInput:
    return InvalidInput(detail, key="water-quality-period-invalid", params={"detail": detail})
