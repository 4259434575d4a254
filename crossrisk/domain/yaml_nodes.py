"""Checks of YAML nodes composed with their lines, each problem kept with its line.

A contingency plan (plans/reading.py) and a drill scenario (drills/reading.py) are read
alike: the text is composed into nodes, which keep their line, and checked node by node,
so one reading lists every problem at once. Each reader keeps problems of its own type
(its keys have their own messages), so the checks are generic over how one is made.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from typing import Generic, TypeVar

import yaml

from crossrisk.domain.durations import parse_minutes

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
NAME_FIELDS = frozenset({"zh", "en"})  # a name in Chinese and English
P = TypeVar("P")


def scalar_text(node: yaml.Node | None, default: str = "?") -> str:
    """A scalar node's text; `default` for a mapping, a list or nothing, which no scalar
    check accepts."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else default


class NodeChecks(Generic[P]):
    """Checks of one node at a time; a failed check records its problem and answers None."""

    def __init__(self, problem: Callable[[int, str, Mapping[str, str]], P]) -> None:
        self.problem = problem  # (1-based line, key, params) → the reader's problem
        self.problems: list[P] = []

    def fail(self, node: yaml.Node | None, key: str, **params: object) -> None:
        """Record a problem at the node's line (the first line where there is no node)."""
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(self.problem(line, key, {k: str(v) for k, v in params.items()}))

    def document(
        self, text: str, *, max_bytes: int, name: str, allowed: Collection[str]
    ) -> tuple[yaml.Node, dict[str, yaml.Node]] | None:
        """The text's root node and its fields; None when it is too large, uses anchors or
        aliases, is no YAML or no mapping of the allowed fields."""
        if len(text.encode()) > max_bytes or "\x00" in text:
            self.fail(None, "too-large", limit=max_bytes)
            return None
        try:
            # Anchors and aliases are how a small YAML file expands into a huge one, and
            # neither file has a use for them.
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    self.problems.append(self.problem(event.start_mark.line + 1, "alias", {}))
                    return None
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            detail = " ".join(str(getattr(error, "problem", None) or "unreadable").split())[:200]
            self.problems.append(self.problem(line, "not-yaml", {"detail": detail}))
            return None
        fields = self.mapping(root, name, allowed)
        return None if fields is None else (root, fields)

    def absent(self, node: yaml.Node | None, name: str, parent: yaml.Node | None) -> bool:
        """Whether a required field is missing (reported at its parent's line)."""
        if node is None:
            self.fail(parent, "missing", field=name)
        return node is None

    def mapping(
        self, node: yaml.Node | None, name: str, allowed: Collection[str]
    ) -> dict[str, yaml.Node] | None:
        """The value node of each allowed key; unknown and repeated keys are problems."""
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

    def items(self, node: yaml.Node | None, name: str, limit: int) -> list[yaml.Node]:
        """The nodes of a list of at most `limit` items; none when it is not one."""
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "expected-list", field=name)
            return []
        if len(node.value) > limit:
            self.fail(node, "too-long", field=name, limit=limit)
            return []
        return list(node.value)

    def text(
        self, node: yaml.Node | None, name: str, limit: int, parent: yaml.Node | None = None
    ) -> str | None:
        """A text that is not blank, stripped, of at most `limit` characters."""
        if self.absent(node, name, parent):
            return None
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node, "expected-text", field=name)
            return None
        value = str(node.value).strip()
        if len(value) > limit:
            self.fail(node, "too-long", field=name, limit=limit)
            return None
        return value

    def code(
        self, node: yaml.Node | None, name: str, parent: yaml.Node | None = None
    ) -> str | None:
        """A code of lower-case letters, digits, '-', '_' or '.'."""
        value = self.text(node, name, 64, parent)
        if value is not None and not CODE.match(value):
            self.fail(node, "bad-code", field=name)
            return None
        return value

    def names(
        self, node: yaml.Node | None, name: str, parent: yaml.Node, *, limit: int
    ) -> tuple[str, str] | None:
        """A name in Chinese and English: a mapping of `zh` and `en`."""
        if self.absent(node, name, parent):
            return None
        fields = self.mapping(node, name, NAME_FIELDS)
        if fields is None:
            return None
        zh = self.text(fields.get("zh"), f"{name}.zh", limit, node)
        en = self.text(fields.get("en"), f"{name}.en", limit, node)
        return None if zh is None or en is None else (zh, en)

    def number(self, node: yaml.Node | None, name: str, parent: yaml.Node) -> float | None:
        """A finite number."""
        if self.absent(node, name, parent):
            return None
        raw = scalar_text(node, "")
        try:
            value = float(raw) if len(raw) <= 40 else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.fail(node, "expected-number", field=name)
            return None
        return value

    def minutes(
        self, node: yaml.Node | None, name: str | None, parent: yaml.Node | None = None
    ) -> int | None:
        """Whole minutes of a duration ("30m", "2h", "1d", "PT30M").

        `name` None: the problem names only the value (a plan's deadline cell, whose
        message says "deadline" for it)."""
        if name is not None and self.absent(node, name, parent):
            return None
        raw = scalar_text(node)
        value = parse_minutes(raw)
        if value is None:
            self.fail(
                node, "not-duration", **({} if name is None else {"field": name}), value=raw[:40]
            )
        return value
