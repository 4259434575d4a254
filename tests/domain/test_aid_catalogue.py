"""The relief-item catalogue and stock adjustments: units, packs, bounds, the ledger rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, Warehouse, adjust
from crossrisk.domain.errors import InvalidInput
from crossrisk.services.policy_tables import aid_catalogue

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def test_bundled_catalogue_lists_the_items_the_issue_names() -> None:
    codes = set(aid_catalogue().codes)
    assert {"drinking_water", "food_ration", "tent", "family_tent", "blanket", "sandbag",
            "pump", "generator", "life_jacket", "boat", "medical_mask", "protective_suit",
            "folding_bed"} <= codes  # fmt: skip


def test_a_pallet_of_masks_is_a_thousand_masks() -> None:
    masks = aid_catalogue().item("medical_mask")
    assert masks.to_base(3, "pallet") == 3000
    assert masks.to_base(7) == 7
    assert masks.pack("pallet").weight_kg == 5.0


@pytest.mark.parametrize(
    ("item", "unit", "key"), [("cannons", None, "unknown-item"), ("tent", "crate", "unknown-unit")]
)
def test_unknown_item_or_unit_is_refused_by_name(item: str, unit: str | None, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        aid_catalogue().item(item).to_base(1, unit)
    assert refused.value.key == key


@pytest.mark.parametrize("quantity", [-1, float("inf"), float("nan"), 1e13, True])
def test_quantities_out_of_bounds_are_refused(quantity: float) -> None:
    with pytest.raises(InvalidInput):
        aid_catalogue().item("tent").to_base(quantity)


def _stock(quantity: float) -> Stock:
    return Stock(
        id=1, region_code="yrd", jurisdiction_code="330100", item_code="tent",
        quantity=quantity, warehouse=Warehouse("萧山仓库", 120.26, 30.18), owner_code="hz",
        sharing=Sharing.REGION, updated_at=NOW, confirmed_at=NOW,
    )  # fmt: skip


def test_issue_lowers_and_count_sets_the_quantity_with_a_ledger_line() -> None:
    after, line = adjust(
        _stock(100), reason=AdjustmentReason.ISSUED, quantity=30, note="", actor="a", now=NOW
    )
    assert (after.quantity, line.delta, line.quantity_after) == (70, -30, 70)
    counted, line = adjust(
        after, reason=AdjustmentReason.COUNTED, quantity=75, note="", actor="a", now=NOW
    )
    assert (counted.quantity, line.delta) == (75, 5)


def test_issuing_more_than_is_held_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        adjust(
            _stock(10), reason=AdjustmentReason.DAMAGED, quantity=11, note="", actor="a", now=NOW
        )
    assert refused.value.key == "stock-below-zero"
