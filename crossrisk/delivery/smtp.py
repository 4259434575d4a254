"""E-mail channel: the warning as text for people, with the CAP message attached.

A journal checkpoint goes the same way, its JSON document attached.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from crossrisk.delivery.channel import Deadline, cut_at, error_text
from crossrisk.domain.delivery import ChannelKind, Envelope, Outcome, Target


class EmailChannel:
    """Sends one message per attempt over SMTP, within a total deadline."""

    kind = ChannelKind.EMAIL

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        timeout: float,
        ack_link: Callable[[str], str] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout
        # Signs the acknowledgement link of a warning; the worker knows the secret key and
        # the public address, the service that queued the message does not.
        self.ack_link = ack_link

    def send(self, envelope: Envelope, target: Target, *, message_id: str = "") -> Outcome:
        """Try once; a 5xx reply is permanent, a 4xx reply or a network error is retried."""
        deadline = Deadline(self.timeout)
        if envelope.ack_url is None and envelope.purpose.awaits_ack and self.ack_link:
            envelope = replace(envelope, ack_url=self.ack_link(envelope.warning_id))
        try:
            message = compose(envelope, sender=self.sender, recipient=target.address)
            return self._transmit(message, target.address, deadline)
        except smtplib.SMTPResponseException as error:
            return _refused(error.smtp_code, error.smtp_error)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()), (0, b""))
            return _refused(code, reply)
        except Exception as error:  # a channel reports, it never raises
            if deadline.passed():
                return Outcome(False, f"timed out after {self.timeout:g} s ({error_text(error)})")
            return Outcome(False, error_text(error))

    def close(self) -> None:
        """Nothing is kept open between sends."""

    def _transmit(self, message: EmailMessage, recipient: str, deadline: Deadline) -> Outcome:
        client = smtplib.SMTP(self.host, self.port, timeout=deadline.remaining())
        try:
            # smtplib raises on a reply cut short, so any reply read here is complete.
            with cut_at(deadline, client.sock):
                client.ehlo_or_helo_if_needed()
                code, reply = client.mail(self.sender)
                if code != 250:
                    return _refused(code, reply)
                code, reply = client.rcpt(recipient)
                if code not in (250, 251):
                    return _refused(code, reply)
                code, reply = client.data(message.as_bytes(policy=SMTP))
                if code != 250:
                    return _refused(code, reply)
                # The message is accepted; a lost goodbye does not matter.
                with suppress(smtplib.SMTPException, OSError):
                    client.quit()
            return Outcome(True, _reply(code, reply))
        finally:
            client.close()


def compose(envelope: Envelope, *, sender: str, recipient: str) -> EmailMessage:
    """The e-mail: UTF-8 text with the acknowledgement link, the CAP XML attached."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = envelope.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # RFC 3834: tells auto-responders (holiday replies) not to answer a machine.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Crossrisk-Warning"] = envelope.warning_id
    message["X-Crossrisk-Purpose"] = envelope.purpose.value
    body = envelope.body.rstrip()
    if envelope.ack_url and envelope.ack_url not in body:
        body += f"\n\n确认收到 / Acknowledge receipt:\n{envelope.ack_url}"
    # Quoted-printable keeps the message 7-bit, so relays without 8BITMIME pass it intact.
    message.set_content(body + "\n", charset="utf-8", cte="quoted-printable")
    # A warning carries its CAP message; a checkpoint, the JSON document the city keeps.
    maintype, subtype = envelope.media_type.split("/", 1)
    extension = "json" if envelope.purpose.carries_json else "xml"
    message.add_attachment(
        envelope.cap_xml,
        maintype=maintype,
        subtype=subtype,
        filename=f"{envelope.warning_id}.{extension}",
    )
    return message


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}".strip()


def _refused(code: int, reply: bytes | str) -> Outcome:
    # RFC 5321 §4.2.1: 5yz is a permanent negative completion, 4yz a transient one.
    return Outcome(False, _reply(code, reply), permanent=500 <= code < 600)
