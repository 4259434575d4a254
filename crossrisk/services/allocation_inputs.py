"""What an allocation is computed from: the open request lines, the donors with their
usable stock and reserves, and how travel is timed; and the digest of it all.

What a proposal reads, in one transaction:

- **Open lines.** Every line of the requests named (each submitted or open for aid), for
  what no live commitment covers yet (quantity − committed), at its priority, to its
  destination, with its first five substitutes (the proposal's bound).
- **Donors.** Every member of the region with usable (unexpired) stock of an item asked
  for, region-shared and committee-only records alike (only the committee proposes, and it
  sees all), less what the member has committed and not yet shipped (once shipped, the
  donor records the goods as issued from its stock). A donor's place is the warehouse that
  holds most of the items asked for, else the city's label point.
- **Reserves.** What each donor keeps: its own need in the same scenario. For requests made
  for a risk, the need the risk's shortfall gives each member (its newest analysis, the
  region's default displaced share and days); for requests of several risks, the sum of
  their needs (a city exposed to two risks keeps for both). Requests made without a risk,
  or for a risk not analysed yet, give no need: the reserve is then 0 unless the caller
  passes a rule per item (`ReserveRule`: a fraction of the stock or a quantity), which
  replaces the need for that item in every case. Never more than the stock.
- **Travel hours** from `crossrisk.aid.roads.travel_model` (a road graph where one is set,
  else great-circle distance × road factor ÷ speed).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crossrisk.aid import proposal
from crossrisk.aid.reserve import ReserveRule, reserves
from crossrisk.aid.roads import travel_model
from crossrisk.aid.travel import Point, TravelModel
from crossrisk.domain.aid.allocation import REQUESTS_MAX
from crossrisk.domain.aid.progress import live
from crossrisk.domain.aid.request import TOLERANCE, AidRequest, RequestState
from crossrisk.domain.aid.sharing import is_stale
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.services import aid_requests
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.shortfall import risk_needs
from crossrisk.settings import Settings
from crossrisk.store.uow import Transaction

BEIJING = ZoneInfo("Asia/Shanghai")
ID_MAX = 2**63 - 1
RULES_MAX = 100
# Enough for a region's whole history of commitments; a bound all the same.
COMMITMENTS_READ_MAX = 100_000
# A request in these stored states may be allocated: submitted ones to plan ahead, approved
# ones to commit (approval needs every request open for aid).
ALLOCATABLE = frozenset({RequestState.SUBMITTED, RequestState.APPROVED})


@dataclass(frozen=True, slots=True)
class AllocationContext:
    """How travel is timed and how old a stock figure may be (from the settings)."""

    travel: TravelModel
    stale_after: timedelta
    travel_name: str = "great-circle"

    @classmethod
    def of(cls, settings: Settings) -> AllocationContext:
        return cls(
            travel=travel_model(settings),
            stale_after=settings.base_information_stale_after,
            travel_name=(
                f"road:{settings.road_graph_file.name}"
                if settings.road_graph_file is not None
                else f"great-circle:{settings.road_factor}:{settings.road_speed_kmh}"
            ),
        )


@dataclass(frozen=True)
class AllocationInputs:
    """Everything a proposal is computed from, read in one transaction."""

    region_code: str
    requests: list[AidRequest]
    lines: list[proposal.RequestLine]
    donors: list[proposal.DonorStock]
    stale: set[tuple[str, str]]  # (donor, item) drawing on a stale figure
    destinations: dict[int, Point]
    requesting: dict[int, str]  # request line → requesting city
    risk_ids: tuple[int, ...]


def rules_record(rules: Mapping[str, ReserveRule] | None) -> dict[str, tuple[str, float]]:
    """Reserve rules as stored with the proposal: item → (fraction | quantity, value)."""
    record: dict[str, tuple[str, float]] = {}
    for item, rule in (rules or {}).items():
        if rule.fraction is not None:
            record[item] = ("fraction", float(rule.fraction))
        elif rule.quantity is not None:
            record[item] = ("quantity", float(rule.quantity))
    return record


def check_rules(rules: Mapping[str, ReserveRule] | None) -> None:
    """Reserve rules name catalogue items, at most RULES_MAX of them."""
    if rules is None:
        return
    if len(rules) > RULES_MAX:
        raise InvalidInput(
            f"at most {RULES_MAX} reserve rules", key="too-many-rules", params={"limit": RULES_MAX}
        )
    catalogue = aid_catalogue()
    for item, rule in rules.items():
        catalogue.item(item)
        if not isinstance(rule, ReserveRule):
            raise InvalidInput(
                "a reserve rule is a fraction or a quantity", key="invalid-reserve-rule"
            )


def check_request_ids(request_ids: Sequence[int]) -> tuple[int, ...]:
    """Request ids: one to REQUESTS_MAX positive 64-bit whole numbers, each once."""
    ids = list(request_ids)
    if not ids:
        raise InvalidInput("name at least one request", key="no-requests")
    if len(ids) > REQUESTS_MAX:
        raise InvalidInput(
            f"at most {REQUESTS_MAX} requests at once",
            key="too-many-requests",
            params={"limit": REQUESTS_MAX},
        )
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
            raise InvalidInput(
                "a request id is a positive 64-bit whole number",
                key="invalid-id",
                params={"id": str(value)[:40]},
            )
    return tuple(dict.fromkeys(ids))


def read_inputs(
    tx: Transaction,
    actor: Actor,
    ids: Sequence[int],
    *,
    rules: Mapping[str, ReserveRule] | None,
    context: AllocationContext,
    now: datetime,
) -> AllocationInputs:
    requests = [aid_requests.load_request(tx, actor, i) for i in ids]
    regions = {r.region_code for r in requests}
    if len(regions) > 1:
        raise InvalidInput(
            "the requests belong to several regions; allocate each region's apart",
            key="requests-of-several-regions",
            params={"regions": sorted(regions)},
        )
    region_code = requests[0].region_code
    require_coordinate(actor, region_code)
    lines: list[proposal.RequestLine] = []
    destinations: dict[int, Point] = {}
    requesting: dict[int, str] = {}
    for request in requests:
        if request.state not in ALLOCATABLE:
            raise InvalidInput(
                f"request {request.id} is {request.state.value}; only submitted or approved "
                "requests are allocated",
                key="request-not-open",
                params={"request": request.id, "state": request.state.value},
            )
        progress = aid_requests.progress_of(tx, request, now=now)
        for line in request.lines:
            assert line.id is not None
            point = (line.destination.lon, line.destination.lat)
            destinations[line.id] = point
            requesting[line.id] = request.jurisdiction_code
            lines.append(
                proposal.RequestLine(
                    id=line.id,
                    jurisdiction=request.jurisdiction_code,
                    item=line.item_code,
                    quantity=progress.lines[line.id].still_needed,
                    priority=line.priority.rank,
                    destination=point,
                    substitutes=line.substitutes[: proposal.MAX_SUBSTITUTES],
                )
            )
    asked = {line.item for line in lines} | {s for line in lines for s in line.substitutes}
    day = now.astimezone(BEIJING).date()
    stocks = [
        s
        for s in tx.stocks.of_region(region_code, item_codes=sorted(asked))
        if s.usable_on(day) and s.quantity > 0
    ]
    levels: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s in stocks:
        levels[s.jurisdiction_code][s.item_code] += s.quantity
    for (code, item), promised in _promised(tx, region_code, now=now).items():
        if item in levels.get(code, {}):
            levels[code][item] = max(0.0, levels[code][item] - promised)
    stale = {
        (s.jurisdiction_code, s.item_code)
        for s in stocks
        if is_stale(s.confirmed_at, now=now, period=context.stale_after)
    }
    risk_ids = tuple(sorted({r.risk_id for r in requests if r.risk_id is not None}))
    own_needs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    full_levels = {code: dict(items) for code, items in levels.items()}
    for risk_id in risk_ids:
        for code, need in (risk_needs(tx, risk_id, levels=full_levels) or {}).items():
            for item, quantity in need.items():
                own_needs[code][item] += quantity
    kept = reserves(full_levels, own_needs=own_needs, rules=rules)
    summaries = {s.code: s for s in tx.regions.summaries(region_code)}
    donors = []
    for code in sorted(full_levels):
        if code not in summaries:
            continue  # a record of a jurisdiction that left the region gives nothing
        donors.append(
            proposal.DonorStock(
                jurisdiction=code,
                point=_place(code, stocks, summaries[code]),
                stock=full_levels[code],
                reserve=kept.get(code, {}),
            )
        )
    return AllocationInputs(
        region_code=region_code,
        requests=requests,
        lines=lines,
        donors=donors,
        stale=stale,
        destinations=destinations,
        requesting=requesting,
        risk_ids=risk_ids,
    )


def _promised(tx: Transaction, region_code: str, *, now: datetime) -> dict[tuple[str, str], float]:
    """What each member has committed and not yet shipped, by (donor, item)."""
    found = tx.commitments.find(region_codes=[region_code], limit=COMMITMENTS_READ_MAX)
    shipments = tx.shipments.of_commitments([c.id for c in found if c.id is not None])
    promised: dict[tuple[str, str], float] = defaultdict(float)
    for commitment in found:
        sent = shipments.get(commitment.id or 0, [])
        if not live(commitment, sent, now=now):
            continue
        left = commitment.quantity - sum(s.quantity for s in sent)
        if left > TOLERANCE:
            promised[(commitment.donor_jurisdiction_code, commitment.item_code)] += left
    return promised


def _place(code: str, stocks: Sequence[Any], summary: Any) -> Point:
    """Where a donor's goods leave from: the warehouse holding most of what is asked."""
    held: dict[tuple[float, float], float] = defaultdict(float)
    for s in stocks:
        if s.jurisdiction_code == code:
            held[(s.warehouse.lon, s.warehouse.lat)] += s.quantity
    if held:
        return max(held.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return (summary.label_lon, summary.label_lat)


def digest(
    inputs: AllocationInputs,
    *,
    fair: bool,
    rules: Mapping[str, ReserveRule] | None,
    context: AllocationContext,
) -> str:
    """SHA-256 of everything the proposal was computed from: the same inputs, the same plan."""
    document = {
        "lines": [
            [
                line.id,
                line.jurisdiction,
                line.item,
                line.quantity,
                line.priority,
                list(line.destination),
                list(line.substitutes),
            ]
            for line in inputs.lines
        ],
        "donors": [
            [
                d.jurisdiction,
                list(d.point),
                dict(sorted(d.stock.items())),
                dict(sorted(d.reserve.items())),
            ]
            for d in inputs.donors
        ],
        "rules": {
            item: [rule.fraction, rule.quantity] for item, rule in sorted((rules or {}).items())
        },
        "fair": fair,
        "nearest": proposal.DEFAULT_NEAREST,
        "travel": context.travel_name,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def require_coordinate(actor: Actor, region_code: str) -> None:
    """Only the region's coordination body or the central office allocates."""
    if not can_coordinate(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the central office allocates aid",
            key="not-coordinator",
            params={"region": region_code},
        )
