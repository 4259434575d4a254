"""The problems of a refused file (a plan, a drill scenario), line by line, in the page's
language."""

from __future__ import annotations

from collections.abc import Mapping

from crossrisk.domain.errors import CrossriskError
from crossrisk.web.shared.i18n import PageLanguage


def problem_lines(
    refusal: CrossriskError | None,
    lang: PageLanguage,
    *,
    key: str,
    texts: Mapping[str, str],
) -> list[str]:
    """Each problem of a file refused with `key`, "Line N: …"; `texts` holds the English of
    each problem key, which the catalogs translate."""
    if refusal is None or refusal.key != key:
        return []
    problems = refusal.params.get("errors")
    lines = []
    for problem in problems if isinstance(problems, list) else []:
        params: Mapping[str, str] = problem.get("params", {})
        text = lang.gettext(texts[problem["key"]]) % dict(params)
        lines.append(
            lang.gettext("Line %(line)s: %(problem)s") % {"line": problem["line"], "problem": text}
        )
    return lines
