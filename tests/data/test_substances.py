"""The bundled substance table: complete rows, bounded numbers, every source named."""

from __future__ import annotations

import math
from pathlib import Path

import crossrisk
from crossrisk.data import substances
from crossrisk.domain.substance import find_substance

README = Path(crossrisk.__file__).resolve().parent / "data" / "substances" / "README.md"
REQUIRED = {"styrene", "benzene", "toluene", "phenol", "ammonia_nitrogen", "diesel", "cyanide"}


def test_the_table_has_the_substances_of_the_issue() -> None:
    assert set(substances()) >= REQUIRED


def test_every_row_has_names_a_cas_number_and_a_limit() -> None:
    readme = README.read_text(encoding="utf-8")
    for substance in substances().values():
        assert substance.name_zh and substance.name_en
        assert substance.cas.replace("-", "").isdigit()
        limits = [substance.limit_mg_l("surface_class_iii"), substance.limit_mg_l("drinking_water")]
        # A row with no limit at all must say so in the README.
        assert any(limits) or f"`{substance.key}` has no limit" in readme


def test_every_number_is_finite_and_positive_and_has_its_source() -> None:
    for substance in substances().values():
        for value, source in (
            (substance.decay_per_day, substance.decay_source),
            (substance.drinking_water_mg_l, substance.drinking_water_source),
            (substance.surface_class_iii_mg_l, substance.surface_class_iii_source),
        ):
            if value is not None:
                assert math.isfinite(value) and value > 0
                assert source and source.strip()


def test_the_readme_names_every_key() -> None:
    readme = README.read_text(encoding="utf-8")
    for key in substances():
        assert f"`{key}`" in readme


def test_the_reader_is_read_once() -> None:
    assert substances() is substances()


def test_a_bundled_substance_is_found_by_its_chinese_name() -> None:
    assert find_substance(substances(), "苯乙烯").key == "styrene"
