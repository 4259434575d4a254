"""Agreements as rows: each version with its text, and the signatures of each version."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.agreements.agreement import (
    Accountability,
    Agreement,
    AgreementDraft,
    AgreementState,
    Obligation,
    ObligationKind,
    ReviewOutcome,
    Signature,
)
from crossrisk.domain.agreements.compensation import CompensationRule, CompensationRuleName
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import AgreementRow, AgreementSignatureRow

LIST_MAX = 500


class AgreementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self, region_code: str) -> int:
        """The number a new series of the region takes."""
        found = self.session.scalar(
            select(func.max(AgreementRow.number)).where(AgreementRow.region_code == region_code)
        )
        return int(found or 0) + 1

    def add(self, agreement: Agreement) -> Agreement:
        row = AgreementRow(obligation_status={})
        _write(row, agreement)
        self.session.add(row)
        self.session.flush()
        return self.get(row.id)

    def save(self, agreement: Agreement) -> Agreement:
        """Write a version's state, times, checks and any new signatures."""
        assert agreement.id is not None
        row = self._row(agreement.id)
        _write(row, agreement)
        stored = {s.organisation_code for s in self._signatures([row.id])}
        for signature in agreement.signatures:
            if signature.organisation_code not in stored:
                self.session.add(AgreementSignatureRow(agreement_id=row.id, **asdict(signature)))
        self.session.flush()
        return self.get(row.id)

    def get(self, agreement_id: int, *, for_update: bool = False) -> Agreement:
        row = self._row(agreement_id, for_update=for_update)
        return _agreement(row, self._signatures([row.id]))

    def series(self, region_code: str, number: int) -> list[Agreement]:
        """Every version of one agreement, oldest first."""
        rows = list(
            self.session.scalars(
                select(AgreementRow)
                .where(AgreementRow.region_code == region_code, AgreementRow.number == number)
                .order_by(AgreementRow.version)
            )
        )
        return self._with_signatures(rows)

    def listed(
        self,
        *,
        region_codes: Collection[str] | None,
        states: Collection[AgreementState] | None = None,
        limit: int = LIST_MAX,
        for_update: bool = False,
    ) -> list[Agreement]:
        """Agreements of regions (None: all), newest series and version first."""
        query = select(AgreementRow)
        if for_update:
            query = query.with_for_update()
        if region_codes is not None:
            query = query.where(AgreementRow.region_code.in_(sorted(region_codes)))
        if states is not None:
            query = query.where(AgreementRow.state.in_(sorted(s.value for s in states)))
        query = query.order_by(
            AgreementRow.region_code, AgreementRow.number.desc(), AgreementRow.version.desc()
        )
        return self._with_signatures(list(self.session.scalars(query.limit(limit))))

    def last_checked(self) -> dict[str, datetime | None]:
        """Per region with an agreement in force, when all of them were last checked
        (None while one of them never was)."""
        times: dict[str, list[datetime | None]] = {}
        rows = self.session.execute(
            select(AgreementRow.region_code, AgreementRow.checked_at).where(
                AgreementRow.state == AgreementState.IN_FORCE.value
            )
        )
        for region, at in rows:
            times.setdefault(region, []).append(at)
        return {
            region: None if None in found else min(at for at in found if at is not None)
            for region, found in times.items()
        }

    def _with_signatures(self, rows: list[AgreementRow]) -> list[Agreement]:
        signatures = self._signatures([row.id for row in rows])
        return [
            _agreement(row, [s for s in signatures if s.agreement_id == row.id]) for row in rows
        ]

    def _signatures(self, agreement_ids: list[int]) -> list[AgreementSignatureRow]:
        if not agreement_ids:
            return []
        return list(
            self.session.scalars(
                select(AgreementSignatureRow)
                .where(AgreementSignatureRow.agreement_id.in_(agreement_ids))
                .order_by(AgreementSignatureRow.signed_at, AgreementSignatureRow.id)
            )
        )

    def _row(self, agreement_id: int, *, for_update: bool = False) -> AgreementRow:
        query = select(AgreementRow).where(AgreementRow.id == agreement_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no agreement {agreement_id}",
                key="agreement-not-found",
                params={"agreement": agreement_id},
            )
        return row


def obligation_dict(obligation: Obligation) -> dict[str, Any]:
    """An obligation as stored and as the journal and the API show it."""
    return {k: v for k, v in asdict(obligation).items() if v is not None} | {
        "kind": obligation.kind.value
    }


def _write(row: AgreementRow, agreement: Agreement) -> None:
    text = agreement.text
    row.region_code = agreement.region_code
    row.number = agreement.number
    row.version = agreement.version
    row.state = agreement.state.value
    row.title = text.title
    row.title_en = text.title_en
    row.subject = text.subject
    row.subject_en = text.subject_en
    row.parties = list(text.parties)
    row.obligations = [obligation_dict(o) for o in text.obligations]
    row.compensation = text.compensation.as_dict()
    row.accountability = {
        "reviewer": text.accountability.reviewer,
        "outcomes": [o.value for o in text.accountability.outcomes],
        "statement_days": text.accountability.statement_days,
        "penalty_yuan": text.accountability.penalty_yuan,
    }
    row.valid_from = text.valid_from
    row.valid_until = text.valid_until
    row.coordinator = agreement.coordinator
    row.drafted_by = agreement.drafted_by
    row.drafted_at = agreement.drafted_at
    row.in_force_at = agreement.in_force_at
    row.superseded_at = agreement.superseded_at
    row.obligation_status = dict(agreement.obligation_status)
    row.checked_at = agreement.checked_at


def _obligation(data: dict[str, Any]) -> Obligation:
    return Obligation(**{**data, "kind": ObligationKind(data["kind"])})


def _agreement(row: AgreementRow, signatures: Collection[AgreementSignatureRow]) -> Agreement:
    procedure = row.accountability
    text = AgreementDraft(
        title=row.title,
        subject=row.subject,
        title_en=row.title_en,
        subject_en=row.subject_en,
        parties=tuple(row.parties),
        obligations=tuple(_obligation(o) for o in row.obligations),
        compensation=CompensationRule(
            CompensationRuleName(row.compensation["name"]), row.compensation["parameters"]
        ),
        accountability=Accountability(
            reviewer=procedure["reviewer"],
            outcomes=tuple(ReviewOutcome(o) for o in procedure["outcomes"]),
            statement_days=procedure["statement_days"],
            penalty_yuan=procedure.get("penalty_yuan"),
        ),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )
    return Agreement(
        id=row.id,
        region_code=row.region_code,
        number=row.number,
        version=row.version,
        state=AgreementState(row.state),
        text=text,
        coordinator=row.coordinator,
        drafted_by=row.drafted_by,
        drafted_at=row.drafted_at,
        signatures=tuple(
            Signature(s.organisation_code, s.signed_by, s.signed_at) for s in signatures
        ),
        in_force_at=row.in_force_at,
        superseded_at=row.superseded_at,
        obligation_status=dict(row.obligation_status),
        checked_at=row.checked_at,
    )
