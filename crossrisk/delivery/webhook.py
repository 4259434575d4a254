"""Webhook channel: an HTTP POST of the CAP message, signed in the Standard Webhooks format.

A journal checkpoint is posted the same way, as JSON (its Content-Type says which).

Receivers verify with any Standard Webhooks library (https://www.standardwebhooks.com):
`webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`). The channel's secret is the Standard Webhooks secret itself, in
its usual form `whsec_` + base64: the HMAC key is what that text decodes to, read exactly
as the stock verifiers read it, so the receiver hands its library the very string the
channel was registered with. A secret registered as free text before keeps working the
same way (base64 skips the characters outside its alphabet), unless too little key is
left of it.
"""

from __future__ import annotations

import hashlib
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

import crossrisk
from crossrisk.delivery.channel import Deadline, cut_at, error_text
from crossrisk.delivery.destinations import OutboundGuard, Unresolved
from crossrisk.delivery.outbound_http import open_connection
from crossrisk.domain.delivery import (
    CAP_MEDIA_TYPE,
    ChannelKind,
    Envelope,
    Outcome,
    Target,
    webhook_key,
)
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.outbound import DestinationRefused

CONTENT_TYPE = f"{CAP_MEDIA_TYPE}; charset=utf-8"  # a warning's; a checkpoint's is JSON
# Statuses that mean "try again later" although they are 4xx (RFC 9110 §15.5.9, RFC 6585 §4).
RETRYABLE_4XX = frozenset({408, 429})


class SecretUnusable(ValueError):
    """The channel's secret gives no HMAC key a Standard Webhooks verifier could share."""


def signing_key(secret: str) -> bytes:
    """The HMAC key a Standard Webhooks verifier derives from this secret.

    The stock libraries take the text after an optional `whsec_` as base64 and skip
    characters outside its alphabet; the same reading here keeps the two keys equal for
    every secret they accept.
    """
    try:
        return webhook_key(secret)
    except InvalidInput as refused:
        raise SecretUnusable(f"{refused.detail}; register a new one") from None


def webhook_id(queued_id: str, body: bytes) -> str:
    """The webhook-id: one per queued message, the same on every retry of it.

    The queue's own id keeps two messages apart and a retry the same; the body's digest
    (a CAP message's identifier and sent time are its own) keeps ids apart across
    databases, so a platform installed afresh does not reuse ids a receiver has seen.
    """
    return f"msg_{queued_id}_{hashlib.sha256(body).hexdigest()[:16]}"


def signature_headers(
    secret: str, *, message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers signing this body at this time."""
    sent = datetime.fromtimestamp(timestamp, tz=UTC)
    signature = Webhook(signing_key(secret)).sign(message_id, sent, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


class WebhookChannel:
    """POSTs the CAP XML to the recipient's URL within a total deadline, through the guard."""

    kind = ChannelKind.WEBHOOK

    def __init__(
        self,
        *,
        timeout: float,
        guard: OutboundGuard,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.timeout = timeout
        self.guard = guard
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._clock = clock  # the signed timestamp's source, Unix seconds

    def send(self, envelope: Envelope, target: Target, *, message_id: str) -> Outcome:
        """Try once; 2xx delivers, 408/429/5xx and network errors retry, other codes stop."""
        if not target.secret:
            return Outcome(False, "the webhook has no signing secret", permanent=True)
        try:
            headers = self._headers(envelope, target.secret, message_id)
        except SecretUnusable as error:
            return Outcome(False, str(error), permanent=True)
        deadline = Deadline(self.timeout)
        try:
            return self._post(envelope, target, headers, deadline)
        except DestinationRefused as refused:
            # Checked at registration too; here it means the name now resolves elsewhere
            # (or the operator narrowed the allow-list). Retrying would only probe again.
            return Outcome(False, f"refused: {refused.detail}", permanent=True)
        except Unresolved as error:
            return Outcome(False, str(error))
        except Exception as error:  # a channel reports, it never raises
            if deadline.passed():
                return Outcome(False, f"timed out after {self.timeout:g} s ({error_text(error)})")
            return Outcome(False, error_text(error))

    def close(self) -> None:
        """Nothing is kept open between sends."""

    def _headers(self, envelope: Envelope, secret: str, queued_id: str) -> dict[str, str]:
        return {
            "Content-Type": f"{envelope.media_type}; charset=utf-8",
            "User-Agent": f"crossrisk/{crossrisk.__version__}",
            **signature_headers(
                secret,
                message_id=webhook_id(queued_id, envelope.cap_xml),
                timestamp=int(self._clock()),
                body=envelope.cap_xml,
            ),
            "X-Crossrisk-Warning": envelope.warning_id,
            "X-Crossrisk-Purpose": envelope.purpose.value,
        }

    def _post(
        self, envelope: Envelope, target: Target, headers: dict[str, str], deadline: Deadline
    ) -> Outcome:
        connection, path = open_connection(
            target.address, guard=self.guard, deadline=deadline, ssl_context=self._ssl_context
        )
        try:
            assert connection.sock is not None
            connection.sock.settimeout(deadline.remaining())
            with cut_at(deadline, connection.sock) as cut:
                connection.request("POST", path, body=envelope.cap_xml, headers=headers)
                response = connection.getresponse()
                status, reason = response.status, response.reason
        finally:
            connection.close()
        if cut.fired:
            return Outcome(False, f"timed out after {self.timeout:g} s (answer incomplete)")
        return _outcome(status, reason)


def _outcome(status: int, reason: str) -> Outcome:
    detail = f"HTTP {status} {reason}".strip()
    if 200 <= status < 300:
        return Outcome(True, detail)
    if 300 <= status < 400:
        # Redirects are not followed: a signed warning goes only where it was configured.
        return Outcome(False, f"{detail} (redirects are not followed)", permanent=True)
    if 400 <= status < 500 and status not in RETRYABLE_4XX:
        return Outcome(False, detail, permanent=True)
    return Outcome(False, detail)
