"""Metrics of a risk's handling, computed from its journal entries (DESIGN §3.6).

Each metric carries its definition in both languages, so the page shows what was
measured; its value is None when the record holds nothing to measure. The two objects of
evaluation of the seed both appear: the governance activity (`party` None: plans and
agreements effective, work timely, resources and information sufficient) and each party
(`party` an organisation's code: the committee's coordination, each city's cooperation,
the duties it kept). Only the entries are read: the same entries always give the same
figures, which is what lets anyone recompute them from the hash-chained record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossrisk.domain.journal import JournalEntry

MINUTES = "min"
SHARE = "share"
COUNT = "count"

# The aspects a metric speaks to, after the seed's two objects of evaluation.
PLANS_AGREEMENTS = "plans_agreements"
TIMELINESS = "timeliness"
RESOURCES_INFORMATION = "resources_information"
PARTY_DUTIES = "party_duties"
ACTIVITY_ASPECTS = (PLANS_AGREEMENTS, TIMELINESS, RESOURCES_INFORMATION)


@dataclass(frozen=True, slots=True)
class Metric:
    """One measured figure, with its definition; `detail` names what it is about (a plan)."""

    name: str
    value: float | None
    unit: str
    definition: str
    definition_zh: str
    party: str | None
    aspect: str = TIMELINESS
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AidFact:
    """One commitment of an aid request tied to the risk, as evaluation reads it."""

    donor: str  # the donor's organisation code
    quantity: float
    received: float
    outcome: str  # domain.aid.commitment.Outcome's value


def _minutes(later: datetime, earlier: datetime) -> float:
    return round((later - earlier).total_seconds() / 60.0, 1)


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 3)


def _first(entries: Iterable[JournalEntry], action: str) -> JournalEntry | None:
    return next((e for e in entries if e.action == action), None)


def registered_at(entries: Sequence[JournalEntry]) -> datetime | None:
    """When the risk entered the record: its first entry (risk.registered, normally)."""
    first = _first(entries, "risk.registered")
    if first is not None:
        return first.at
    return entries[0].at if entries else None


def report_metrics(entries: Sequence[JournalEntry]) -> list[Metric]:
    """Registration to the first report, and whether it came by the report duty's deadline."""
    start = registered_at(entries)
    report = _first(entries, "risk.reported")
    duty = next(
        (
            e
            for e in entries
            if e.action == "duty.assigned" and e.payload.get("kind") == "handle_and_report"
        ),
        None,
    )
    deadline = _moment(duty.payload.get("deadline")) if duty is not None else None
    latency = None if start is None or report is None else _minutes(report.at, start)
    allowed = None if start is None or deadline is None else _minutes(deadline, start)
    on_time: float | None = None
    if deadline is not None and report is not None:
        on_time = 1.0 if report.at <= deadline else 0.0
    party = str(report.payload.get("organisation")) if report is not None else None
    return [
        Metric(
            "report_latency",
            latency,
            MINUTES,
            "Minutes from the risk's registration to its first situation report.",
            "风险登记至首次情况报告的分钟数。",
            None,
        ),
        Metric(
            "report_deadline",
            allowed,
            MINUTES,
            "Minutes the handle-and-report duty allowed after registration.",
            "“先期处置并报告”职责自登记起允许的分钟数。",
            None,
        ),
        Metric(
            "report_on_time",
            on_time,
            SHARE,
            "1 when the first report came by the report duty's deadline, else 0.",
            "首次报告在报告职责时限内为 1，否则为 0。",
            party,
            aspect=PARTY_DUTIES if party else TIMELINESS,
        ),
    ]


def warning_metrics(entries: Sequence[JournalEntry]) -> list[Metric]:
    """Lead time per recipient and its minimum; acknowledgement latency and in-time share."""
    issued: dict[str, JournalEntry] = {}  # by warning subject, the first issue
    first_to: dict[str, JournalEntry] = {}  # by recipient organisation
    acknowledged: dict[str, JournalEntry] = {}
    for entry in entries:
        if entry.action == "warning.issued":
            issued.setdefault(entry.subject, entry)
            first_to.setdefault(str(entry.payload.get("organisation")), entry)
        elif entry.action == "warning.acknowledged":
            acknowledged.setdefault(entry.subject, entry)
    metrics: list[Metric] = []
    leads: list[float] = []
    for party, entry in sorted(first_to.items()):
        arrival = _moment(entry.payload.get("expected_arrival"))
        lead = None if arrival is None else _minutes(arrival, entry.at)
        if lead is not None:
            leads.append(lead)
        metrics.append(
            Metric(
                "warning_lead_time",
                lead,
                MINUTES,
                "Minutes between the first warning to this party and the hazard's expected "
                "arrival there (negative: warned after arrival).",
                "首次向该方发出预警至风险预计到达该地的分钟数（负值表示到达后才预警）。",
                party,
                aspect=RESOURCES_INFORMATION,
            )
        )
    metrics.append(
        Metric(
            "warning_lead_time_min",
            min(leads) if leads else None,
            MINUTES,
            "The shortest lead time of any warned party.",
            "各受预警方提前量中的最小值。",
            None,
            aspect=RESOURCES_INFORMATION,
        )
    )
    in_time = 0
    by_party: dict[str, list[float]] = {}
    for subject, entry in issued.items():
        ack = acknowledged.get(subject)
        if ack is None:
            continue
        if not ack.payload.get("late"):
            in_time += 1
        party = str(ack.payload.get("organisation"))
        by_party.setdefault(party, []).append(_minutes(ack.at, entry.at))
    for party, latencies in sorted(by_party.items()):
        metrics.append(
            Metric(
                "ack_latency",
                max(latencies),
                MINUTES,
                "Minutes from a warning's issue to this party's acknowledgement (the longest "
                "of its warnings).",
                "预警发出至该方确认的分钟数（取其各预警中的最长值）。",
                party,
                aspect=PARTY_DUTIES,
            )
        )
    metrics.append(
        Metric(
            "ack_in_time_share",
            _share(in_time, len(issued)),
            SHARE,
            "Share of the warnings issued that were acknowledged by their deadline "
            "(unacknowledged ones count as not in time).",
            "已发预警中在确认时限内得到确认的比例（未确认的计为未按时）。",
            None,
        )
    )
    return metrics


def _duty_states(entries: Sequence[JournalEntry]) -> dict[int, JournalEntry]:
    """Each duty's last entry, by duty id: what became of it."""
    last: dict[int, JournalEntry] = {}
    for entry in entries:
        duty = entry.payload.get("duty")
        if entry.action.startswith("duty.") and isinstance(duty, int):
            last[duty] = entry  # every duty entry carries its deadline and status as then
    return last


def _in_time(entry: JournalEntry, now: datetime) -> bool | None:
    """True done by its deadline; False late, overdue, or cancelled when already overdue (a
    risk closed with the duty still undone: the closing does not excuse it, and the
    accountability case it opened says so too); None waived, cancelled in time, or still
    due."""
    if entry.action == "duty.done":
        return not entry.payload.get("late")
    if entry.action == "duty.waived":
        return None
    deadline = _moment(entry.payload.get("deadline"))
    if entry.action == "duty.cancelled":
        return False if deadline is not None and entry.at > deadline else None
    if deadline is not None and now > deadline:
        return False  # open past its deadline
    return None


def duty_metrics(entries: Sequence[JournalEntry], *, now: datetime) -> list[Metric]:
    """Duties done in time, over all and per party; open duties past their deadline count late."""
    counted: dict[str, list[bool]] = {}
    for entry in _duty_states(entries).values():
        verdict = _in_time(entry, now)
        if verdict is not None:
            counted.setdefault(str(entry.payload.get("organisation")), []).append(verdict)
    every = [v for verdicts in counted.values() for v in verdicts]
    metrics = [
        Metric(
            "duties_in_time_share",
            _share(sum(every), len(every)),
            SHARE,
            "Share of the duties that fell due and were done by their deadline (waived ones "
            "and those cancelled before their deadline left out; open ones past their "
            "deadline, or cancelled after it, count late).",
            "已到期职责中按时完成的比例（豁免及在时限前取消的不计；逾期未完成或逾期后取消的计为迟延）。",
            None,
        ),
        Metric(
            "duties_counted",
            float(len(every)),
            COUNT,
            "How many duties fell due or were done.",
            "已到期或已完成的职责数。",
            None,
        ),
    ]
    for party, verdicts in sorted(counted.items()):
        metrics.append(
            Metric(
                "party_duties_in_time_share",
                _share(sum(verdicts), len(verdicts)),
                SHARE,
                "Share of this party's duties done by their deadline.",
                "该方职责中按时完成的比例。",
                party,
                aspect=PARTY_DUTIES,
            )
        )
    return metrics


def plan_metrics(entries: Sequence[JournalEntry], *, now: datetime) -> list[Metric]:
    """Which plan was activated, how soon after registration, and its tasks done in time."""
    start = registered_at(entries)
    activation = _first(entries, "plan.activated")
    latency = None
    detail = ""
    if activation is not None:
        detail = f"{activation.payload.get('plan_code')} v{activation.payload.get('plan_version')}"
        latency = None if start is None else _minutes(activation.at, start)
    tasks = [
        verdict
        for entry in _duty_states(entries).values()
        if entry.payload.get("kind") == "task"
        and str(entry.payload.get("source", "")).startswith("plan:")
        and (verdict := _in_time(entry, now)) is not None
    ]
    return [
        Metric(
            "plan_activation_latency",
            latency,
            MINUTES,
            "Minutes from registration to the activation of a contingency plan.",
            "风险登记至启动应急预案的分钟数。",
            None,
            aspect=PLANS_AGREEMENTS,
            detail=detail,
        ),
        Metric(
            "plan_tasks_in_time_share",
            _share(sum(tasks), len(tasks)),
            SHARE,
            "Share of the activated plan's tasks that fell due and were done by their deadline.",
            "所启动预案的已到期任务中按时完成的比例。",
            None,
            aspect=PLANS_AGREEMENTS,
        ),
    ]


def obligation_metrics(entries: Sequence[JournalEntry]) -> list[Metric]:
    """Agreement obligations kept: each obligation's last checked status in the period."""
    last: dict[tuple[str, Any], bool] = {}
    for entry in entries:
        if entry.action in ("agreement.obligation_kept", "agreement.obligation_unmet"):
            key = (entry.subject, entry.payload.get("position"))
            last[key] = entry.action == "agreement.obligation_kept"
    kept = sum(last.values())
    return [
        Metric(
            "obligations_kept_share",
            _share(kept, len(last)),
            SHARE,
            "Share of the agreement obligations checked in the period whose last status was kept.",
            "期间内被核查的协议义务中，最后状态为已履行的比例。",
            None,
            aspect=PLANS_AGREEMENTS,
        )
    ]


def aid_metrics(facts: Sequence[AidFact]) -> list[Metric]:
    """Aid fill rate (received over committed) and the share of commitments honoured."""
    committed = sum(f.quantity for f in facts)
    received = sum(min(f.received, f.quantity) for f in facts)
    honoured = sum(1 for f in facts if f.outcome == "honoured")
    settled = [f for f in facts if f.outcome != "open"]
    metrics = [
        Metric(
            "aid_fill_rate",
            None if committed <= 0 else round(received / committed, 3),
            SHARE,
            "Quantity received over quantity committed, for the aid requests of the risk.",
            "与该风险相关的互助请求中，已接收数量占承诺数量的比例。",
            None,
            aspect=RESOURCES_INFORMATION,
        ),
        Metric(
            "aid_on_time_share",
            _share(honoured, len(settled)),
            SHARE,
            "Share of the settled commitments received in full by their due time.",
            "已有结果的承诺中按时足额到达的比例。",
            None,
            aspect=RESOURCES_INFORMATION,
        ),
    ]
    for donor in sorted({f.donor for f in settled}):
        mine = [f for f in settled if f.donor == donor]
        metrics.append(
            Metric(
                "party_aid_on_time_share",
                _share(sum(1 for f in mine if f.outcome == "honoured"), len(mine)),
                SHARE,
                "Share of this donor's settled commitments received in full by their due time.",
                "该援助方已有结果的承诺中按时足额到达的比例。",
                donor,
                aspect=PARTY_DUTIES,
            )
        )
    return metrics


def escalation_metrics(entries: Sequence[JournalEntry]) -> list[Metric]:
    """Registration to the first escalation of the risk (None: never escalated)."""
    start = registered_at(entries)
    escalated = _first(entries, "risk.escalated")
    return [
        Metric(
            "escalation_latency",
            None if start is None or escalated is None else _minutes(escalated.at, start),
            MINUTES,
            "Minutes from registration to the risk's first escalation.",
            "风险登记至首次上报升级的分钟数。",
            None,
        )
    ]


def risk_metrics(
    entries: Sequence[JournalEntry],
    *,
    obligations: Sequence[JournalEntry] = (),
    aid: Sequence[AidFact] = (),
    now: datetime,
) -> list[Metric]:
    """Every metric of one risk's entries (oldest first), its region's obligation checks
    in the period and its aid commitments."""
    return [
        *report_metrics(entries),
        *warning_metrics(entries),
        *duty_metrics(entries, now=now),
        *plan_metrics(entries, now=now),
        *obligation_metrics(obligations),
        *aid_metrics(aid),
        *escalation_metrics(entries),
    ]


def activity_metrics(metrics: Sequence[Metric]) -> list[Metric]:
    """The governance activity's metrics: those of no party."""
    return [m for m in metrics if m.party is None]


def party_metrics(metrics: Sequence[Metric]) -> dict[str, list[Metric]]:
    """Each party's metrics, by organisation code."""
    grouped: dict[str, list[Metric]] = {}
    for metric in metrics:
        if metric.party is not None:
            grouped.setdefault(metric.party, []).append(metric)
    return dict(sorted(grouped.items()))
