"""Monitoring stations: what each measures, its trigger rule and the risk its firing opens."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.trigger_rule import TriggerRule, read_rule, rule_record
from crossrisk.domain.monitoring.variable import Variable
from crossrisk.domain.risk import RiskCategory, parse_category
from crossrisk.domain.warning import WarningLevel

CODE_MAX = 48  # the firing actor "station:<code>" must fit the journal's actor column
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class StationKind(StrEnum):
    RIVER_GAUGE = "river_gauge"  # 水文站 / 水位站
    RAIN_GAUGE = "rain_gauge"  # 雨量站
    AIR_QUALITY = "air_quality"  # 空气质量监测站
    CASE_REPORTING = "case_reporting"  # 病例报告单位


@dataclass(frozen=True, slots=True)
class Station:
    """A monitoring station and what risk its firing opens."""

    code: str
    name_zh: str
    name_en: str
    kind: StationKind
    region_code: str
    jurisdiction_code: str  # "" in a file: the jurisdiction its location lies in
    lon: float
    lat: float
    variable: str
    unit: str
    rule: TriggerRule
    category: RiskCategory
    hazard_type: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    # A narrower plausible range than the variable's (a gauge's datum bounds its readings).
    valid_range: tuple[float, float] | None = None
    source: str = ""  # where the thresholds come from
    id: int | None = None

    @property
    def actor_name(self) -> str:
        """The username a firing acts under."""
        return f"station:{self.code}"

    def record(self) -> dict[str, Any]:
        """The station as journaled and shown by the API: one form everywhere."""
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "kind": self.kind.value,
            "region": self.region_code,
            "jurisdiction": self.jurisdiction_code,
            "lon": self.lon,
            "lat": self.lat,
            "variable": self.variable,
            "unit": self.unit,
            "rule": rule_record(self.rule),
            "risk": {
                "category": self.category.value,
                "hazard_type": self.hazard_type,
                "parameters": dict(self.parameters),
            },
            "valid_range": list(self.valid_range) if self.valid_range else None,
            "source": self.source,
        }

    def possible(self, value: float, variable: Variable) -> bool:
        """True when a reading could be real at this station."""
        if not variable.possible(value):
            return False
        valid = self.valid_range
        return valid is None or valid[0] <= value <= valid[1]


def check_station_code(code: object) -> str:
    """Accept a station code: lowercase letters, digits and hyphens, at most 48 characters."""
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > CODE_MAX:
        raise InvalidInput(
            f"station code {code!r} must be lowercase letters, digits and hyphens "
            f"(at most {CODE_MAX})",
            key="station-code-invalid",
            params={"code": str(code)},
        )
    return code


def read_station(
    entry: Mapping[str, Any], *, region_code: str, variables: Mapping[str, Variable]
) -> Station:
    """Read and check one station of a station file (see crossrisk/data/regions/*/stations.toml)."""
    code = check_station_code(entry.get("code"))
    known = {
        "code", "name_zh", "name_en", "kind", "lon", "lat", "jurisdiction", "variable", "unit",
        "thresholds", "rise", "risk", "valid_range", "source", "river",
    }  # fmt: skip
    unknown = sorted(set(entry) - known)
    if unknown:
        raise InvalidInput(
            f"station {code}: unknown field(s) {', '.join(unknown)}", key="station-invalid"
        )
    try:
        kind = StationKind(str(entry.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in StationKind)
        raise InvalidInput(
            f"station {code}: kind must be one of {kinds}", key="station-invalid"
        ) from None
    variable = variables.get(str(entry.get("variable")))
    if variable is None:
        raise InvalidInput(
            f"station {code}: unknown variable {entry.get('variable')!r}; "
            f"known: {', '.join(sorted(variables))}",
            key="station-invalid",
        )
    unit = str(entry.get("unit", variable.unit))
    if not variable.same_unit(unit):
        raise InvalidInput(
            f"station {code}: {variable.key} is measured in {variable.unit}, not {unit}",
            key="station-invalid",
        )
    lon, lat = entry.get("lon"), entry.get("lat")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        raise InvalidInput(f"station {code}: lon and lat must be numbers", key="station-invalid")
    assert isinstance(lon, int | float) and isinstance(lat, int | float)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"station {code}: ({lon}, {lat}) is not a WGS84 longitude/latitude",
            key="station-invalid",
        )
    try:
        rule = read_rule(entry)
    except InvalidInput as error:
        raise InvalidInput(f"station {code}: {error.detail}", key=error.key) from None
    valid_range = _valid_range(code, entry.get("valid_range"), variable)
    for threshold in rule.thresholds:
        if not variable.possible(threshold.value):
            raise InvalidInput(
                f"station {code}: the {threshold.level.key} threshold {threshold.value:g} "
                f"{variable.unit} is outside what {variable.name_en.lower()} can be",
                key="station-invalid",
            )
    risk = entry.get("risk", {})
    if not isinstance(risk, Mapping) or not isinstance(risk.get("parameters", {}), Mapping):
        raise InvalidInput(
            f"station {code}: `risk` is a table of category, hazard_type and parameters",
            key="station-invalid",
        )
    return Station(
        code=code,
        name_zh=_text(code, "name_zh", entry.get("name_zh")),
        name_en=_text(code, "name_en", entry.get("name_en")),
        kind=kind,
        region_code=region_code,
        jurisdiction_code=str(entry.get("jurisdiction", "")),
        lon=float(lon),
        lat=float(lat),
        variable=variable.key,
        unit=variable.unit,
        rule=rule,
        category=parse_category(str(risk.get("category", RiskCategory.NATURAL_DISASTER.value))),
        hazard_type=str(risk.get("hazard_type", "area")),
        parameters=dict(risk.get("parameters", {})),
        valid_range=valid_range,
        source=str(entry.get("source", "")),
    )


def _text(code: str, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise InvalidInput(
            f"station {code}: {name} must be a text of 1 to 200 characters", key="station-invalid"
        )
    return value.strip()


def _valid_range(code: str, value: object, variable: Variable) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        not isinstance(value, Sequence)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise InvalidInput(
            f"station {code}: valid_range is [minimum, maximum]", key="station-invalid"
        )
    low, high = float(value[0]), float(value[1])
    if not (variable.minimum <= low < high <= variable.maximum):
        raise InvalidInput(
            f"station {code}: valid_range must lie within {variable.minimum:g}…"
            f"{variable.maximum:g} {variable.unit} with minimum < maximum",
            key="station-invalid",
        )
    return low, high


@dataclass(frozen=True, slots=True)
class StationState:
    """What a station's firings have done so far: the risk they opened and the last level."""

    open_risk_id: int | None = None
    fired_level: WarningLevel | None = None
    fired_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LastObservation:
    observed_at: datetime
    value: float
