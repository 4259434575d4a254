"""What the registration and what-if pages share: the form that describes a hazard."""

from __future__ import annotations

from typing import Any

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.domain.region import Region
from crossrisk.domain.risk import RiskCategory
from crossrisk.web.risks import forms, hazard_fields
from crossrisk.web.shared.i18n import PageLanguage


def hazard_form_context(
    lang: PageLanguage,
    actor: Actor,
    form: forms.RiskForm,
    readable: list[Region],
    *,
    refusal: CrossriskError | None = None,
) -> dict[str, Any]:
    """The template context of the hazard form, with the page data of its map picker."""
    return {
        "form": form,
        "regions": readable,
        "categories": list(RiskCategory),
        # Every type and every model's parameters: the script narrows them, the server checks.
        "hazard_options": hazard_fields.hazard_options(lang),
        "parameter_groups": hazard_fields.parameter_groups(
            lang, form.typed_parameters(), error=hazard_fields.field_error(lang, refusal)
        ),
        "page_data": picker_page_data(lang, actor),
    }


def picker_page_data(lang: PageLanguage, actor: Actor) -> dict[str, Any]:
    """What the map picker's script needs: where boundaries are, and what it says."""
    return {
        "lang": lang.locale.html_lang,
        "boundariesUrl": "/api/regions/{region}/jurisdictions",
        "ownJurisdiction": actor.jurisdiction_code,
        "texts": {
            "noMapLibrary": lang.gettext(
                "The map library is not installed on this server "
                "(run scripts/install_web_assets.sh); type the coordinates instead."
            ),
            "loadFailed": lang.gettext("The city boundaries could not be loaded."),
            "placed": lang.gettext("Hazard source placed in %(city)s."),
            "outside": lang.gettext("That point lies outside the member cities of the region."),
            "invalidGeojson": lang.gettext("The pasted text is not GeoJSON yet."),
        },
    }
