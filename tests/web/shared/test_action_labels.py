"""Every action the platform journals has a name in both languages for the journal pages."""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path

from crossrisk.locale import translations
from crossrisk.web.shared import action_labels
from crossrisk.web.shared.i18n import EN, ZH, PageLanguage

ACTION = re.compile(r"[a-z_]+\.[a-z_]+")


def journaled_actions() -> set[str]:
    """The action names written literally into the journal's record calls of the package."""
    root = Path(str(resources.files("crossrisk")))
    found = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if not name.endswith("record"):
                continue
            for value in [*node.args, *(keyword.value for keyword in node.keywords)]:
                literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
                if literal and ACTION.fullmatch(value.value):
                    found.add(value.value)
    return found


def test_every_journaled_action_is_named_in_chinese_and_english() -> None:
    actions = journaled_actions()
    assert {"risk.registered", "warning.copied", "user.renamed", "duty.done"} <= actions
    assert actions - set(action_labels.ACTION) == set()
    chinese = PageLanguage(ZH, translations(ZH.code))
    english = PageLanguage(EN, translations(EN.code))
    for action in actions:
        assert re.search(r"[\u4e00-\u9fff]", chinese.action(action)), action
        assert english.action(action) != action, action
