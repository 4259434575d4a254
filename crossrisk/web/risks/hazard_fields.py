"""The hazard type and model parameters of the forms that describe a hazard.

Every model's parameters are on the form at once, grouped by model, so that the form works
without scripts (a script only hides the groups the chosen hazard type does not use); the
server reads the group of the chosen type and names a bad parameter in the visitor's
language before the service checks it again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.data import substances
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.propagation import PARAMETERS, HazardType, Parameter, assessment_parameters
from crossrisk.domain.reach import Pathway
from crossrisk.domain.risk import RiskCategory
from crossrisk.domain.substance import substance_names
from crossrisk.services.policy_tables import hazard_types
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal

FIELD_PREFIX = "param-"
DEFAULT_HAZARD_TYPE = "area"

# Parameters whose blank means "not known", not "the model supplies it".
NOT_GIVEN_WHEN_BLANK = frozenset({"mass_kg", "rate_kg_s"})

# The field a model's cross-check of several parameters (domain.propagation) is shown at:
# the one an officer most likely mistyped.
REFUSAL_FIELD = {
    "spill-mass-and-rate": "rate_kg_s",
    "spill-rate-without-duration": "release_hours",
    "release-longer-than-horizon": "release_hours",
    "river-too-far": "snap_tolerance_km",
    "unknown-substance": "substance",
}


class ParameterRefusal(PageRefusal):
    """A refused model parameter, said in the visitor's language and shown at its field."""

    def __init__(self, detail: str, *, pathway: Pathway, name: str) -> None:
        super().__init__(detail)
        self.pathway = pathway
        self.name = name


@dataclass(frozen=True, slots=True)
class FieldError:
    """Which parameter field a refusal belongs to, and what to say there."""

    pathway: Pathway | None  # None: the field of that name in whichever group is used
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class HazardOption:
    """A hazard type as the form's list offers it."""

    key: str
    name: str
    pathway: Pathway
    categories: tuple[str, ...]  # empty: every category


@dataclass(frozen=True, slots=True)
class ParameterField:
    """One parameter input, with what the officer needs to fill it in."""

    name: str  # the model's name, as the API takes it
    field: str  # the form field's name
    label: str
    unit: str
    value: str
    hint: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    inputmode: str = "decimal"  # what a phone's keyboard offers
    # The element id: every model's group is on the form at once and some share a parameter
    # (the river models' snapping tolerance), so the id names the model too.
    id: str = ""
    error: str = ""  # why the value was refused, shown next to the field


@dataclass(frozen=True, slots=True)
class ParameterGroup:
    """The parameters of one propagation model."""

    pathway: Pathway
    title: str
    used_by: str  # the hazard types that use this model
    fields: tuple[ParameterField, ...]


def hazard_options(lang: PageLanguage, *, category: str | None = None) -> list[HazardOption]:
    """The hazard types, or only those that fit a category; the area type first."""
    options = [
        HazardOption(
            key=found.key,
            name=lang.pick(found.name_zh, found.name_en),
            pathway=found.pathway,
            categories=tuple(sorted(found.categories)),
        )
        for found in hazard_types().values()
        if category is None or not found.categories or category in found.categories
    ]
    options.sort(key=lambda option: option.key != DEFAULT_HAZARD_TYPE)
    return options


def hazard_type(lang: PageLanguage, key: str, category: RiskCategory) -> HazardType:
    """The hazard type a form chose, refused in the visitor's language if it does not fit."""
    found = hazard_types().get(key.strip() or DEFAULT_HAZARD_TYPE)
    if found is None:
        raise PageRefusal(lang.gettext("Choose a hazard type."))
    if found.categories and category.value not in found.categories:
        raise PageRefusal(
            lang.gettext(
                "The hazard type “%(type)s” does not apply to the category “%(category)s”."
            )
            % {
                "type": lang.pick(found.name_zh, found.name_en),
                "category": lang.category(category),
            }
        )
    return found


def typed_parameters(extra: Mapping[str, Any] | None) -> dict[str, str]:
    """The parameter fields of a submitted form, by the model's name, as typed."""
    typed = {}
    for key, value in (extra or {}).items():
        if not key.startswith(FIELD_PREFIX):
            continue
        # A field sent twice (a crafted request) counts once: the last value, as in HTML.
        text = value[-1] if isinstance(value, list) and value else value
        typed[key.removeprefix(FIELD_PREFIX)] = text if isinstance(text, str) else ""
    return typed


def parameter_groups(
    lang: PageLanguage,
    typed: Mapping[str, str],
    *,
    current: Mapping[str, Any] | None = None,
    pathways: Iterable[Pathway] | None = None,
    error: FieldError | None = None,
) -> list[ParameterGroup]:
    """Every model's parameter inputs: as typed, else the risk's current value, else default."""
    current = current or {}
    chosen = list(pathways) if pathways is not None else list(PARAMETERS)
    groups = []
    for pathway in chosen:
        users = [
            lang.pick(found.name_zh, found.name_en)
            for found in hazard_types().values()
            if found.pathway is pathway
        ]
        fields = []
        for name, spec in PARAMETERS[pathway].items():
            value = typed[name] if name in typed else shown(current.get(name, spec.default))
            fields.append(
                ParameterField(
                    name=name,
                    field=FIELD_PREFIX + name,
                    label=lang.parameter(name),
                    unit=lang.unit(spec.unit),
                    value=value,
                    hint=_hint(lang, spec, pathway),
                    choices=_choices(lang, pathway, name, spec),
                    inputmode="text" if spec.text_length else "decimal",
                    id=f"{FIELD_PREFIX}{pathway.value}-{name}",
                    error=(
                        error.text
                        if error is not None
                        and error.name == name
                        and error.pathway in (None, pathway)
                        else ""
                    ),
                )
            )
        groups.append(
            ParameterGroup(
                pathway=pathway,
                title=lang.pathway(pathway),
                used_by=lang.gettext(", ").join(users),
                fields=tuple(fields),
            )
        )
    return groups


def _choices(
    lang: PageLanguage, pathway: Pathway, name: str, spec: Parameter
) -> tuple[tuple[str, str], ...]:
    if pathway is Pathway.SPILL and name == "substance":
        # A spill is judged by its substance's limits: one of the table, or none known.
        known = tuple((s.key, lang.pick(s.name_zh, s.name_en)) for s in substances().values())
        return (("", lang.gettext("Not known")), *known)
    return tuple((choice, lang.choice(name, choice)) for choice in spec.choices)


def read_parameters(
    lang: PageLanguage, pathway: Pathway, typed: Mapping[str, str]
) -> dict[str, Any]:
    """The model's complete parameters from the form: a blank field takes the default.

    Each value is checked at its field, then the model's checks across parameters (a
    spill's mass and rate) run as the service will run them, so that their refusal too
    is shown at a field.
    """
    values = {}
    for name, spec in PARAMETERS[pathway].items():
        try:
            values[name] = _read(lang, spec, typed.get(name, "").strip())
        except PageRefusal as refusal:
            raise ParameterRefusal(refusal.detail, pathway=pathway, name=name) from None
    try:
        assessment_parameters(pathway, values)
    except InvalidInput as refusal:
        at = REFUSAL_FIELD.get(refusal.key or "")
        if at is None:
            raise
        raise ParameterRefusal(lang.error_detail(refusal), pathway=pathway, name=at) from None
    return values


def field_error(lang: PageLanguage, refusal: CrossriskError | None) -> FieldError | None:
    """The parameter field a refusal belongs to, if it belongs to one."""
    if isinstance(refusal, ParameterRefusal):
        return FieldError(refusal.pathway, refusal.name, refusal.detail)
    if refusal is not None and refusal.key in REFUSAL_FIELD:
        return FieldError(None, REFUSAL_FIELD[refusal.key], lang.error_detail(refusal))
    return None


def shown(value: object) -> str:
    """A parameter value as a form field shows it: plain digits, no needless decimals."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, "g")


def described(
    lang: PageLanguage,
    pathway: Pathway,
    values: Mapping[str, Any],
    *,
    hazard_type: str | None = None,
) -> list[str]:
    """A risk's parameters in words, "Wind speed: 3 m/s", for its facts table."""
    separator = lang.gettext(": ")
    lines = []
    for name, spec in PARAMETERS[pathway].items():
        value = values.get(name)
        if value is None:
            if spec.text_length or name in NOT_GIVEN_WHEN_BLANK:
                continue  # a substance not named, a mass not known: no fact to list
            text = lang.gettext("from the model's data")
        elif spec.choices:
            text = lang.choice(name, str(value))
        elif spec.text_length:
            # A spill stores a key of the substance table; a gas release, free text.
            text = lang.pick(*substance_names(substances(), str(value)))
        else:
            text = f"{shown(value)} {lang.unit(spec.unit)}".strip()
        lines.append(f"{lang.parameter(name, hazard_type)}{separator}{text}")
    return lines


def _hint(lang: PageLanguage, spec: Parameter, pathway: Pathway | None = None) -> str:
    if pathway is Pathway.SPILL and spec.name == "substance":
        return lang.gettext("its limits and loss rate come from the substance table")
    if spec.choices:
        return lang.parameter_hint(spec.name)
    if spec.text_length:
        return lang.gettext("a name, up to %(count)d characters; blank if none") % {
            "count": spec.text_length
        }
    default = (
        lang.gettext("blank")
        if spec.default is None
        else f"{shown(spec.default)} {lang.unit(spec.unit)}".strip()
    )
    text = lang.gettext("%(minimum)s to %(maximum)s; default %(default)s") % {
        "minimum": shown(spec.minimum),
        "maximum": shown(spec.maximum),
        "default": default,
    }
    extra = lang.parameter_hint(spec.name)
    return f"{text}{lang.gettext('; ')}{extra}" if extra else text


def _read(lang: PageLanguage, spec: Parameter, text: str) -> float | str | None:
    _ = lang.gettext
    field = lang.parameter(spec.name)
    if not text:
        return spec.default
    if spec.text_length:
        if len(text) > spec.text_length:
            raise PageRefusal(
                _("%(field)s may be at most %(count)d characters long.")
                % {"field": field, "count": spec.text_length}
            )
        return spec.read(text)
    if spec.choices:
        if not any(choice.lower() == text.lower() for choice in spec.choices):
            raise PageRefusal(_("Choose %(field)s from the list.") % {"field": field})
        return spec.read(text)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    unit = lang.unit(spec.unit)
    if not math.isfinite(number):
        raise PageRefusal(
            _("%(field)s must be a number (%(unit)s); “%(value)s” is not.")
            % {"field": field, "unit": unit or "—", "value": text[:40]}
        )
    if spec.integer and not number.is_integer():
        raise PageRefusal(_("%(field)s must be a whole number.") % {"field": field})

    def amount(value: float) -> str:
        return f"{shown(value)} {unit}".strip()

    if spec.minimum is not None and number < spec.minimum:
        raise PageRefusal(
            _("%(field)s must be at least %(bound)s; %(value)s was given.")
            % {"field": field, "bound": amount(spec.minimum), "value": amount(number)}
        )
    if spec.maximum is not None and number > spec.maximum:
        raise PageRefusal(
            _("%(field)s must be at most %(bound)s; %(value)s was given.")
            % {"field": field, "bound": amount(spec.maximum), "value": amount(number)}
        )
    return spec.read(number)
