"""The published JSON Schema of a drill scenario describes what the reader accepts: the
bundled scenarios pass it, it names the reader's fields at every level, and the malformed
scenarios the reader refuses it refuses too."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
import yaml

from crossrisk.data import bundled_drill_path, bundled_drills, drill_scenario_schema
from crossrisk.domain.drills import reading
from crossrisk.domain.drills.scenario import ITEMS_MAX
from crossrisk.domain.durations import parse_minutes
from crossrisk.domain.yaml_nodes import NAME_FIELDS
from tests.domain.test_drill_scenario import GOOD, problems

SCHEMA: dict[str, Any] = json.loads(drill_scenario_schema())
VALIDATOR = jsonschema_rs.Draft202012Validator(SCHEMA)


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return resolved(SCHEMA["$defs"][ref.rsplit("/", 1)[1]]) if ref else node


def part(*path: str) -> dict[str, Any]:
    """The object schema at a path of property names ("hazards" steps into its items)."""
    node = SCHEMA
    for name in path:
        node = resolved(node["properties"][name])
        if node.get("type") == "array":
            node = resolved(node["items"])
    return node


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert jsonschema_rs.meta.is_valid(SCHEMA)


@pytest.mark.parametrize("name", bundled_drills())
def test_every_bundled_scenario_validates_and_names_the_schema(name: str) -> None:
    path = bundled_drill_path(name)
    assert path is not None
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=scenario.schema.json"
    assert [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(text))] == []


def test_the_reader_s_own_good_scenario_validates() -> None:
    assert VALIDATOR.is_valid(yaml.safe_load(GOOD))


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ((), reading.SCENARIO_FIELDS),
        (("title",), NAME_FIELDS),
        (("hazards",), reading.HAZARD_FIELDS),
        (("hazards", "at"), reading.PLACE_FIELDS),
        (("hazards", "title"), NAME_FIELDS),
        (("observations",), reading.SERIES_FIELDS),
        (("observations", "values"), reading.READING_FIELDS),
        (("reports",), reading.REPORT_FIELDS),
        (("aid_requests",), reading.AID_REQUEST_FIELDS),
        (("aid_requests", "lines"), reading.LINE_FIELDS),
        (("aid_requests", "offers"), reading.OFFER_FIELDS),
        (("behaviours",), reading.BEHAVIOUR_FIELDS),
    ],
)
def test_each_level_names_exactly_the_fields_the_reader_allows(
    path: tuple[str, ...], fields: frozenset[str]
) -> None:
    found = part(*path)
    assert set(found["properties"]) == fields
    assert found["additionalProperties"] is False
    assert all(found["properties"][name].get("description") for name in fields)


def test_every_list_is_bounded_as_the_reader_bounds_it() -> None:
    lists = [
        resolved(node)
        for path in [(), ("observations",), ("aid_requests",)]
        for node in part(*path)["properties"].values()
        if resolved(node).get("type") == "array"
    ]
    assert len(lists) == 8
    assert {node["maxItems"] for node in lists} == {ITEMS_MAX}


@pytest.mark.parametrize(
    "text",
    [
        "90m", "2h", "1d", "1h30m", "1d2h3m", "0h30m", "PT90M", "pt90m", "P1D", "P1DT2H",
        "PT1H30M", "P1DT", "PT", "P", "", "0m", "PT0M", "90M", "1m2h", "90", "-30m", "1.5h",
        "2 h", "1w", "h", "1234567m", " 2h ", "never",
    ],
)  # fmt: skip
def test_the_duration_pattern_agrees_with_the_reader(text: str) -> None:
    duration = jsonschema_rs.Draft202012Validator(SCHEMA["$defs"]["duration"])
    assert duration.is_valid(text) == (parse_minutes(text) is not None)


# Each is refused by the reader (the key it reports) and by the schema.
MALFORMED = [
    ("region: yrd", "region: yrd\nweather: fine", "unknown-field"),
    ("title: {zh: 小演练, en: A small drill}\n", "", "missing"),
    ("title: {zh: 小演练, en: A small drill}", "title: {zh: 小演练}", "missing"),
    ("title: {zh: 小演练, en: A small drill}", "title: A small drill", "expected-mapping"),
    ("duration: 6h", "duration: six hours", "not-duration"),
    ("duration: 6h", "duration: 6H", "not-duration"),
    ("offset: 0m\nobservations", "offset: -30m\nobservations", "offset-negative"),
    ("quantity: 4", "quantity: -4", "bad-quantity"),
    ("quantity: 4", "quantity: 2000000000", "bad-quantity"),
    ("{offset: 30m, value: 24.1}", "{offset: 30m, value: high}", "expected-number"),
    ("    likelihood: 4\n", "    likelihood: 9\n", "bad-scale"),
    ("code: small", "code: Small Drill", "bad-code"),
    ("category: accident_disaster", "category: meteor_strike", "unknown-category"),
    ("    station: tunxi\n", "    station: tunxi\n    at: {lon: 118.3, lat: 29.7}\n", "bad-place"),
    ("    station: tunxi\n", "    at: {lon: 218.3, lat: 29.7}\n", "bad-coordinate"),
    ("acknowledges: 3h", "acknowledges: later", "not-duration"),
    ("party: committee, duties", "party: board, duties", "unknown-party"),
    ("lines: [{item: pump, quantity: 4, needed_by: 5h}]", "lines: pump", "expected-list"),
    ("lines: [{item: pump,", "lines: [{item: pump, colour: red,", "unknown-field"),
    ("lines: [{item: pump, quantity: 4, needed_by: 5h}]", "lines: []", "empty"),
    ("values:\n      - {offset: 30m, value: 24.1}", "values: []", "empty"),
    ("figures: {released_t: 2}", "figures: {released_t: two}", "expected-number"),
    ("parameters: {substance: styrene,", "parameters: {substance: [styrene],", "expected-text"),
]


@pytest.mark.parametrize(("old", "new", "key"), MALFORMED)
def test_a_malformed_scenario_is_refused_by_both_the_reader_and_the_schema(
    old: str, new: str, key: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    assert key in {p.key for p in problems(text)}
    assert not VALIDATOR.is_valid(yaml.safe_load(text))


def test_a_list_longer_than_the_reader_takes_is_refused_by_both() -> None:
    values = "".join(f"      - {{offset: {m + 1}m, value: 1}}\n" for m in range(ITEMS_MAX + 1))
    text = GOOD.replace("      - {offset: 30m, value: 24.1}\n", values)
    assert "too-long" in {p.key for p in problems(text)}
    assert not VALIDATOR.is_valid(yaml.safe_load(text))


def test_what_only_the_platform_knows_is_left_to_the_reader() -> None:
    text = GOOD.replace("station: tunxi\n    likelihood", "station: nowhere\n    likelihood")
    assert [p.key for p in problems(text)] == ["unknown-station"]
    assert VALIDATOR.is_valid(yaml.safe_load(text))
    assert "only" in SCHEMA["description"] and "crossrisk drill check" in SCHEMA["description"]


def test_a_scenario_without_a_hazard_is_refused_by_both() -> None:
    # The scenario's head alone, its hazards an empty list (the rest refers to them).
    text = GOOD[: GOOD.index("hazards:\n")] + "hazards: []\n"
    assert [p.key for p in problems(text)] == ["empty"]
    assert not VALIDATOR.is_valid(yaml.safe_load(text))
