"""The shapes a scenario's YAML nodes are checked as, beyond those every reader shares."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

import yaml

from crossrisk.domain.drills.scenario import ITEMS_MAX, Known, ScenarioProblem
from crossrisk.domain.durations import parse_minutes
from crossrisk.domain.yaml_nodes import NodeChecks, scalar_text


class Shapes(NodeChecks[ScenarioProblem]):
    """Checks of one node at a time; a scenario's reader builds its sections on them."""

    def __init__(self, known: Known, *, region: str | None) -> None:
        super().__init__(ScenarioProblem)
        self.known = known
        self.region_override = region
        self.duration: int | None = None
        self.members: Collection[str] | None = None  # None: the region is unknown

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
        items = self.items(node, name, ITEMS_MAX)
        if required and not items and isinstance(node, yaml.SequenceNode):
            # An empty list would drop what holds it without a word: an aid request with no
            # line, a series with no reading, a scenario with no hazard.
            self.fail(node, "empty", field=name)
        return [v for v in (read(item) for item in items) if v is not None]

    def offset(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> int | None:
        """An offset into the drill: 0 (its start) up to its duration."""
        if self.absent(node, name, parent):
            return None
        raw = scalar_text(node).strip()
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
