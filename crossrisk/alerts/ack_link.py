"""Signed acknowledgement links for e-mailed warnings.

The link carries the warning's identifier signed with the installation's secret key, so
whoever holds the e-mail can acknowledge that one warning, and nothing else, without
logging in; a duty officer reading the warning on a phone at night must not be stopped by
a password. The link page asks for a confirming click: mail scanners that follow links
must not acknowledge anything.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from crossrisk.domain.errors import NotPermitted

_SALT = "crossrisk-warning-ack"


def ack_token(secret_key: str, warning_id: str) -> str:
    """The token of one warning's acknowledgement link."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps(warning_id)


def ack_url(base_url: str, secret_key: str, warning_id: str) -> str:
    """The full link, under the platform's public address."""
    return f"{base_url.rstrip('/')}/ack/{ack_token(secret_key, warning_id)}"


def warning_of_token(secret_key: str, token: str) -> str:
    """The warning a link's token names, or a refusal when it was not signed by us."""
    try:
        value = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except BadSignature:
        raise NotPermitted(
            "this acknowledgement link is not valid; open the warning on the platform",
            key="ack-link-invalid",
        ) from None
    if not isinstance(value, str):
        raise NotPermitted("this acknowledgement link is not valid", key="ack-link-invalid")
    return value
