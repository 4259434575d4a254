"""Aid requests: drafted, edited, submitted, approved, cancelled and closed.

A city asks for itself, the coordination body (or central office) for any member. Once
approved, a request takes offers and commitments; how far each line has come is derived
from them (crossrisk.domain.aid.progress), so reading a request also reads its
commitments and shipments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from crossrisk.domain.aid.progress import RequestProgress, request_progress
from crossrisk.domain.aid.request import (
    REASON_MAX,
    AidRequest,
    LineDraft,
    RequestLine,
    RequestState,
    check_lines,
    check_needed_by,
    move,
)
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_approve_aid_request, can_request_aid
from crossrisk.domain.permissions.regions import (
    can_read_region,
    readable_regions,
    require_read_region,
)
from crossrisk.domain.risk import check_text
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import Transaction, UnitOfWork

# Region and jurisdiction codes: short, printable, no spaces (a NUL cannot reach the
# database, and a code that cannot exist is refused before any query).
CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def check_code(value: str, *, field: str) -> str:
    """A region or jurisdiction code as typed, or InvalidInput."""
    if not isinstance(value, str) or not CODE.fullmatch(value):
        raise InvalidInput(f"{field} is not a code", key="code-invalid", params={"field": field})
    return value


def draft_request(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str,
    lines: Sequence[LineDraft],
    risk_id: int | None = None,
    now: datetime,
) -> AidRequest:
    """Start a request (a draft) for a member city."""
    check_code(region_code, field="region")
    check_code(jurisdiction_code, field="jurisdiction")
    checked = check_lines(lines, catalogue=aid_catalogue(), now=now)
    with uow as tx:
        tx.regions.get(region_code)
        _require_request(actor, region_code, jurisdiction_code)
        _require_member(tx, region_code, jurisdiction_code)
        if risk_id is not None:
            risk = tx.risks.get(risk_id)
            if risk.region_code != region_code:
                raise InvalidInput(
                    f"risk {risk_id} is not a risk of {region_code}",
                    key="risk-of-another-region",
                    params={"risk": risk_id, "region": region_code},
                )
        request = tx.aid_requests.add(
            AidRequest(
                id=None,
                region_code=region_code,
                jurisdiction_code=jurisdiction_code,
                made_by=actor.organisation.code,
                state=RequestState.DRAFT,
                lines=checked,
                created_at=now,
                updated_at=now,
                risk_id=risk_id,
            )
        )
        _record(tx, actor, "aid_request.drafted", request, now=now)
        tx.commit()
    return request


def edit_request(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    *,
    lines: Sequence[LineDraft],
    now: datetime,
) -> AidRequest:
    """Replace a draft's lines (a submitted request is changed by cancelling it)."""
    checked = check_lines(lines, catalogue=aid_catalogue(), now=now)
    with uow as tx:
        request = _load(tx, actor, request_id)
        _require_request(actor, request.region_code, request.jurisdiction_code)
        if request.state is not RequestState.DRAFT:
            raise InvalidInput(
                f"request {request_id} is {request.state.value}; only a draft is edited",
                key="request-not-draft",
                params={"request": request_id, "state": request.state.value},
            )
        request = tx.aid_requests.save(
            replace(request, lines=checked, updated_at=now), lines_changed=True
        )
        _record(tx, actor, "aid_request.edited", request, now=now)
        tx.commit()
    return request


def submit_request(uow: UnitOfWork, actor: Actor, request_id: int, *, now: datetime) -> AidRequest:
    """Send a draft to the coordination body; every line must still be needed ahead."""
    with uow as tx:
        request = _load(tx, actor, request_id)
        _require_request(actor, request.region_code, request.jurisdiction_code)
        state = move(request, "submit")
        for line in request.lines:
            check_needed_by(line.needed_by, now=now)
        request = tx.aid_requests.save(
            replace(request, state=state, submitted_at=now, updated_at=now)
        )
        _record(tx, actor, "aid_request.submitted", request, now=now)
        tx.commit()
    return request


def approve_request(uow: UnitOfWork, actor: Actor, request_id: int, *, now: datetime) -> AidRequest:
    """The coordination body (or central office) opens a submitted request to offers."""
    with uow as tx:
        request = _load(tx, actor, request_id)
        if not can_approve_aid_request(actor, request.region_code):
            raise NotPermitted(
                f"only the coordination body of {request.region_code} or the central office "
                "approves an aid request",
                key="not-coordinator",
                params={"region": request.region_code},
            )
        state = move(request, "approve")
        request = tx.aid_requests.save(
            replace(
                request,
                state=state,
                approved_at=now,
                approved_by=actor.username,
                updated_at=now,
            )
        )
        _record(tx, actor, "aid_request.approved", request, now=now)
        tx.commit()
    return request


def cancel_request(
    uow: UnitOfWork, actor: Actor, request_id: int, *, reason: str, now: datetime
) -> AidRequest:
    """Withdraw a request that no commitment stands on yet.

    Once a donor has committed, cancelling would turn its promise into a broken one that
    was never its fault; such a request is closed instead (what arrived stays recorded).
    """
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        request = _load(tx, actor, request_id)
        _require_request(actor, request.region_code, request.jurisdiction_code)
        state = move(request, "cancel")
        assert request.id is not None
        if any(c.cancelled_at is None for c in tx.commitments.of_request(request.id)):
            raise InvalidInput(
                f"request {request_id} has commitments; close it instead",
                key="request-has-commitments",
                params={"request": request_id},
            )
        request = tx.aid_requests.save(
            replace(request, state=state, cancelled_at=now, reason=reason, updated_at=now)
        )
        _record(tx, actor, "aid_request.cancelled", request, now=now, extra={"reason": reason})
        tx.commit()
    return request


def close_request(
    uow: UnitOfWork, actor: Actor, request_id: int, *, reason: str = "", now: datetime
) -> AidRequest:
    """End an approved request: no more offers, commitments or shipments against it."""
    reason = check_text("reason", reason, limit=REASON_MAX, required=False)
    with uow as tx:
        request = _load(tx, actor, request_id)
        _require_request(actor, request.region_code, request.jurisdiction_code)
        state = move(request, "close")
        progress = progress_of(tx, request, now=now)
        request = tx.aid_requests.save(
            replace(request, state=state, closed_at=now, reason=reason, updated_at=now)
        )
        _record(
            tx,
            actor,
            "aid_request.closed",
            request,
            now=now,
            extra={
                "reason": reason,
                "received": {str(k): p.received for k, p in progress.lines.items()},
            },
        )
        tx.commit()
    return request


def get_request(
    uow: UnitOfWork, actor: Actor, request_id: int, *, now: datetime
) -> RequestProgress:
    """One request with each line's quantities and derived state."""
    with uow.read_only() as tx:
        return progress_of(tx, _load(tx, actor, request_id), now=now)


def list_requests(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str | None = None,
    jurisdiction_code: str | None = None,
    state: RequestState | None = None,
    now: datetime,
) -> list[RequestProgress]:
    """Requests the actor reads, newest first, filtered by region, city and (derived) state."""
    if region_code is not None:
        check_code(region_code, field="region")
        require_read_region(actor, region_code)
    if jurisdiction_code is not None:
        check_code(jurisdiction_code, field="jurisdiction")
    regions = [region_code] if region_code else readable_regions(actor)
    with uow.read_only() as tx:
        found = [
            progress_of(tx, request, now=now)
            for request in tx.aid_requests.find(
                region_codes=regions, jurisdiction_code=jurisdiction_code
            )
            if _visible(actor, request)
        ]
    return [p for p in found if state is None or p.state is state]


def progress_of(tx: Transaction, request: AidRequest, *, now: datetime) -> RequestProgress:
    """A request's lines' progress, read in the open transaction."""
    assert request.id is not None
    commitments = tx.commitments.of_request(request.id)
    shipments = tx.shipments.of_commitments([c.id for c in commitments if c.id is not None])
    return request_progress(request, commitments, shipments, now=now)


def load_request(
    tx: Transaction, actor: Actor, request_id: int, *, for_update: bool = False
) -> AidRequest:
    """A request the actor may read, or NotFound/NotPermitted (used by offers and commitments)."""
    return _load(tx, actor, request_id, for_update=for_update)


def line_payload(line: RequestLine) -> dict[str, Any]:
    return {
        "line_id": line.id,
        "item_code": line.item_code,
        "quantity": line.quantity,
        "priority": line.priority.value,
        "needed_by": line.needed_by.isoformat(),
        "destination": {
            "name": line.destination.name,
            "lon": line.destination.lon,
            "lat": line.destination.lat,
        },
        "substitutes": list(line.substitutes),
    }


def _load(tx: Transaction, actor: Actor, request_id: int, *, for_update: bool = True) -> AidRequest:
    request = tx.aid_requests.get(request_id, for_update=for_update and tx.writable)
    require_read_region(actor, request.region_code)
    if not _visible(actor, request):
        # A draft is its author's until submitted: others learn not even that it exists.
        raise NotFound(
            f"no aid request {request_id}", key="request-not-found", params={"id": request_id}
        )
    return request


def _visible(actor: Actor, request: AidRequest) -> bool:
    """Whoever reads the region sees a request once submitted; a draft only its makers."""
    if not can_read_region(actor, request.region_code):
        return False
    return request.state is not RequestState.DRAFT or can_request_aid(
        actor, region_code=request.region_code, jurisdiction_code=request.jurisdiction_code
    )


def _require_request(actor: Actor, region_code: str, jurisdiction_code: str) -> None:
    if not can_request_aid(actor, region_code=region_code, jurisdiction_code=jurisdiction_code):
        raise NotPermitted(
            f"{actor.organisation.code} may not ask for aid for {jurisdiction_code}",
            key="aid-request-not-yours",
            params={"jurisdiction": jurisdiction_code},
        )


def _require_member(tx: Transaction, region_code: str, jurisdiction_code: str) -> None:
    if region_code not in tx.regions.regions_of(jurisdiction_code):
        raise InvalidInput(
            f"{jurisdiction_code} is not a member of region {region_code}",
            key="not-a-member",
            params={"jurisdiction": jurisdiction_code, "region": region_code},
        )


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    request: AidRequest,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    tx.record(
        actor,
        action,
        subject=f"aid_request:{request.id}",
        payload={
            "request_id": request.id,
            "jurisdiction_code": request.jurisdiction_code,
            "risk_id": request.risk_id,
            "state": request.state.value,
            "lines": [line_payload(line) for line in request.lines],
            **(extra or {}),
        },
        region_code=request.region_code,
        now=now,
    )
