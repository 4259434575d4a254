"""Reading a plan from YAML, reporting every problem with its line.

The text is composed into YAML nodes (which keep their line) and checked node by node
(domain/yaml_nodes.py, shared with drill scenarios), so one import lists all its problems
at once. Anchors and aliases are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

import yaml

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.plans.plan import Conditions, Plan, PlanTask, Situation, Source
from crossrisk.domain.plans.problems import Problem
from crossrisk.domain.responsibility import (
    BUILT_IN_ROLES,
    DutyKind,
    PlanRole,
    RegionState,
    TaskTemplate,
)
from crossrisk.domain.risk import EventLevel
from crossrisk.domain.yaml_nodes import NodeChecks, scalar_text

TEXT_MAX_BYTES = 200_000
TASKS_MAX = 100
SOURCES_MAX = 50
NAME_MAX = 200
SOURCE_TEXT_MAX = 1000
LEVELS = {level.name: level for level in EventLevel}  # "I" … "IV"
# The kinds a plan's task may be: the five built-in ones, or a plan's own task.
PLAN_KINDS = {kind.value: kind for kind in (*BUILT_IN_ROLES, DutyKind.TASK)}
CELLS = len(EventLevel) * len(RegionState)  # a deadline for every level in every state
T = TypeVar("T")


def read_plan(
    text: str,
    *,
    hazard_types: Collection[str],
    jurisdictions: Collection[str] | None = None,
) -> Plan:
    """The plan a YAML text describes; InvalidInput "plan-invalid" listing every problem."""
    reader = _Reader(hazard_types=hazard_types, jurisdictions=jurisdictions)
    plan = reader.read(text)
    if reader.problems or plan is None:
        problems = sorted(reader.problems, key=lambda p: p.line)
        raise InvalidInput(
            "the plan has problems: " + "; ".join(p.message for p in problems[:50]),
            key="plan-invalid",
            params={
                "errors": [
                    {"line": p.line, "key": p.key, "params": dict(p.params), "message": p.message}
                    for p in problems[:200]
                ]
            },
        )
    return plan


class _Reader(NodeChecks[Problem]):
    def __init__(self, *, hazard_types: Collection[str], jurisdictions: Collection[str] | None):
        super().__init__(Problem)
        self.hazard_types = hazard_types
        self.jurisdictions = jurisdictions

    def read(self, text: str) -> Plan | None:
        found = self.document(
            text,
            max_bytes=TEXT_MAX_BYTES,
            name="plan",
            allowed={"code", "name", "jurisdiction", "conditions", "sources", "tasks"},
        )
        if found is None:
            return None
        root, top = found
        code = self.code(top.get("code"), "code")
        names = self.names(top.get("name"), "name", root, limit=NAME_MAX)
        jurisdiction = self.jurisdiction(top.get("jurisdiction"))
        conditions = self.conditions(top.get("conditions"))
        sources = self.sources(top.get("sources"), root)
        tasks = self.tasks(top.get("tasks"), root, sources)
        if self.problems or code is None or names is None:
            return None
        return Plan(
            code=code,
            name_zh=names[0],
            name_en=names[1],
            conditions=conditions,
            tasks=tasks,
            sources=sources,
            jurisdiction_code=jurisdiction,
        )

    # --- shapes -------------------------------------------------------------------------

    def choices(
        self, node: yaml.Node | None, name: str, parse: Callable[[yaml.Node], T | None]
    ) -> frozenset[T]:
        if node is None:
            return frozenset()
        return frozenset(
            v for v in (parse(item) for item in self.items(node, name, 20)) if v is not None
        )

    def choice(self, node: yaml.Node, key: str, options: Mapping[str, T]) -> T | None:
        value = scalar_text(node)
        if value not in options:
            self.fail(node, key, value=value[:64])
            return None
        return options[value]

    # --- sections -----------------------------------------------------------------------

    def jurisdiction(self, node: yaml.Node | None) -> str | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return None
        value = self.text(node, "jurisdiction", 32)
        if value is not None and self.jurisdictions is not None and value not in self.jurisdictions:
            self.fail(node, "unknown-jurisdiction", value=value)
            return None
        return value

    def conditions(self, node: yaml.Node | None) -> Conditions:
        if node is None:
            return Conditions()
        fields = self.mapping(node, "conditions", {"hazard_types", "levels", "states", "situation"})
        if fields is None:
            return Conditions()
        hazards = {key: key for key in self.hazard_types}
        states = {s.value: s for s in RegionState}
        return Conditions(
            hazard_types=self.choices(
                fields.get("hazard_types"),
                "hazard_types",
                lambda n: self.choice(n, "unknown-hazard-type", hazards),
            ),
            levels=self.choices(
                fields.get("levels"), "levels", lambda n: self.choice(n, "unknown-level", LEVELS)
            ),
            states=self.choices(
                fields.get("states"), "states", lambda n: self.choice(n, "unknown-state", states)
            ),
            situation=self.situation(fields.get("situation")),
        )

    def situation(self, node: yaml.Node | None) -> Situation:
        if node is None:
            return Situation()
        fields = self.mapping(
            node, "situation", {"crosses_border", "leaves_region", "min_affected"}
        )
        if fields is None:
            return Situation()
        flags = {"true": True, "false": False}

        def flag(name: str) -> bool | None:
            found = fields.get(name)
            if found is None:
                return None
            value = scalar_text(found).lower()
            if value not in flags:
                self.fail(found, "bad-flag", field=name)
            return flags.get(value)

        count: int | None = None
        found = fields.get("min_affected")
        if found is not None:
            raw = scalar_text(found)
            if raw.isdigit() and 1 <= int(raw) <= 1000:
                count = int(raw)
            else:
                self.fail(found, "bad-count", field="min_affected")
        return Situation(
            crosses_border=flag("crosses_border"),
            leaves_region=flag("leaves_region"),
            min_affected=count,
        )

    def sources(self, node: yaml.Node | None, root: yaml.Node) -> dict[str, Source]:
        if self.absent(node, "sources", root):
            return {}
        found: dict[str, Source] = {}
        for item in self.items(node, "sources", SOURCES_MAX):
            fields = self.mapping(item, "sources[]", {"key", "zh", "en", "platform_default"})
            if fields is None:
                continue
            key = self.code(fields.get("key"), "key")
            zh = self.text(fields.get("zh"), "zh", SOURCE_TEXT_MAX, item)
            en = self.text(fields.get("en"), "en", SOURCE_TEXT_MAX, item)
            default = fields.get("platform_default")
            is_default = default is not None and str(default.value).lower() == "true"
            if key in found:
                self.fail(item, "duplicate", field="source", value=key)
            elif key is not None and zh is not None and en is not None:
                found[key] = Source(key=key, zh=zh, en=en, platform_default=is_default)
        return found

    def tasks(
        self, node: yaml.Node | None, root: yaml.Node, sources: Mapping[str, Source]
    ) -> tuple[PlanTask, ...]:
        if self.absent(node, "tasks", root):
            return ()
        tasks: list[PlanTask] = []
        seen: set[tuple[PlanRole, DutyKind, str]] = set()
        for item in self.items(node, "tasks", TASKS_MAX):
            task = self.task(item, sources)
            if task is None:
                continue
            key = (task.template.role, task.template.kind, task.template.task)
            if key in seen:
                self.fail(item, "duplicate", field="task", value="/".join(map(str, key)))
            seen.add(key)
            tasks.append(task)
        return tuple(tasks)

    def task(self, node: yaml.Node, sources: Mapping[str, Source]) -> PlanTask | None:
        fields = self.mapping(
            node, "tasks[]", {"role", "kind", "code", "title", "deadlines", "source"}
        )
        if fields is None:
            return None
        role_node, kind_node = fields.get("role"), fields.get("kind")
        role = kind = None
        if role_node is None or kind_node is None:
            self.fail(node, "missing", field="role" if role_node is None else "kind")
        else:
            role = self.choice(role_node, "unknown-role", {r.value: r for r in PlanRole})
            kind = self.choice(kind_node, "unknown-kind", PLAN_KINDS)
        custom = kind is not None and kind.value == "task"
        code = self.code(fields["code"], "code") if "code" in fields else None
        title = (
            self.names(fields["title"], "title", node, limit=NAME_MAX)
            if "title" in fields
            else None
        )
        if kind is not None and (
            custom != (code is not None and title is not None)
            or (not custom and ("code" in fields or "title" in fields))
        ):
            self.fail(node, "task-title")
        minutes = self.deadlines(fields.get("deadlines"), node)
        cited = self.cited(fields.get("source"), node, sources)
        if role is None or kind is None or minutes is None or cited is None:
            return None
        template = TaskTemplate(
            role=role,
            kind=kind,
            minutes=minutes,
            task=code or "",
            title=title[0] if title else None,
            title_en=title[1] if title else None,
        )
        return PlanTask(template=template, sources=cited)

    def by_cell(
        self, node: yaml.Node | None, parent: yaml.Node, name: str, allow_scalar: bool
    ) -> dict[tuple[EventLevel, RegionState], yaml.Node] | None:
        """The value node of each (level, state): a mapping of states, each a mapping of
        levels (or, where allowed, one scalar for a whole state or for everything)."""
        if self.absent(node, name, parent):
            return None
        if allow_scalar and isinstance(node, yaml.ScalarNode):
            return {(lvl, st): node for lvl in EventLevel for st in RegionState}
        states = self.mapping(node, name, {s.value for s in RegionState})
        if states is None:
            return None
        cells: dict[tuple[EventLevel, RegionState], yaml.Node] = {}
        for state in RegionState:
            levels_node = states.get(state.value)
            if levels_node is None:
                self.fail(node, "missing", field=f"{name}.{state.value}")
                continue
            if allow_scalar and isinstance(levels_node, yaml.ScalarNode):
                cells.update({(lvl, state): levels_node for lvl in EventLevel})
                continue
            levels = self.mapping(levels_node, f"{name}.{state.value}", set(LEVELS))
            if levels is None:
                continue
            for level_name, level in LEVELS.items():
                if level_name not in levels:
                    self.fail(levels_node, "missing", field=f"{name}.{state.value}.{level_name}")
                else:
                    cells[(level, state)] = levels[level_name]
        return cells  # possibly partial: each missing cell was reported

    def deadlines(
        self, node: yaml.Node | None, parent: yaml.Node
    ) -> dict[tuple[EventLevel, RegionState], int] | None:
        cells = self.by_cell(node, parent, "deadlines", allow_scalar=False)
        if cells is None:
            return None
        minutes: dict[tuple[EventLevel, RegionState], int] = {}
        for key, cell in cells.items():
            value = self.minutes(cell, None)
            if value is not None:
                minutes[key] = value
        return minutes if len(minutes) == CELLS else None

    def cited(
        self, node: yaml.Node | None, parent: yaml.Node, sources: Mapping[str, Source]
    ) -> dict[tuple[EventLevel, RegionState], str] | None:
        cells = self.by_cell(node, parent, "source", allow_scalar=True)
        if cells is None:
            return None
        cited: dict[tuple[EventLevel, RegionState], str] = {}
        failed: set[int] = set()
        for key, cell in cells.items():
            raw = scalar_text(cell)
            if raw in sources:
                cited[key] = raw
            elif id(cell) not in failed:  # one scalar for many cells: say it once
                failed.add(id(cell))
                self.fail(cell, "unknown-source", value=raw[:64])
        return cited if len(cited) == CELLS else None
