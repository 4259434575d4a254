"""Whether a received CAP alert is of now: expired alerts act on nothing, future ones are refused.

A feed joined midway, or a directory of old alerts imported, delivers alerts whose
<expires> has passed (CAP 1.2 §3.2.2): they are history, recorded but never opened as a
live risk. An alert `sent` well after now is no clock drift but a wrong clock or a forged
time; acting on it would let it order itself after alerts that really came later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crossrisk.alerts.cap.parse import IncomingAlert
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import InvalidInput

# How far a sender's clock may run ahead of ours. Senders' clocks are NTP-synchronised to
# within seconds; an hour covers a wrong time zone on a hand-written file's minutes, not
# its hours, and still refuses an alert dated a day (or a year) ahead.
MAX_SENT_AHEAD = timedelta(hours=1)


def check_sent(alert: IncomingAlert, *, now: datetime) -> None:
    """Refuse an alert sent implausibly far in the future."""
    if alert.sent > now + MAX_SENT_AHEAD:
        raise InvalidInput(
            f"the CAP alert was sent {cap_time(alert.sent)}, more than "
            f"{MAX_SENT_AHEAD.total_seconds() / 3600:g} h after now ({cap_time(now)}); "
            "check the sender's clock",
            key="cap-sent-in-future",
            params={"sent": cap_time(alert.sent), "now": cap_time(now)},
        )


def has_expired(alert: IncomingAlert, *, now: datetime) -> bool:
    """True when every <info> block has an <expires> and all of them have passed."""
    # A block without <expires> is in force until an Update or Cancel says otherwise.
    expiries = [info.expires for info in alert.infos]
    return bool(expiries) and all(expires is not None and expires <= now for expires in expiries)
