"""Reading a drill scenario from YAML, reporting every problem with its line.

Like a plan file (domain/plans/reading.py), the text is composed into YAML nodes, which
keep their line, and checked node by node (domain/yaml_nodes.py), so one check lists every
problem; anchors and aliases are refused. What the platform knows (stations, members,
hazard types, items) is passed in as `Known`, so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from crossrisk.domain.drills.scenario import (
    BODIES,
    CATEGORIES,
    DEFAULT_ACK_MINUTES,
    DURATION_MAX,
    NAME_MAX,
    NEVER,
    REPORT_MAX,
    TEXT_MAX_BYTES,
    Behaviour,
    Known,
    Scenario,
    ScenarioAidRequest,
    ScenarioHazard,
    ScenarioLine,
    ScenarioOffer,
    ScenarioProblem,
    ScenarioReading,
    ScenarioReport,
)
from crossrisk.domain.drills.shapes import AnyName, Shapes
from crossrisk.domain.durations import format_minutes, parse_minutes
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.yaml_nodes import scalar_text

# The fields each part of a scenario may have; any other is refused. The published schema
# (crossrisk/data/drills/scenario.schema.json) names the same, which a test holds it to.
SCENARIO_FIELDS = frozenset(
    {
        "code",
        "title",
        "region",
        "duration",
        "hazards",
        "observations",
        "reports",
        "aid_requests",
        "behaviours",
    }
)
HAZARD_FIELDS = frozenset(
    {
        "id",
        "party",
        "category",
        "type",
        "at",
        "station",
        "likelihood",
        "consequence",
        "title",
        "parameters",
        "offset",
    }
)
PLACE_FIELDS = frozenset({"lon", "lat"})
SERIES_FIELDS = frozenset({"station", "values"})
READING_FIELDS = frozenset({"offset", "value"})
REPORT_FIELDS = frozenset({"party", "hazard", "offset", "text", "figures"})
AID_REQUEST_FIELDS = frozenset({"party", "hazard", "offset", "lines", "offers"})
LINE_FIELDS = frozenset({"item", "quantity", "needed_by"})
OFFER_FIELDS = frozenset({"party", "offset", "arrives"})
BEHAVIOUR_FIELDS = frozenset({"party", "acknowledges", "duties"})
MALFORMED = -1  # a delay that is no duration: never a real one, since none is negative


def read_scenario(text: str, known: Known, *, region: str | None = None) -> Scenario:
    """The scenario a YAML text describes; InvalidInput "drill-scenario-invalid" otherwise.

    `region` runs the scenario in another region than the one it names.
    """
    problems = scenario_problems(text, known, region=region)
    if isinstance(problems, Scenario):
        return problems
    first = problems[0]
    raise InvalidInput(
        f"the scenario has {len(problems)} problem(s); the first: {first.message}",
        key="drill-scenario-invalid",
        params={
            "count": len(problems),
            "first": first.message,
            "errors": [
                {"line": p.line, "key": p.key, "params": dict(p.params), "message": p.message}
                for p in problems[:200]
            ],
        },
    )


def scenario_problems(
    text: str, known: Known, *, region: str | None = None
) -> Scenario | list[ScenarioProblem]:
    """The scenario, or every problem of the text sorted by line."""
    reader = _Reader(known, region=region)
    scenario = reader.read(text)
    if reader.problems or scenario is None:
        return sorted(reader.problems, key=lambda p: p.line) or [ScenarioProblem(1, "missing")]
    return scenario


class _Reader(Shapes):
    def read(self, text: str) -> Scenario | None:
        found = self.document(
            text,
            max_bytes=TEXT_MAX_BYTES,
            name="scenario",
            allowed=SCENARIO_FIELDS,
        )
        if found is None:
            return None
        root, top = found
        code = self.code(top.get("code"), "code", root)
        title = self.names(top.get("title"), "title", root, limit=NAME_MAX)
        region = self.region(top.get("region"), root)
        self.duration = self.minutes(top.get("duration"), "duration", root)
        if self.duration is not None and self.duration > DURATION_MAX:
            # The runner sweeps deadlines every quarter hour of drill time: a drill of a
            # year would be tens of thousands of transactions in one request.
            self.fail(
                top["duration"], "too-long", field="duration", limit=format_minutes(DURATION_MAX)
            )
            self.duration = None
        hazards = self.each(top.get("hazards"), "hazards", root, self.hazard, required=True)
        # A hazard refused for one reason is still the one later entries name: its id
        # counts, so a single mistake is reported once, not again at every reference.
        ids = _declared_ids(top.get("hazards")) or [h.id for h in hazards]
        readings = [
            r
            for found in self.each(top.get("observations"), "observations", root, self.series)
            for r in found
        ]
        reports = self.each(top.get("reports"), "reports", root, lambda n: self.report(n, ids))
        requests = self.each(
            top.get("aid_requests"), "aid_requests", root, lambda n: self.aid_request(n, ids)
        )
        behaviours = self.each(top.get("behaviours"), "behaviours", root, self.behaviour)
        if self.problems or None in (code, title, region, self.duration):
            return None
        assert code is not None and title is not None and region is not None
        assert self.duration is not None
        return Scenario(
            code=code,
            title_zh=title[0],
            title_en=title[1],
            region_code=region,
            duration=self.duration,
            hazards=tuple(hazards),
            readings=tuple(sorted(readings, key=lambda r: r.offset)),
            reports=tuple(reports),
            aid_requests=tuple(requests),
            behaviours=tuple(behaviours),
        )

    # --- sections -----------------------------------------------------------------------

    def region(self, node: yaml.Node | None, parent: yaml.Node) -> str | None:
        value = self.text(node, "region", 32, parent)
        if value is not None and self.region_override is not None:
            value = self.region_override
        if value is not None and value not in self.known.regions:
            self.fail(node, "unknown-region", value=value)
            return None
        self.members = self.known.members.get(value or "")
        return value

    def hazard(self, node: yaml.Node) -> ScenarioHazard | None:
        fields = self.mapping(
            node,
            "hazards[]",
            HAZARD_FIELDS,
        )
        if fields is None:
            return None
        hazard_id = self.code(fields.get("id"), "id", node)
        party = self.party(fields.get("party"), "party", node)
        category = self.text(fields.get("category"), "category", 32, node)
        if category is not None and category not in CATEGORIES:
            self.fail(fields["category"], "unknown-category", value=category)
            category = None
        hazard_type = self.text(fields.get("type"), "type", 32, node)
        if hazard_type is not None and hazard_type not in self.known.hazard_types:
            self.fail(fields["type"], "unknown-hazard-type", value=hazard_type)
            hazard_type = None
        place = self.place(fields, node)
        scales = [
            self.scale(fields.get(name), name, node) for name in ("likelihood", "consequence")
        ]
        title = self.names(fields.get("title"), "title", node, limit=NAME_MAX)
        parameters = self.parameters(fields.get("parameters"))
        offset = self.offset(fields.get("offset"), "offset", node)
        if (
            category is not None
            and hazard_type is not None
            and parameters is not None
            and self.known.check_hazard is not None
        ):
            try:
                self.known.check_hazard(category, hazard_type, parameters)
            except CrossriskError as error:
                self.fail(fields.get("parameters", node), "bad-parameters", detail=str(error)[:300])
                parameters = None
        if (
            hazard_id is None
            or party is None
            or category is None
            or hazard_type is None
            or place is None
            or None in scales
            or title is None
            or parameters is None
            or offset is None
        ):
            return None
        likelihood, consequence = scales
        assert likelihood is not None and consequence is not None
        return ScenarioHazard(
            id=hazard_id,
            party=party,
            category=category,
            hazard_type=hazard_type,
            lon=place[0],
            lat=place[1],
            likelihood=likelihood,
            consequence=consequence,
            title_zh=title[0],
            title_en=title[1],
            parameters=parameters,
            offset=offset,
        )

    def place(self, fields: Mapping[str, yaml.Node], node: yaml.Node) -> tuple[float, float] | None:
        if ("at" in fields) == ("station" in fields):
            self.fail(node, "bad-place")
            return None
        if "station" in fields:
            code = self.text(fields["station"], "station", 64, node)
            if code is not None and code not in self.known.stations:
                self.fail(fields["station"], "unknown-station", value=code)
                return None
            return None if code is None else self.known.stations[code]
        at = self.mapping(fields["at"], "at", PLACE_FIELDS)
        if at is None:
            return None
        lon = self.number(at.get("lon"), "at.lon", fields["at"])
        lat = self.number(at.get("lat"), "at.lat", fields["at"])
        if lon is None or lat is None:
            return None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.fail(fields["at"], "bad-coordinate", field="at")
            return None
        return lon, lat

    def scale(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> int | None:
        if self.absent(node, name, parent):
            return None
        raw = scalar_text(node, "")
        if raw not in ("1", "2", "3", "4", "5"):
            self.fail(node, "bad-scale", field=name)
            return None
        return int(raw)

    def parameters(self, node: yaml.Node | None) -> dict[str, Any] | None:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "expected-mapping", field="parameters")
            return None
        found: dict[str, Any] = {}
        for key_node, value in node.value:
            if not isinstance(value, yaml.ScalarNode):
                self.fail(value, "expected-text", field=f"parameters.{key_node.value}"[:100])
                return None
            # Constructed from the node itself: an empty value is null, not a document to parse.
            found[str(key_node.value)] = yaml.constructor.SafeConstructor().construct_object(value)
        return found

    def series(self, node: yaml.Node) -> list[ScenarioReading] | None:
        fields = self.mapping(node, "observations[]", SERIES_FIELDS)
        if fields is None:
            return None
        station = self.text(fields.get("station"), "station", 64, node)
        if station is not None and station not in self.known.stations:
            self.fail(fields["station"], "unknown-station", value=station)
            station = None
        values = self.each(fields.get("values"), "values", node, self.reading, required=True)
        if station is None:
            return None
        return [ScenarioReading(station=station, offset=o, value=v) for o, v in values]

    def reading(self, node: yaml.Node) -> tuple[int, float] | None:
        fields = self.mapping(node, "values[]", READING_FIELDS)
        if fields is None:
            return None
        offset = self.offset(fields.get("offset"), "offset", node)
        value = self.number(fields.get("value"), "value", node)
        return None if offset is None or value is None else (offset, value)

    def report(self, node: yaml.Node, hazards: list[str]) -> ScenarioReport | None:
        fields = self.mapping(node, "reports[]", REPORT_FIELDS)
        if fields is None:
            return None
        party = self.party(fields.get("party"), "party", node)
        hazard = self.hazard_ref(fields.get("hazard"), node, hazards)
        offset = self.offset(fields.get("offset"), "offset", node)
        text = self.text(fields.get("text"), "text", REPORT_MAX, node)
        figures: dict[str, float] = {}
        if "figures" in fields:
            found = self.mapping(fields["figures"], "figures", AnyName())
            for name, value in (found or {}).items():
                number = self.number(value, f"figures.{name}"[:100], fields["figures"])
                if number is not None:
                    figures[name[:64]] = number
        if party is None or hazard is None or offset is None or text is None:
            return None
        return ScenarioReport(party=party, hazard=hazard, offset=offset, text=text, figures=figures)

    def hazard_ref(
        self, node: yaml.Node | None, parent: yaml.Node, hazards: list[str]
    ) -> str | None:
        value = self.text(node, "hazard", 64, parent)
        if value is not None and value not in hazards:
            self.fail(node, "unknown-hazard", value=value)
            return None
        return value

    def aid_request(self, node: yaml.Node, hazards: list[str]) -> ScenarioAidRequest | None:
        fields = self.mapping(node, "aid_requests[]", AID_REQUEST_FIELDS)
        if fields is None:
            return None
        party = self.party(fields.get("party"), "party", node)
        hazard = self.hazard_ref(fields.get("hazard"), node, hazards)
        offset = self.offset(fields.get("offset"), "offset", node)
        lines = self.each(fields.get("lines"), "lines", node, self.line, required=True)
        offers = self.each(fields.get("offers"), "offers", node, self.offer)
        if party is None or hazard is None or offset is None or not lines:
            return None
        return ScenarioAidRequest(
            party=party, hazard=hazard, offset=offset, lines=tuple(lines), offers=tuple(offers)
        )

    def line(self, node: yaml.Node) -> ScenarioLine | None:
        fields = self.mapping(node, "lines[]", LINE_FIELDS)
        if fields is None:
            return None
        item = self.text(fields.get("item"), "item", 64, node)
        if item is not None and item not in self.known.items:
            self.fail(fields["item"], "unknown-item", value=item)
            item = None
        quantity = self.number(fields.get("quantity"), "quantity", node)
        if quantity is not None and not 0 < quantity <= 1e9:
            self.fail(fields["quantity"], "bad-quantity", field="quantity")
            quantity = None
        needed_by = self.offset(fields.get("needed_by"), "needed_by", node)
        if item is None or quantity is None or needed_by is None:
            return None
        return ScenarioLine(item=item, quantity=quantity, needed_by=needed_by)

    def offer(self, node: yaml.Node) -> ScenarioOffer | None:
        fields = self.mapping(node, "offers[]", OFFER_FIELDS)
        if fields is None:
            return None
        party = self.party(fields.get("party"), "party", node)
        offset = self.offset(fields.get("offset"), "offset", node)
        arrives = None
        if "arrives" in fields:
            arrives = self.offset(fields["arrives"], "arrives", node)
            if arrives is None:
                return None
            if offset is not None and arrives < offset:
                self.fail(fields["arrives"], "arrives-before-offer", value=format_minutes(arrives))
                return None
        return None if party is None or offset is None else ScenarioOffer(party, offset, arrives)

    def behaviour(self, node: yaml.Node) -> Behaviour | None:
        fields = self.mapping(node, "behaviours[]", BEHAVIOUR_FIELDS)
        if fields is None:
            return None
        found = fields.get("party")
        body = isinstance(found, yaml.ScalarNode) and str(found.value) in BODIES
        party = str(found.value) if body and found else self.party(found, "party", node)
        acknowledge = self.after(fields.get("acknowledges"), "acknowledges", DEFAULT_ACK_MINUTES)
        duties = self.after(fields.get("duties"), "duties", None)
        if party is None or MALFORMED in (acknowledge, duties):
            return None
        return Behaviour(party=party, acknowledge_after=acknowledge, duties_after=duties)

    def after(self, found: yaml.Node | None, name: str, default: int | None) -> int | None:
        """A delay in minutes, None for "never", the default when absent; MALFORMED when
        it is none of these (the problem is reported)."""
        if found is None:
            return default
        raw = scalar_text(found).strip()
        if raw == NEVER:
            return None
        minutes = parse_minutes(raw)
        if minutes is None:
            self.fail(found, "not-duration", field=name, value=raw[:40])
            return MALFORMED
        return minutes


def _declared_ids(node: yaml.Node | None) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [
        str(value.value)
        for item in node.value
        if isinstance(item, yaml.MappingNode)
        for key, value in item.value
        if key.value == "id" and isinstance(value, yaml.ScalarNode)
    ]
