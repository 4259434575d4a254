"""The problems a plan file can have, each with a key, its line and the values it names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark a text for the catalogs; the domain imports no locale, so it marks its own."""
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan file: its line (1-based), a key and the values it names."""

    line: int
    key: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return f"line {self.line}: " + PROBLEM_TEXTS[self.key] % dict(self.params)


# The English of each problem; pages say it in their language through the catalogs
# (babel.cfg extracts this module's N_ texts).
PROBLEM_TEXTS: Mapping[str, str] = {
    "not-yaml": N_("this is not YAML: %(detail)s"),
    "too-large": N_("the file is larger than %(limit)s bytes or holds a NUL character"),
    "alias": N_("anchors and aliases are not allowed"),
    "expected-mapping": N_("%(field)s must be a mapping"),
    "expected-list": N_("%(field)s must be a list"),
    "expected-text": N_("%(field)s must be a text"),
    "missing": N_("%(field)s is missing"),
    "unknown-field": N_("unknown field %(field)s"),
    "too-long": N_("%(field)s is longer than %(limit)s"),
    "bad-code": N_("%(field)s must be a code of lower-case letters, digits, '-', '_' or '.'"),
    "unknown-role": N_(
        "unknown role %(value)s (origin, affected, committee, domain_office, central_office)"
    ),
    "unknown-kind": N_("unknown task kind %(value)s"),
    "unknown-hazard-type": N_("unknown hazard type %(value)s"),
    "unknown-level": N_("unknown event level %(value)s (I, II, III, IV)"),
    "unknown-state": N_("unknown region state %(value)s (normal, emergency)"),
    "unknown-jurisdiction": N_("jurisdiction %(value)s is not a member of the region"),
    "not-duration": N_("deadline %(value)s is not a duration (30m, 2h, 1d or PT30M)"),
    "unknown-source": N_("source %(value)s is not among the plan's sources"),
    "duplicate": N_("%(field)s %(value)s is given twice"),
    "bad-flag": N_("%(field)s must be true or false"),
    "bad-count": N_("%(field)s must be a whole number from 1 to 1000"),
    "task-title": N_("a plan's own task (kind task) needs a code and a title; built-in ones none"),
}
