"""An agreement, its parties' obligations, its accountability procedure and its signatures.

The committee drafts; every party signs; the agreement is in force once all have signed.
The committee signs too, as coordinator: it binds itself to review and supervise, and its
signature (any time, like a party's) says the text it drafted is the one it stands by.
An amendment is a new version of the same series, signed again; the version in force
stays so until the new one is, and is then superseded.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from crossrisk.domain.agreements.compensation import AMOUNT_MAX, CompensationRule
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.risk import check_text

TITLE_MAX = 200
SUBJECT_MAX = 2000
NOTE_MAX = 500
PARTIES_MAX = 60
OBLIGATIONS_MAX = 200
OUTCOMES_MAX = 10
QUANTITY_MAX = 1e9
MINUTES_MAX = 7 * 24 * 60
HOURS_MAX = 24 * 365
STATEMENT_DAYS_MAX = 365


class AgreementState(StrEnum):
    SIGNING = "signing"  # drafted; waiting for signatures
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"  # a later version came into force


class ObligationKind(StrEnum):
    REPORT_WITHIN = "report_within"  # report a risk within N minutes
    KEEP_RESERVE = "keep_reserve"  # keep at least a quantity of a catalogue item
    MAINTAIN_GAUGE = "maintain_gauge"  # a station that reports at least every N hours
    ANSWER_AID_WITHIN = "answer_aid_within"  # answer other members' aid requests in N hours
    CONTRIBUTE_FUND = "contribute_fund"  # pay an amount into the regional fund


class ReviewOutcome(StrEnum):
    """What an accountability review of a failed obligation may conclude."""

    NO_FAULT = "no_fault"
    CORRECTIVE_ACTION = "corrective_action"
    NOTICE_OF_CRITICISM = "notice_of_criticism"  # 通报批评
    COMPENSATION = "compensation"
    REFERRAL = "referral"  # to the party's superior authority


@dataclass(frozen=True, slots=True)
class Obligation:
    """What an agreement binds one party to; the figures its kind needs, the rest None."""

    party: str  # the organisation code
    kind: ObligationKind
    item_code: str | None = None
    quantity: float | None = None
    station_code: str | None = None
    minutes: int | None = None
    hours: int | None = None
    amount_yuan: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Accountability:
    """Who reviews a failure, what the review may conclude, and the party's right to answer."""

    reviewer: str  # an organisation code: the committee unless the parties chose another
    outcomes: tuple[ReviewOutcome, ...]
    statement_days: int  # days the party has to submit its statement (陈述申辩)
    # The penalty (违约金) in yuan a case decided with the compensation outcome pays into
    # the regional fund; None: the committee states it when it charges the case.
    penalty_yuan: float | None = None


@dataclass(frozen=True, slots=True)
class AgreementDraft:
    """What the committee submits as an agreement's text."""

    title: str
    subject: str
    parties: tuple[str, ...]
    obligations: tuple[Obligation, ...]
    compensation: CompensationRule
    accountability: Accountability
    valid_from: date
    valid_until: date | None
    title_en: str = ""
    subject_en: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    organisation_code: str
    signed_by: str  # the username
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class Agreement:
    """One version of an agreement of a region's series."""

    id: int | None
    region_code: str
    number: int  # the series, per region; stays across versions
    version: int
    state: AgreementState
    text: AgreementDraft
    coordinator: str  # the committee's organisation code: it signs last or any time
    drafted_by: str
    drafted_at: datetime
    signatures: tuple[Signature, ...] = ()
    in_force_at: datetime | None = None
    superseded_at: datetime | None = None
    obligation_status: Mapping[str, str] = field(default_factory=dict)
    checked_at: datetime | None = None

    @property
    def signatories(self) -> tuple[str, ...]:
        """Who signs: each party, then the coordinator."""
        return (*self.text.parties, self.coordinator)

    def signature_of(self, organisation_code: str) -> Signature | None:
        return next((s for s in self.signatures if s.organisation_code == organisation_code), None)

    @property
    def unsigned(self) -> tuple[str, ...]:
        return tuple(code for code in self.signatories if self.signature_of(code) is None)

    def valid_on(self, day: date) -> bool:
        """True when the day lies within the validity period."""
        text = self.text
        return text.valid_from <= day and (text.valid_until is None or day <= text.valid_until)

    def signed(self, organisation_code: str, *, by: str, now: datetime) -> Agreement:
        """This version with the organisation's signature; in force once all have signed."""
        if self.state is not AgreementState.SIGNING:
            raise Conflict(
                f"agreement {self.id} is {self.state.value}; only a draft is signed",
                key="agreement-not-signing",
                params={"agreement": self.id, "state": self.state.value},
            )
        if organisation_code not in self.signatories:
            raise NotPermitted(
                f"{organisation_code} is not a party to agreement {self.id}",
                key="agreement-not-a-party",
                params={"organisation": organisation_code, "agreement": self.id},
            )
        if self.signature_of(organisation_code) is not None:
            raise Conflict(
                f"{organisation_code} signed agreement {self.id} already",
                key="agreement-signed-already",
                params={"organisation": organisation_code, "agreement": self.id},
            )
        signed = replace(
            self,
            signatures=(*self.signatures, Signature(organisation_code, by, now)),
        )
        if not signed.unsigned:
            signed = replace(signed, state=AgreementState.IN_FORCE, in_force_at=now)
        return signed


def _refuse(detail: str, key: str, **params: object) -> InvalidInput:
    return InvalidInput(detail, key=key, params=params)


def _whole(value: int | None, *, low: int, high: int, name: str, line: int) -> int:
    if value is None or isinstance(value, bool) or not low <= value <= high:
        raise _refuse(
            f"obligation {line}: {name} must be a whole number from {low} to {high}",
            "agreement-obligation-figure",
            line=line,
            figure=name,
            low=low,
            high=high,
        )
    return value


def _amount(value: float | None, *, high: float, name: str, line: int) -> float:
    if value is None or not math.isfinite(value) or not 0 < value <= high:
        raise _refuse(
            f"obligation {line}: {name} must be a positive number up to {high:g}",
            "agreement-obligation-figure",
            line=line,
            figure=name,
            low=0,
            high=high,
        )
    return float(value)


def check_obligation(
    obligation: Obligation,
    *,
    line: int,
    parties: Collection[str],
    items: Collection[str],
    stations: Mapping[str, str],
) -> Obligation:
    """The obligation with only its kind's figures; refused when one is missing or wrong.

    `stations` maps each station code the region knows to its owner organisation: a party
    maintains only its own gauges.
    """
    if obligation.party not in parties:
        raise _refuse(
            f"obligation {line}: {obligation.party[:64]} is not a party of the agreement",
            "agreement-obligation-party",
            line=line,
            organisation=obligation.party[:64],
        )
    note = check_text("note", obligation.note, limit=NOTE_MAX, required=False)
    base = Obligation(party=obligation.party, kind=obligation.kind, note=note)
    match obligation.kind:
        case ObligationKind.REPORT_WITHIN:
            minutes = _whole(obligation.minutes, low=1, high=MINUTES_MAX, name="minutes", line=line)
            return replace(base, minutes=minutes)
        case ObligationKind.ANSWER_AID_WITHIN:
            hours = _whole(obligation.hours, low=1, high=HOURS_MAX, name="hours", line=line)
            return replace(base, hours=hours)
        case ObligationKind.KEEP_RESERVE:
            item = obligation.item_code or ""
            if item not in items:
                raise _refuse(
                    f"obligation {line}: no catalogue item {item[:64]!r}",
                    "agreement-obligation-item",
                    line=line,
                    item=item[:64],
                )
            quantity = _amount(obligation.quantity, high=QUANTITY_MAX, name="quantity", line=line)
            return replace(base, item_code=item, quantity=quantity)
        case ObligationKind.MAINTAIN_GAUGE:
            station = obligation.station_code or ""
            if stations.get(station) != obligation.party:
                raise _refuse(
                    f"obligation {line}: {obligation.party} has no station {station[:64]!r}",
                    "agreement-obligation-station",
                    line=line,
                    station=station[:64],
                    organisation=obligation.party,
                )
            hours = _whole(obligation.hours, low=1, high=HOURS_MAX, name="hours", line=line)
            return replace(base, station_code=station, hours=hours)
        case ObligationKind.CONTRIBUTE_FUND:
            amount = _amount(obligation.amount_yuan, high=AMOUNT_MAX, name="amount", line=line)
            return replace(base, amount_yuan=amount)
    raise AssertionError(obligation.kind)  # pragma: no cover - every kind is matched


def check_draft(
    draft: AgreementDraft,
    *,
    members: Collection[str],
    organisations: Collection[str],
    items: Collection[str],
    stations: Mapping[str, str],
) -> AgreementDraft:
    """The draft with its texts trimmed and every figure checked against the region.

    `members` are the organisation codes of the region's member cities; `organisations`
    every organisation known (an accountability reviewer must exist).
    """
    title = check_text("title", draft.title, limit=TITLE_MAX)
    subject = check_text("subject", draft.subject, limit=SUBJECT_MAX)
    title_en = check_text("title_en", draft.title_en, limit=TITLE_MAX, required=False)
    subject_en = check_text("subject_en", draft.subject_en, limit=SUBJECT_MAX, required=False)
    parties = tuple(dict.fromkeys(draft.parties))
    if not parties:
        raise _refuse("an agreement needs at least one party", "agreement-no-parties")
    if len(parties) > PARTIES_MAX:
        raise _refuse(
            f"an agreement has at most {PARTIES_MAX} parties",
            "agreement-too-many",
            limit=PARTIES_MAX,
        )
    outsiders = [code[:64] for code in parties if code not in members]
    if outsiders:
        raise _refuse(
            f"{outsiders[0]} is not a member of the region",
            "agreement-party-not-member",
            organisation=outsiders[0],
        )
    if not draft.obligations:
        raise _refuse("an agreement binds its parties to something", "agreement-no-obligations")
    if len(draft.obligations) > OBLIGATIONS_MAX:
        raise _refuse(
            f"an agreement has at most {OBLIGATIONS_MAX} obligations",
            "agreement-too-many",
            limit=OBLIGATIONS_MAX,
        )
    obligations = tuple(
        check_obligation(o, line=n, parties=parties, items=items, stations=stations)
        for n, o in enumerate(draft.obligations, start=1)
    )
    if draft.valid_until is not None and draft.valid_until < draft.valid_from:
        raise _refuse(
            "the validity ends before it starts",
            "agreement-validity-reversed",
            start=draft.valid_from.isoformat(),
            end=draft.valid_until.isoformat(),
        )
    return replace(
        draft,
        title=title,
        subject=subject,
        title_en=title_en,
        subject_en=subject_en,
        parties=parties,
        obligations=obligations,
        accountability=_check_accountability(draft.accountability, organisations),
    )


def _check_accountability(
    procedure: Accountability, organisations: Collection[str]
) -> Accountability:
    if procedure.reviewer not in organisations:
        raise _refuse(
            f"no organisation {procedure.reviewer[:64]} to review",
            "agreement-reviewer-unknown",
            reviewer=procedure.reviewer[:64],
        )
    outcomes = tuple(dict.fromkeys(procedure.outcomes))
    if not 0 < len(outcomes) <= OUTCOMES_MAX:
        raise _refuse(
            "the accountability procedure names its possible outcomes",
            "agreement-outcomes-missing",
        )
    if not 1 <= procedure.statement_days <= STATEMENT_DAYS_MAX:
        raise _refuse(
            f"the party's statement is due within 1–{STATEMENT_DAYS_MAX} days",
            "agreement-statement-days",
            limit=STATEMENT_DAYS_MAX,
        )
    _check_penalty(procedure.penalty_yuan, outcomes)
    return replace(procedure, outcomes=outcomes)


def _check_penalty(penalty_yuan: float | None, outcomes: tuple[ReviewOutcome, ...]) -> None:
    """A penalty is an amount in yuan to the fen, and only where a case may end in one."""
    if penalty_yuan is None:
        return
    if (
        isinstance(penalty_yuan, bool)
        or not isinstance(penalty_yuan, int | float)
        or not math.isfinite(penalty_yuan)
        or not 0 < penalty_yuan <= AMOUNT_MAX
        or round(penalty_yuan, 2) != penalty_yuan
    ):
        raise _refuse(
            "the penalty is yuan above zero with at most two decimals",
            "agreement-penalty-invalid",
        )
    if ReviewOutcome.COMPENSATION not in outcomes:
        raise _refuse(
            "a penalty is provided only where a review may conclude compensation",
            "agreement-penalty-invalid",
        )


def require_amendable(agreement: Agreement, *, pending: bool) -> None:
    """Refuse an amendment of a version not in force, or while another is being signed."""
    if agreement.state is not AgreementState.IN_FORCE:
        raise Conflict(
            f"agreement {agreement.id} is {agreement.state.value}; only one in force is amended",
            key="agreement-not-in-force",
            params={"agreement": agreement.id, "state": agreement.state.value},
        )
    if pending:
        raise Conflict(
            f"an amendment of agreement {agreement.id} is being signed already",
            key="agreement-amendment-pending",
            params={"agreement": agreement.id},
        )
