"""The refusal sentences of drills, merged into refusal_labels.REFUSAL (issue 14)."""

from __future__ import annotations

from crossrisk.locale import N_

DRILL_REFUSAL = {
    "drill-scenario-invalid": N_(
        "The scenario has %(count)s problem(s); each is listed with its line. The first: %(first)s"
    ),
    "drill-unknown": N_("There is no drill %(drill)s."),
    "drill-party-unknown": N_("%(party)s has no organisation in the drill's region."),
    "drill-hazard-not-yet": N_(
        "The scenario names hazard %(hazard)s before the offset at which it is registered."
    ),
    "drill-scenario-not-text": N_("The scenario file is not UTF-8 text."),
    "drill-scenario-unknown": N_("There is no bundled scenario %(name)s."),
}
