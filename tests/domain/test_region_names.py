"""Same-named jurisdictions are told apart by their province, from the data alone."""

from __future__ import annotations

import json
from typing import Any

from crossrisk.data import bundled_region_path
from crossrisk.domain.region import read_region_spec


def feature(code: str, name_zh: str, name_en: str, level: str, parent: str | None) -> Any:
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name_zh": name_zh,
            "name_en": name_en,
            "level": level,
            "parent_code": parent,
            "member": level != "province",
        },
        "geometry": {"type": "Polygon", "coordinates": square},
    }


def test_the_bundled_suzhous_and_taizhous_are_told_apart() -> None:
    spec = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
    names = {j.code: (j.name_zh, j.name_en) for j in spec.jurisdictions}
    assert names["320500"] == ("苏州市", "Suzhou (Jiangsu)")
    assert names["341300"] == ("宿州市", "Suzhou (Anhui)")
    assert names["321200"] == ("泰州市", "Taizhou (Jiangsu)")
    assert names["331000"] == ("台州市", "Taizhou (Zhejiang)")
    assert names["341000"] == ("黄山市", "Huangshan")  # a unique name is left alone
    english = [j.name_en for j in spec.jurisdictions]
    assert len(english) == len(set(english))


def test_a_name_held_twice_in_either_language_gets_its_province() -> None:
    spec = read_region_spec(
        {
            "type": "FeatureCollection",
            "region": {"code": "test"},
            "features": [
                feature("110000", "甲省", "Jia", "province", None),
                feature("120000", "乙省", "Yi", "province", None),
                feature("110100", "同名市", "Tongming", "prefecture", "110000"),
                feature("120100", "同名市", "Tongming", "prefecture", "120000"),
                feature("120200", "别名市", "Bieming", "prefecture", "120000"),
            ],
        }
    )
    names = {j.code: (j.name_zh, j.name_en) for j in spec.jurisdictions}
    assert names["110100"] == ("同名市（甲省）", "Tongming (Jia)")
    assert names["120100"] == ("同名市（乙省）", "Tongming (Yi)")
    assert names["120200"] == ("别名市", "Bieming")
