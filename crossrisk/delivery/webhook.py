"""Webhook channel: an HTTP POST of the CAP message, signed with HMAC-SHA256."""

from __future__ import annotations

import http.client
import ssl
import time
from urllib.parse import urlsplit

import crossrisk
from crossrisk.delivery.channel import Deadline, cut_at, error_text
from crossrisk.domain.delivery import (
    CAP_MEDIA_TYPE,
    ChannelKind,
    Envelope,
    Outcome,
    Target,
    sign_webhook,
)

CONTENT_TYPE = f"{CAP_MEDIA_TYPE}; charset=utf-8"
# Statuses that mean "try again later" although they are 4xx (RFC 9110 §15.5.9, RFC 6585 §4).
RETRYABLE_4XX = frozenset({408, 429})


class WebhookChannel:
    """POSTs the CAP XML to the recipient's URL within a total deadline."""

    kind = ChannelKind.WEBHOOK

    def __init__(self, *, timeout: float, ssl_context: ssl.SSLContext | None = None) -> None:
        self.timeout = timeout
        self._ssl_context = ssl_context or ssl.create_default_context()

    def send(self, envelope: Envelope, target: Target) -> Outcome:
        """Try once; 2xx delivers, 408/429/5xx and network errors retry, other codes stop."""
        if not target.secret:
            return Outcome(False, "the webhook has no signing secret", permanent=True)
        deadline = Deadline(self.timeout)
        try:
            return self._post(envelope, target, target.secret, deadline)
        except Exception as error:  # a channel reports, it never raises
            if deadline.passed():
                return Outcome(False, f"timed out after {self.timeout:g} s ({error_text(error)})")
            return Outcome(False, error_text(error))

    def close(self) -> None:
        """Nothing is kept open between sends."""

    def _post(self, envelope: Envelope, target: Target, secret: str, deadline: Deadline) -> Outcome:
        parts = urlsplit(target.address)
        host = parts.hostname or ""
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=deadline.remaining(), context=self._ssl_context
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port, timeout=deadline.remaining())
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        timestamp = int(time.time())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": f"crossrisk/{crossrisk.__version__}",
            "X-Crossrisk-Signature": sign_webhook(secret, timestamp, envelope.cap_xml),
            "X-Crossrisk-Timestamp": str(timestamp),
            "X-Crossrisk-Warning": envelope.warning_id,
            "X-Crossrisk-Purpose": envelope.purpose.value,
        }
        try:
            connection.connect()
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
