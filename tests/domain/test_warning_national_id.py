"""The national release system's warning identifier: made and read back, bad parts refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.warning_national_id import (
    BEIJING,
    national_warning_id,
    parse_national_warning_id,
)

ENTERED = datetime(2026, 7, 1, 2, 5, 9, tzinfo=UTC)  # 10:05:09 Beijing time


def test_identifier_is_unit_code_then_beijing_time_then_serial() -> None:
    made = national_warning_id(area_code="330100", department="137", entered_at=ENTERED)
    assert made == "33010013700000_20260701100509_0"
    assert len(made) == 31  # the standard's length of the full form


def test_identifier_reads_back_into_its_parts() -> None:
    made = national_warning_id(
        area_code="340500",
        department="137",
        unit="012",
        extension="03",
        entered_at=ENTERED,
        serial=4,
    )
    parsed = parse_national_warning_id(made)
    assert (parsed.area_code, parsed.department, parsed.unit, parsed.extension) == (
        "340500",
        "137",
        "012",
        "03",
    )
    assert parsed.serial == 4
    assert parsed.entered_at == ENTERED.astimezone(BEIJING)
    assert str(parsed) == made


def test_short_form_without_serial_is_read_too() -> None:
    parsed = parse_national_warning_id("33010013700000_20260701100509")
    assert parsed.serial is None
    assert str(parsed) == "33010013700000_20260701100509"
    assert parsed.unit_code == "33010013700000"


@pytest.mark.parametrize(
    "text",
    [
        "3301001370000_20260701100509",  # a digit short
        "33010013700000-20260701100509",
        "33010013700000_20261301100509",  # month 13
        "33010013700000_20260701100509_12",
        "",
    ],
)
def test_malformed_identifier_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_national_warning_id(text)
    assert refused.value.key == "national-id-invalid"


@pytest.mark.parametrize(
    "parts",
    [
        {"area_code": "33010"},
        {"department": "13a"},
        {"unit": "1"},
        {"extension": "000"},
        {"serial": 10},
    ],
)
def test_a_part_of_the_wrong_width_is_refused(parts: dict[str, object]) -> None:
    given: dict[str, object] = {"area_code": "330100", "department": "137", **parts}
    with pytest.raises(InvalidInput) as refused:
        national_warning_id(entered_at=ENTERED, **given)  # type: ignore[arg-type]
    assert refused.value.key == "national-id-part"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidInput):
        national_warning_id(area_code="330100", department="137", entered_at=datetime(2026, 7, 1))
