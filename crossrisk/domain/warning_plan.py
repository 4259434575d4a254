"""Which warnings a risk's reach calls for, and how each earlier message is updated (§3.4).

Every (risk, recipient jurisdiction) pair has a thread of CAP messages: the first is an
Alert, later ones Update or Cancel it and reference every earlier one. A thread is
"manual" once the lead city or the coordination body has issued to it by hand: a
re-analysis may then raise its level but never lower or cancel it, because a person
decided it. Closing the risk cancels every thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Reach, ReachEntry
from crossrisk.domain.responsibility import RegionState, acknowledgement_deadline
from crossrisk.domain.warning import (
    AWAITING_ACK,
    EarlyWarning,
    LevelThresholds,
    WarningLevel,
    WarningStatus,
    level_for,
    warning_id,
)

# A thread whose last message is in one of these states has nothing live at the receiver.
CLOSED_STATES = frozenset({WarningStatus.CANCELLED, WarningStatus.EXPIRED})


class MessageType(StrEnum):
    """CAP 1.2 msgType of a warning message."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"


@dataclass(frozen=True, slots=True)
class WarningPolicy:
    """Policy tables behind warnings: levels, acknowledgement deadlines and instructions."""

    thresholds: LevelThresholds
    ack_minutes: Mapping[tuple[WarningLevel, RegionState], int]
    min_ack_minutes: int
    arrival_shift_minutes: int
    instructions: Mapping[str, tuple[str, str]]  # level key or "cancel" -> (zh, en)
    validity_hours: float  # a message expires this long after the arrival (or its issue)

    def __post_init__(self) -> None:
        for level in WarningLevel:
            if level.key not in self.instructions:
                raise InvalidInput(f"the warning policy has no instructions for {level.key}")
            for state in RegionState:
                if (level, state) not in self.ack_minutes:
                    raise InvalidInput(
                        f"the warning policy has no acknowledgement deadline for {level.key} "
                        f"({state})"
                    )
        if "cancel" not in self.instructions:
            raise InvalidInput("the warning policy has no instructions for a cancellation")

    def ack_deadline(
        self,
        level: WarningLevel,
        state: RegionState,
        *,
        issued_at: datetime,
        arrival: datetime | None,
    ) -> datetime:
        """When the recipient must have acknowledged: the table, capped at the arrival."""
        return acknowledgement_deadline(
            self.ack_minutes[(level, state)],
            start=issued_at,
            arrival=arrival,
            min_minutes=self.min_ack_minutes,
        )

    def instructions_for(self, key: str) -> tuple[str, str]:
        return self.instructions[key]

    def instructions_of(self, level: WarningLevel, context: Context) -> tuple[str, str]:
        """What a new message asks: by level, or an information report's own where the
        table gives one (a report names no level, so its measures cannot follow one)."""
        if context.report and "report" in self.instructions:
            return self.instructions["report"]
        return self.instructions[level.key]

    def expiry(self, *, issued_at: datetime, arrival: datetime | None) -> datetime:
        """When a message stops being in force at the receiver (CAP <expires>)."""
        onset = issued_at if arrival is None else max(arrival, issued_at)
        return onset + timedelta(hours=self.validity_hours)


@dataclass(frozen=True, slots=True)
class Thread:
    """The newest message of one (risk, recipient) thread."""

    current: EarlyWarning
    manual: bool
    msg_type: MessageType


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A new message to store and deliver."""

    msg_type: MessageType
    warning: EarlyWarning
    manual: bool
    replaces: EarlyWarning | None = None  # the thread's previous message


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about the risk every new message carries."""

    risk_id: int
    region_code: str
    state: RegionState
    now: datetime
    report: bool = False  # an information report (通报), not a colour warning


def plan_from_reach(
    reach: Reach,
    *,
    analysed_at: datetime,
    origin_codes: tuple[str, ...],
    threads: Mapping[str, Thread],
    policy: WarningPolicy,
    context: Context,
) -> list[Outgoing]:
    """The messages a new analysis calls for: new alerts, updates and cancellations.

    Origin jurisdictions lead the response and get no warning; every other jurisdiction
    in the reach gets one at the level its intensity and lead time call for.
    """
    planned: list[Outgoing] = []
    reached: dict[str, ReachEntry] = {
        entry.jurisdiction_code: entry
        for entry in reach.entries
        if entry.jurisdiction_code not in origin_codes
    }
    for code, entry in reached.items():
        level = level_for(
            entry.intensity, entry.arrival_hours, reach.pathway, thresholds=policy.thresholds
        )
        # Arrival hours count from the analysis, as the responsibility list's deadlines do.
        arrival = analysed_at + timedelta(hours=entry.arrival_hours)
        thread = threads.get(code)
        if thread is None or thread.current.status in CLOSED_STATES:
            planned.append(_alert(code, level, arrival, thread, policy, context))
        elif _calls_for_update(thread, level, arrival, policy):
            if thread.manual:
                level = min(level, thread.current.level)  # a person's level is never lowered
            planned.append(_update(thread, level, arrival, policy, context))
    for code, thread in sorted(threads.items()):
        live = thread.current.status not in CLOSED_STATES
        if live and code not in reached and not thread.manual:
            planned.append(cancellation(thread, policy, context))
    return planned


def plan_closing(
    threads: Mapping[str, Thread], *, policy: WarningPolicy, context: Context
) -> list[Outgoing]:
    """Cancel every live thread of a risk that is closed or withdrawn."""
    return [
        cancellation(thread, policy, context)
        for _code, thread in sorted(threads.items())
        if thread.current.status not in CLOSED_STATES
    ]


def by_hand(
    recipient_code: str,
    *,
    level: WarningLevel,
    arrival: datetime | None,
    instructions: tuple[str, str],
    thread: Thread | None,
    policy: WarningPolicy,
    context: Context,
) -> Outgoing:
    """A warning a person issues: a new alert, or an update of the live thread."""
    zh, en = (text.strip() for text in instructions)
    if not zh and not en:
        zh, en = policy.instructions_of(level, context)
    live = thread is not None and thread.current.status not in CLOSED_STATES
    message = _message(
        recipient_code,
        level=level,
        arrival=arrival,
        instructions=(zh or en, en or zh),
        thread=thread,
        continues=live,
        policy=policy,
        context=context,
    )
    if live:
        assert thread is not None
        return Outgoing(MessageType.UPDATE, message, manual=True, replaces=thread.current)
    return Outgoing(MessageType.ALERT, message, manual=True)


def cancellation(thread: Thread, policy: WarningPolicy, context: Context) -> Outgoing:
    """The Cancel message that lifts a thread's warning."""
    current = thread.current
    message = _message(
        current.recipient_code,
        level=current.level,
        arrival=current.expected_arrival,
        instructions=policy.instructions_for("cancel"),
        thread=thread,
        continues=True,
        policy=policy,
        context=context,
    )
    message = replace(message, status=WarningStatus.CANCELLED, ack_deadline=context.now)
    return Outgoing(MessageType.CANCEL, message, manual=thread.manual, replaces=current)


def _calls_for_update(
    thread: Thread, level: WarningLevel, arrival: datetime, policy: WarningPolicy
) -> bool:
    current = thread.current
    if thread.manual and level >= current.level:
        return False  # the model agrees with, or is milder than, what a person decided
    if level != current.level:
        return True
    if current.expected_arrival is None:
        return True
    shift = abs((arrival - current.expected_arrival).total_seconds()) / 60.0
    return shift >= policy.arrival_shift_minutes


def _alert(
    code: str,
    level: WarningLevel,
    arrival: datetime,
    thread: Thread | None,
    policy: WarningPolicy,
    context: Context,
) -> Outgoing:
    message = _message(
        code,
        level=level,
        arrival=arrival,
        instructions=policy.instructions_of(level, context),
        thread=thread,
        continues=False,
        policy=policy,
        context=context,
    )
    return Outgoing(MessageType.ALERT, message, manual=False)


def _update(
    thread: Thread,
    level: WarningLevel,
    arrival: datetime,
    policy: WarningPolicy,
    context: Context,
) -> Outgoing:
    message = _message(
        thread.current.recipient_code,
        level=level,
        arrival=arrival,
        instructions=policy.instructions_of(level, context),
        thread=thread,
        continues=True,
        policy=policy,
        context=context,
    )
    return Outgoing(MessageType.UPDATE, message, manual=thread.manual, replaces=thread.current)


def _message(
    code: str,
    *,
    level: WarningLevel,
    arrival: datetime | None,
    instructions: tuple[str, str],
    thread: Thread | None,
    continues: bool,
    policy: WarningPolicy,
    context: Context,
) -> EarlyWarning:
    # Identifiers count on within a thread even across a cancelled one, so every message
    # of a (risk, recipient) pair is unique and the same message always has the same id.
    sequence = 1 if thread is None else thread.current.sequence + 1
    references = (
        (*thread.current.references, thread.current.as_reference())
        if continues and thread is not None
        else ()
    )
    return EarlyWarning(
        id=warning_id(
            region_code=context.region_code,
            risk_id=context.risk_id,
            recipient_code=code,
            sequence=sequence,
        ),
        risk_id=context.risk_id,
        region_code=context.region_code,
        recipient_code=code,
        level=level,
        expected_arrival=arrival,
        instructions_zh=instructions[0],
        instructions_en=instructions[1],
        status=WarningStatus.ISSUED,
        issued_at=context.now,
        ack_deadline=policy.ack_deadline(
            level, context.state, issued_at=context.now, arrival=arrival
        ),
        sequence=sequence,
        references=references,
        expires_at=policy.expiry(issued_at=context.now, arrival=arrival),
        report=context.report,
    )


def reminder_due(warning: EarlyWarning) -> datetime:
    """When an unacknowledged warning is reminded: half-way to its deadline."""
    return warning.issued_at + (warning.ack_deadline - warning.issued_at) / 2


def minutes_late(warning: EarlyWarning, acknowledged_at: datetime) -> float:
    """How late an acknowledgement came, in minutes; 0 when on time."""
    return max(0.0, (acknowledged_at - warning.ack_deadline).total_seconds() / 60.0)


@dataclass(frozen=True, slots=True)
class WarningMessage:
    """A stored message with what has happened to it since it was issued."""

    warning: EarlyWarning
    msg_type: MessageType
    manual: bool
    recipient_organisation: str
    issued_by: str
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    acknowledged_via: str | None = None
    delivered_at: datetime | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None

    @property
    def id(self) -> str:
        return self.warning.id

    @property
    def awaiting_ack(self) -> bool:
        return self.warning.status in AWAITING_ACK

    def thread(self) -> Thread:
        return Thread(current=self.warning, manual=self.manual, msg_type=self.msg_type)
