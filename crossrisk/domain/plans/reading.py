"""Reading a plan from YAML, reporting every problem with its line.

The text is composed into YAML nodes (which keep their line) and checked node by node, so
one import lists all its problems at once. Anchors and aliases are refused: a plan has no
use for them, and they are how small YAML files expand into huge ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

import yaml

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.plans.durations import parse_minutes
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

TEXT_MAX_BYTES = 200_000
TASKS_MAX = 100
SOURCES_MAX = 50
NAME_MAX = 200
SOURCE_TEXT_MAX = 1000
CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
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


class _Reader:
    def __init__(self, *, hazard_types: Collection[str], jurisdictions: Collection[str] | None):
        self.hazard_types = hazard_types
        self.jurisdictions = jurisdictions
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node | None, key: str, **params: object) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(line, key, {k: str(v) for k, v in params.items()}))

    def read(self, text: str) -> Plan | None:
        if len(text.encode()) > TEXT_MAX_BYTES or "\x00" in text:
            self.fail(None, "too-large", limit=TEXT_MAX_BYTES)
            return None
        try:
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    self.problems.append(Problem(event.start_mark.line + 1, "alias"))
                    return None
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            detail = " ".join(str(getattr(error, "problem", None) or "unreadable").split())[:200]
            self.problems.append(Problem(line, "not-yaml", {"detail": detail}))
            return None
        top = self.mapping(
            root, "plan", {"code", "name", "jurisdiction", "conditions", "sources", "tasks"}
        )
        if top is None:
            return None
        code = self.code(top, "code")
        names = self.names(top.get("name"), "name", root)
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
                self.fail(key_node, "duplicate", field=name, value=key)
            else:
                found[key] = value
        return found

    def items(self, node: yaml.Node | None, name: str, limit: int) -> list[yaml.Node]:
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

    def code(self, fields: Mapping[str, yaml.Node], name: str) -> str | None:
        value = self.text(fields.get(name), name, 64)
        if value is not None and not CODE.match(value):
            self.fail(fields[name], "bad-code", field=name)
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

    def choices(
        self, node: yaml.Node | None, name: str, parse: Callable[[yaml.Node], T | None]
    ) -> frozenset[T]:
        if node is None:
            return frozenset()
        return frozenset(
            v for v in (parse(item) for item in self.items(node, name, 20)) if v is not None
        )

    def choice(self, node: yaml.Node, key: str, options: Mapping[str, T]) -> T | None:
        value = str(node.value) if isinstance(node, yaml.ScalarNode) else "?"
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
            value = str(found.value).lower() if isinstance(found, yaml.ScalarNode) else "?"
            if value not in flags:
                self.fail(found, "bad-flag", field=name)
            return flags.get(value)

        count: int | None = None
        found = fields.get("min_affected")
        if found is not None:
            raw = str(found.value) if isinstance(found, yaml.ScalarNode) else "?"
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
        if node is None:
            self.fail(root, "missing", field="sources")
            return {}
        found: dict[str, Source] = {}
        for item in self.items(node, "sources", SOURCES_MAX):
            fields = self.mapping(item, "sources[]", {"key", "zh", "en", "platform_default"})
            if fields is None:
                continue
            key = self.code(fields, "key")
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
        if node is None:
            self.fail(root, "missing", field="tasks")
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
        code = self.code(fields, "code") if "code" in fields else None
        title = self.names(fields["title"], "title", node) if "title" in fields else None
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
        if node is None:
            self.fail(parent, "missing", field=name)
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
            raw = str(cell.value) if isinstance(cell, yaml.ScalarNode) else "?"
            value = parse_minutes(raw)
            if value is None:
                self.fail(cell, "not-duration", value=raw[:40])
            else:
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
            raw = str(cell.value) if isinstance(cell, yaml.ScalarNode) else "?"
            if raw in sources:
                cited[key] = raw
            elif id(cell) not in failed:  # one scalar for many cells: say it once
                failed.add(id(cell))
                self.fail(cell, "unknown-source", value=raw[:64])
        return cited if len(cited) == CELLS else None
