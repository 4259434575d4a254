"""Delivering early warnings: channels, targets, outcomes, retries and signatures (§3.4).

A warning reaches a recipient organisation by every channel configured for it (signed
webhook, e-mail, MQTT). Each send is one attempt with an outcome; a failed attempt is
retried with exponential backoff until the policy's bound, then given up and recorded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Organisation

DETAIL_MAX = 500
ADDRESS_MAX = 1000
SUBJECT_MAX = 300
WARNING_ID_MAX = 160
SECRET_MIN = 16
SECRET_MAX = 200
WEBHOOK_SECRET_PREFIX = "whsec_"
# The key the shortest accepted secret carries once decoded from base64.
WEBHOOK_KEY_MIN = SECRET_MIN * 3 // 4
TOPIC_MAX = 200

# The media type OASIS registered with IANA for CAP messages.
CAP_MEDIA_TYPE = "application/common-alerting-protocol+xml"
# A journal checkpoint travels as JSON (crossrisk.domain.checkpoint).
JSON_MEDIA_TYPE = "application/json"
# Checkpoint messages are queued under this id prefix, since the outbox names warnings.
CHECKPOINT_MESSAGE_PREFIX = "checkpoint-"
# Duty reminders likewise, as "duty-<id>" (crossrisk.services.duties).
DUTY_MESSAGE_PREFIX = "duty-"
# Meeting invitations likewise, as "meeting-<id>" (crossrisk.services.meetings).
MEETING_MESSAGE_PREFIX = "meeting-"
# Accountability cases' notices likewise, as "case-<id>" (crossrisk.services.case_notices).
CASE_MESSAGE_PREFIX = "case-"
# A channel's test message is queued under this id prefix and names no warning either.
TEST_MESSAGE_PREFIX = "test-"


class ChannelKind(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    MQTT = "mqtt"


class Purpose(StrEnum):
    WARNING = "warning"  # a new alert or an update: it awaits acknowledgement
    CANCELLATION = "cancellation"  # the warning is lifted: nothing to acknowledge
    REMINDER = "reminder"  # half the acknowledgement deadline has passed
    ESCALATION = "escalation"  # to the coordination body: the deadline passed unacknowledged
    CHECKPOINT = "checkpoint"  # a signed journal head for a member city to keep
    COPY = "copy"  # a level I/II warning copied to the recipient's province: for information
    DUTY_REMINDER = "duty_reminder"  # an open duty of the organisation falls due soon
    MEETING_INVITATION = "invitation"  # to a coordination meeting, with its agenda
    MEETING_CANCELLATION = "meeting_cancel"  # the meeting invited to is called off
    CASE_OPENED = "case_opened"  # an accountability case is opened against the recipient
    TEST = "test"  # a channel's test message, sent at once from the channels page

    @property
    def carries_json(self) -> bool:
        """True when the document carried is JSON, not a CAP message."""
        return self in (
            Purpose.CHECKPOINT,
            Purpose.DUTY_REMINDER,
            Purpose.MEETING_INVITATION,
            Purpose.MEETING_CANCELLATION,
            Purpose.CASE_OPENED,
        )

    @property
    def awaits_ack(self) -> bool:
        """True when the recipient is asked to acknowledge this message."""
        return self in (Purpose.WARNING, Purpose.REMINDER)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at next_attempt_at
    SENDING = "sending"  # claimed by a dispatcher until its lease ends
    DELIVERED = "delivered"
    FAILED = "failed"  # given up: permanent refusal or attempts exhausted


@dataclass(frozen=True, slots=True)
class Envelope:
    """One message to one recipient organisation, in every form a channel may need."""

    warning_id: str
    purpose: Purpose
    region_code: str
    jurisdiction_code: str  # the recipient jurisdiction: it names the MQTT topic
    subject: str  # one line
    body: str  # plain text for people
    cap_xml: bytes  # the document carried: a CAP message, or a checkpoint's JSON
    ack_url: str | None

    @property
    def media_type(self) -> str:
        """What the carried document is: CAP XML, or JSON for a journal checkpoint."""
        return JSON_MEDIA_TYPE if self.purpose.carries_json else CAP_MEDIA_TYPE


def message_subject(message_id: str) -> str:
    """The journal subject of a queued message: the warning, or the checkpoint it carries."""
    if message_id.startswith(CHECKPOINT_MESSAGE_PREFIX):
        return "checkpoint:" + message_id.removeprefix(CHECKPOINT_MESSAGE_PREFIX)
    if message_id.startswith(DUTY_MESSAGE_PREFIX):
        return "duty:" + message_id.removeprefix(DUTY_MESSAGE_PREFIX)
    if message_id.startswith(MEETING_MESSAGE_PREFIX):
        return "meeting:" + message_id.removeprefix(MEETING_MESSAGE_PREFIX)
    if message_id.startswith(TEST_MESSAGE_PREFIX):
        return "channel-test:" + message_id.removeprefix(TEST_MESSAGE_PREFIX)
    return f"warning:{message_id}"


@dataclass(frozen=True, slots=True)
class Target:
    """Where one channel sends: a URL, an e-mail address or an MQTT topic."""

    kind: ChannelKind
    address: str  # "" for MQTT: the per-jurisdiction default topic
    secret: str | None = None  # the webhook's HMAC key


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt gave: the HTTP status, SMTP reply, MQTT result or the error."""

    ok: bool
    detail: str
    permanent: bool = False  # retrying cannot help (HTTP 404, refused recipient…)

    def __post_init__(self) -> None:
        if len(self.detail) > DETAIL_MAX:
            object.__setattr__(self, "detail", self.detail[: DETAIL_MAX - 1] + "…")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: attempt n waits first·factorⁿ⁻¹ (capped), up to max_attempts."""

    max_attempts: int = 6
    first_delay_seconds: float = 2.0
    factor: float = 2.0
    max_delay_seconds: float = 300.0

    def __post_init__(self) -> None:
        if not 1 <= self.max_attempts <= 100:
            raise InvalidInput(f"max_attempts must be 1…100, got {self.max_attempts}")
        if not 0 < self.first_delay_seconds <= self.max_delay_seconds:
            raise InvalidInput("delays must satisfy 0 < first_delay_seconds <= max_delay_seconds")
        if not 1 <= self.factor <= 10:
            raise InvalidInput(f"factor must be 1…10, got {self.factor}")

    def delay_after(self, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number `attempt` (from 1); None: give up."""
        if attempt < 1:
            raise ValueError(f"attempts are numbered from 1, got {attempt}")
        if attempt >= self.max_attempts:
            return None
        # Capping the exponent first keeps factor**n finite for long policies.
        exponent = min(attempt - 1, 64)
        return float(min(self.first_delay_seconds * self.factor**exponent, self.max_delay_seconds))


def after_attempt(
    outcome: Outcome, *, attempt: int, policy: RetryPolicy, at: datetime
) -> tuple[DeliveryStatus, datetime | None]:
    """The delivery's next status and, when it is retried, when it is due again."""
    if outcome.ok:
        return DeliveryStatus.DELIVERED, None
    delay = None if outcome.permanent else policy.delay_after(attempt)
    if delay is None:
        return DeliveryStatus.FAILED, None
    return DeliveryStatus.PENDING, at + timedelta(seconds=delay)


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """A channel configured for an organisation; the secret itself never leaves the store."""

    id: int
    organisation_code: str
    kind: ChannelKind
    address: str
    secret_fingerprint: str | None
    enabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    number: int
    started_at: datetime
    finished_at: datetime | None  # None: still running, or its worker died
    ok: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message by one channel, with every attempt made so far."""

    id: int
    warning_id: str
    purpose: Purpose
    organisation_code: str
    region_code: str
    channel_id: int | None  # None once the channel was removed
    kind: ChannelKind
    address: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_detail: str
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: tuple[DeliveryAttempt, ...] = ()


def parse_channel_kind(value: str) -> ChannelKind:
    """The channel kind named by value, or InvalidInput."""
    try:
        return ChannelKind(value.strip().lower())
    except ValueError:
        known = ", ".join(kind.value for kind in ChannelKind)
        raise InvalidInput(
            f"unknown channel kind {value!r}; known: {known}",
            key="channel-kind-unknown",
            params={"value": value},
        ) from None


_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def check_target(kind: ChannelKind, address: str, secret: str | None) -> Target:
    """Refuse an address the channel could not send to; return the normalised target."""
    address = address.strip()
    if len(address) > ADDRESS_MAX:
        raise _invalid_address(kind, address, f"is longer than {ADDRESS_MAX} characters")
    match kind:
        case ChannelKind.WEBHOOK:
            _check_url(address)
            if secret is None or len(secret) < SECRET_MIN:
                raise InvalidInput(
                    f"a webhook needs a signing secret of at least {SECRET_MIN} characters",
                    key="channel-secret-too-short",
                    params={"min": SECRET_MIN},
                )
            if len(secret) > SECRET_MAX or _CONTROL.search(secret):
                raise InvalidInput(
                    f"the signing secret must be at most {SECRET_MAX} printable characters",
                    key="channel-secret-invalid",
                    params={"max": SECRET_MAX},
                )
            webhook_key(secret)
            return Target(kind, address, secret)
        case ChannelKind.EMAIL:
            if not _EMAIL.match(address):
                raise _invalid_address(kind, address, "is not an e-mail address")
        case ChannelKind.MQTT:
            _check_topic(address)
    if secret:
        raise InvalidInput(
            f"a {kind} channel takes no secret; only webhooks are signed",
            key="channel-secret-unexpected",
            params={"kind": kind.value},
        )
    return Target(kind, address, None)


def _check_url(address: str) -> None:
    if _CONTROL.search(address):
        raise _invalid_address(ChannelKind.WEBHOOK, address, "contains spaces or control bytes")
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise _invalid_address(ChannelKind.WEBHOOK, address, "is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _invalid_address(ChannelKind.WEBHOOK, address, "is not an http or https URL")
    if port == 0:
        raise _invalid_address(ChannelKind.WEBHOOK, address, "names port 0")
    # Credentials in the URL would be shown wherever the address is; the HMAC secret is
    # how the receiver knows the sender.
    if parts.username is not None or parts.password is not None:
        raise _invalid_address(ChannelKind.WEBHOOK, address, "carries credentials")
    if parts.fragment:
        raise _invalid_address(ChannelKind.WEBHOOK, address, "has a #fragment")


def _check_topic(topic: str) -> None:
    if topic == "":
        return  # the per-jurisdiction default topic
    # MQTT 3.1.1 §4.7: "+" and "#" are wildcards for subscribers only, "$" topics belong
    # to the broker, and NUL is forbidden in every topic name.
    if any(char in topic for char in "+#\x00") or topic.startswith("$"):
        raise _invalid_address(ChannelKind.MQTT, topic, "has a wildcard, a $ or a NUL")
    if len(topic) > TOPIC_MAX or _CONTROL.search(topic.replace(" ", "")):
        raise _invalid_address(ChannelKind.MQTT, topic, "is too long or has control bytes")


def _invalid_address(kind: ChannelKind, address: str, why: str) -> InvalidInput:
    shown = address if len(address) <= 80 else address[:79] + "…"
    return InvalidInput(
        f"{kind} address {shown!r} {why}",
        key="channel-address-invalid",
        params={"kind": kind.value, "address": shown},
    )


def check_envelope(envelope: Envelope) -> Envelope:
    """Refuse an envelope no channel could carry (empty CAP, multi-line subject…)."""
    if (
        not envelope.warning_id
        or len(envelope.warning_id) > WARNING_ID_MAX
        or _CONTROL.search(envelope.warning_id)
    ):
        raise InvalidInput(
            f"warning id {envelope.warning_id!r} must be 1…{WARNING_ID_MAX} printable "
            "characters without spaces",
            key="envelope-warning-id-invalid",
        )
    if "\n" in envelope.subject or "\r" in envelope.subject or not envelope.subject.strip():
        raise InvalidInput("an envelope's subject is one non-empty line", key="envelope-subject")
    if len(envelope.subject) > SUBJECT_MAX:
        raise InvalidInput(
            f"an envelope's subject is at most {SUBJECT_MAX} characters", key="envelope-subject"
        )
    if not envelope.cap_xml:
        raise InvalidInput("an envelope carries a CAP message", key="envelope-cap-missing")
    if envelope.ack_url is not None:
        try:
            _check_url(envelope.ack_url)
        except InvalidInput:
            raise InvalidInput(
                f"the acknowledgement link {envelope.ack_url[:80]!r} is not an http(s) URL",
                key="envelope-ack-url-invalid",
            ) from None
    return envelope


def default_topic(prefix: str, envelope: Envelope) -> str:
    """The MQTT topic of the recipient jurisdiction's warnings, or of its checkpoints.

    Checkpoints have a topic of their own: a CAP consumer on the warnings topic must not
    be handed JSON.
    """
    kind = {
        Purpose.CHECKPOINT: "checkpoints",
        Purpose.DUTY_REMINDER: "duties",
        Purpose.MEETING_INVITATION: "meetings",
        Purpose.MEETING_CANCELLATION: "meetings",
        Purpose.CASE_OPENED: "duties",  # a case follows from a duty of the recipient's
    }.get(envelope.purpose, "warnings")
    parts = [prefix.strip("/"), envelope.region_code, kind, envelope.jurisdiction_code]
    return "/".join(part for part in parts if part)


def own_topic_roots(
    prefix: str, organisation: Organisation, region_codes: Iterable[str]
) -> tuple[str, ...]:
    """The topics under which an organisation's warnings are published (and nothing else).

    `<prefix>/warnings/<organisation>` for topics it names itself, and for a city the
    default topic of each region it belongs to, `<prefix>/<region>/warnings/<jurisdiction>`.
    The broker's ACL (`crossrisk mqtt acl`) lets the organisation read exactly these.
    """
    roots = ["/".join(p for p in (prefix.strip("/"), "warnings", organisation.code) if p)]
    if organisation.jurisdiction_code:
        for region_code in sorted(region_codes):
            parts = (prefix.strip("/"), region_code, "warnings", organisation.jurisdiction_code)
            roots.append("/".join(p for p in parts if p))
    return tuple(roots)


def check_own_topic(topic: str, roots: tuple[str, ...]) -> None:
    """Refuse a channel topic outside the organisation's own roots ("" is its default)."""
    if topic == "" or any(topic == root or topic.startswith(root + "/") for root in roots):
        return
    # A topic elsewhere would publish one organisation's warnings where another reads.
    raise InvalidInput(
        f"MQTT topic {topic[:80]!r} is not under the organisation's own prefix {roots[0]}/",
        key="channel-topic-not-own",
        params={"topic": topic[:80], "prefix": roots[0]},
    )


def redacted(delivery: Delivery) -> Delivery:
    """A delivery as shown to another organisation: no address, no reply that may name it."""
    return replace(
        delivery,
        address="",
        last_detail="",
        attempt_log=tuple(replace(attempt, detail="") for attempt in delivery.attempt_log),
    )


def secret_fingerprint(secret: str | None) -> str | None:
    """A short digest that tells secrets apart without revealing them."""
    if not secret:
        return None
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


def webhook_key(secret: str) -> bytes:
    """The HMAC key a Standard Webhooks verifier derives from a channel's secret.

    The stock libraries read the text after an optional `whsec_` as base64 and skip
    characters outside its alphabet; reading it the same way keeps the two keys equal for
    every secret they accept. A secret that gives too short a key is refused when it is
    registered, not when a warning is on its way.
    """
    try:
        key = base64.b64decode(secret.removeprefix(WEBHOOK_SECRET_PREFIX) + "==")
    except (binascii.Error, ValueError):
        key = b""
    if len(key) < WEBHOOK_KEY_MIN:
        raise InvalidInput(
            "the webhook secret is not a Standard Webhooks secret (whsec_ followed by the "
            f"base64 of at least {WEBHOOK_KEY_MIN} random bytes)",
            key="channel-secret-invalid",
            params={"max": SECRET_MAX},
        )
    return key
