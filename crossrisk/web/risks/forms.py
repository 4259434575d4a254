"""The pages' forms: what they submit, and reading it into domain values.

Every field arrives as text so that a refused form can be shown again exactly as it was
typed; refusals name the field in the visitor's language.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from crossrisk.domain.risk import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    RiskCategory,
    RiskDraft,
    RiskStatus,
)
from crossrisk.http.deps import ID_MAX
from crossrisk.web.risks import hazard_fields
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal

# A pasted hazard source larger than this is not a drawing but a data load, which the API
# is for; the limit keeps a slip of the clipboard from reaching the geometry parser.
GEOJSON_MAX = 500_000


class RiskForm(BaseModel):
    """The registration form; the what-if form is the same without title and description."""

    # The model parameters arrive as extra fields "param-<name>" (see hazard_fields).
    model_config = ConfigDict(extra="allow")

    csrf_token: str = ""
    region: str = ""
    category: str = ""
    title: str = ""
    description: str = ""
    likelihood: str = "3"
    consequence: str = "3"
    geometry_kind: str = "point"  # "point" (longitude/latitude) or "geojson" (pasted)
    longitude: str = ""
    latitude: str = ""
    geojson: str = ""
    hazard_type: str = hazard_fields.DEFAULT_HAZARD_TYPE

    def typed_parameters(self) -> dict[str, str]:
        """The parameter fields as typed, by the model's parameter name."""
        return hazard_fields.typed_parameters(self.model_extra)


class TransitionForm(BaseModel):
    csrf_token: str = ""
    to: str = ""
    reason: str = ""
    version: str = ""


class ReassessmentForm(BaseModel):
    csrf_token: str = ""
    likelihood: str = ""
    consequence: str = ""
    reason: str = ""
    version: str = ""


class ParametersForm(BaseModel):
    """A new hazard type or new model parameters for a registered risk."""

    model_config = ConfigDict(extra="allow")

    csrf_token: str = ""
    hazard_type: str = ""
    reason: str = ""
    version: str = ""

    def typed_parameters(self) -> dict[str, str]:
        """The parameter fields as typed, by the model's parameter name."""
        return hazard_fields.typed_parameters(self.model_extra)


class ConfirmationForm(BaseModel):
    csrf_token: str = ""
    version: str = ""


class LeadForm(BaseModel):
    csrf_token: str = ""
    lead: str = ""
    reason: str = ""


def risk_draft(form: RiskForm, lang: PageLanguage, *, what_if: bool = False) -> RiskDraft:
    """The draft a registration form describes, or PageRefusal naming the first bad field.

    A what-if form has no title or description: nothing of it is kept.
    """
    _ = lang.gettext
    try:
        category = RiskCategory(form.category)
    except ValueError:
        raise PageRefusal(_("Choose a category.")) from None
    title = "" if what_if else text(lang, _("Title"), form.title, limit=TITLE_MAX)
    description = (
        ""
        if what_if
        else text(lang, _("Description"), form.description, limit=DESCRIPTION_MAX, required=False)
    )
    geometry = hazard_geometry(form, lang)
    likelihood = scale(lang, _("Likelihood"), form.likelihood)
    consequence = scale(lang, _("Consequence"), form.consequence)
    chosen = hazard_fields.hazard_type(lang, form.hazard_type, category)
    return RiskDraft(
        category=category,
        title=title,
        description=description,
        hazard_geometry=geometry,
        likelihood=likelihood,
        consequence=consequence,
        hazard_type=chosen.key,
        parameters=hazard_fields.read_parameters(lang, chosen.pathway, form.typed_parameters()),
    )


def text(lang: PageLanguage, field: str, value: str, *, limit: int, required: bool = True) -> str:
    """A trimmed free text within its limit."""
    trimmed = value.strip()
    if required and not trimmed:
        raise PageRefusal(lang.gettext("%(field)s must not be empty.") % {"field": field})
    if len(trimmed) > limit:
        raise PageRefusal(
            lang.gettext("%(field)s is %(length)d characters long; the limit is %(limit)d.")
            % {"field": field, "length": len(trimmed), "limit": limit}
        )
    return trimmed


def scale(lang: PageLanguage, field: str, value: str) -> int:
    """A step 1..5 of the assessment scale."""
    if value.strip() not in {"1", "2", "3", "4", "5"}:
        raise PageRefusal(lang.gettext("Choose %(field)s from 1 to 5.") % {"field": field})
    return int(value)


def hazard_geometry(form: RiskForm, lang: PageLanguage) -> dict[str, Any]:
    """The hazard source: a clicked or typed point, or pasted GeoJSON."""
    _ = lang.gettext
    if form.geometry_kind == "geojson":
        source = form.geojson.strip()
        if not source:
            raise PageRefusal(_("Paste the GeoJSON of the hazard source."))
        if len(source) > GEOJSON_MAX:
            raise PageRefusal(_("The pasted GeoJSON is too large for the form; use the API."))
        try:
            geometry = json.loads(source)
        except json.JSONDecodeError as exc:
            raise PageRefusal(
                _("The pasted text is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        except RecursionError:
            # Thousands of nested brackets exhaust the parser before they make any JSON
            # error; no geometry nests more than four deep.
            raise PageRefusal(
                _("The pasted GeoJSON nests its brackets deeper than any geometry.")
            ) from None
        if not isinstance(geometry, dict):
            raise PageRefusal(_("The pasted GeoJSON must be a geometry or a feature object."))
        return geometry
    longitude = _coordinate(lang, _("Longitude"), form.longitude, bound=180)
    latitude = _coordinate(lang, _("Latitude"), form.latitude, bound=90)
    return {"type": "Point", "coordinates": [longitude, latitude]}


def _coordinate(lang: PageLanguage, field: str, value: str, *, bound: float) -> float:
    _ = lang.gettext
    if not value.strip():
        raise PageRefusal(
            _("%(field)s is missing: click the map or type the coordinates.") % {"field": field}
        )
    try:
        number = float(value.strip())
    except ValueError:
        raise PageRefusal(_("%(field)s must be a number of degrees.") % {"field": field}) from None
    if not math.isfinite(number) or not -bound <= number <= bound:
        raise PageRefusal(
            _("%(field)s must lie between -%(bound)d and %(bound)d degrees.")
            % {"field": field, "bound": bound}
        )
    return number


def status(lang: PageLanguage, value: str) -> RiskStatus:
    """The status a transition form asks for."""
    try:
        return RiskStatus(value)
    except ValueError:
        raise PageRefusal(lang.gettext("Choose the next status.")) from None


def reason(lang: PageLanguage, value: str) -> str:
    """The reason every change of a risk must give."""
    return text(lang, lang.gettext("Reason"), value, limit=REASON_MAX)


def version(value: str) -> int | None:
    """The version the form was filled in against; a changed risk is then not overwritten."""
    text = value.strip()
    # Versions are 32-bit in the store: a longer number is no version read from a page.
    return (
        int(text)
        if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= ID_MAX
        else None
    )
