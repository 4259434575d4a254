"""The aiosmtpd handler the e-mail tests run in a separate server process.

It stores accepted mail in a maildir, like aiosmtpd's Mailbox, and refuses recipients at
refused.example with a permanent 550, so a refusal can be tested against a real server.
"""

from __future__ import annotations

from typing import Any

from aiosmtpd.handlers import Mailbox

REFUSED_DOMAIN = "@refused.example"


class RefusingMailbox(Mailbox):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower().endswith(REFUSED_DOMAIN):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"
