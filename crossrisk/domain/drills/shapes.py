"""The shapes a scenario's YAML nodes are checked as, each problem kept with its line."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator
from typing import Any

import yaml

from crossrisk.domain.drills.scenario import (
    CODE,
    ITEMS_MAX,
    NAME_MAX,
    Known,
    ScenarioProblem,
)
from crossrisk.domain.plans.durations import parse_minutes


class Shapes:
    """Checks of one node at a time; a scenario's reader builds its sections on them."""

    def __init__(self, known: Known, *, region: str | None) -> None:
        self.known = known
        self.region_override = region
        self.problems: list[ScenarioProblem] = []
        self.duration: int | None = None
        self.members: Collection[str] | None = None  # None: the region is unknown

    def fail(self, node: yaml.Node | None, key: str, **params: object) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(ScenarioProblem(line, key, {k: str(v) for k, v in params.items()}))

    # --- shapes -------------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node | None, name: str, allowed: Collection[str]
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "expected-mapping", field=name)
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            if key not in allowed:
                self.fail(key_node, "unknown-field", field=f"{name}.{key}"[:100])
            elif key in found:
                self.fail(key_node, "duplicate", field=name, value=key[:64])
            else:
                found[key] = value
        return found

    def each(
        self,
        node: yaml.Node | None,
        name: str,
        parent: yaml.Node,
        read: Callable[[yaml.Node], Any],
        *,
        required: bool = False,
    ) -> list[Any]:
        if node is None:
            if required:
                self.fail(parent, "missing", field=name)
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "expected-list", field=name)
            return []
        if len(node.value) > ITEMS_MAX:
            self.fail(node, "too-long", field=name, limit=ITEMS_MAX)
            return []
        return [v for v in (read(item) for item in node.value) if v is not None]

    def text(
        self, node: yaml.Node | None, name: str, limit: int, parent: yaml.Node | None
    ) -> str | None:
        if node is None:
            self.fail(parent, "missing", field=name)
            return None
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node, "expected-text", field=name)
            return None
        value = str(node.value).strip()
        if len(value) > limit:
            self.fail(node, "too-long", field=name, limit=limit)
            return None
        return value

    def code(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> str | None:
        value = self.text(node, name, 64, parent)
        if value is not None and not CODE.match(value):
            self.fail(node, "bad-code", field=name)
            return None
        return value

    def names(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> tuple[str, str] | None:
        if node is None:
            self.fail(parent, "missing", field=name)
            return None
        fields = self.mapping(node, name, {"zh", "en"})
        if fields is None:
            return None
        zh = self.text(fields.get("zh"), f"{name}.zh", NAME_MAX, node)
        en = self.text(fields.get("en"), f"{name}.en", NAME_MAX, node)
        return None if zh is None or en is None else (zh, en)

    def number(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> float | None:
        if node is None:
            self.fail(parent, "missing", field=name)
            return None
        raw = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        try:
            value = float(raw) if len(raw) <= 40 else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.fail(node, "expected-number", field=name)
            return None
        return value

    def minutes(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> int | None:
        if node is None:
            self.fail(parent, "missing", field=name)
            return None
        raw = str(node.value) if isinstance(node, yaml.ScalarNode) else "?"
        value = parse_minutes(raw)
        if value is None:
            self.fail(node, "not-duration", field=name, value=raw[:40])
        return value

    def offset(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> int | None:
        """An offset into the drill: 0 (its start) up to its duration."""
        if node is None:
            self.fail(parent, "missing", field=name)
            return None
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else "?"
        if raw.startswith("-") and parse_minutes(raw[1:]) is not None:
            self.fail(node, "offset-negative", field=name, value=raw[:40])
            return None
        value = 0 if raw in ("0", "0m", "0h", "PT0M") else parse_minutes(raw)
        if value is None:
            self.fail(node, "not-duration", field=name, value=raw[:40])
            return None
        if self.duration is not None and value > self.duration:
            self.fail(node, "offset-beyond", field=name, value=raw[:40], limit=self.duration)
            return None
        return value

    def party(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> str | None:
        value = self.text(node, name, 32, parent)
        # In an unknown region no party can be checked; the region was reported.
        if value is not None and self.members is not None and value not in self.members:
            self.fail(node, "unknown-party", value=value)
            return None
        return value


class AnyName(Collection[str]):
    """Every key is allowed (a report's figures are named by the scenario)."""

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and 0 < len(key) <= 64

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0
