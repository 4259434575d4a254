"""Channels' labels: the kinds of channel, a delivery's status and purpose, and the refusal
sentences of the channels page (merged into refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.domain.delivery import ChannelKind, DeliveryStatus, Purpose
from crossrisk.locale import N_

# How a warning reaches an organisation (the channels page).
CHANNEL_KIND = {
    ChannelKind.WEBHOOK: N_("Webhook"),
    ChannelKind.EMAIL: N_("E-mail"),
    ChannelKind.MQTT: N_("MQTT"),
}

DELIVERY_STATUS = {
    DeliveryStatus.PENDING: N_("Waiting"),
    DeliveryStatus.SENDING: N_("Sending"),
    DeliveryStatus.DELIVERED: N_("Delivered"),
    DeliveryStatus.FAILED: N_("Failed"),
}

DELIVERY_PURPOSE = {
    Purpose.WARNING: N_("Warning"),
    Purpose.CANCELLATION: N_("Lifted"),
    Purpose.REMINDER: N_("Reminder"),
    Purpose.ESCALATION: N_("Escalation"),
    Purpose.CHECKPOINT: N_("Journal checkpoint"),
    Purpose.TEST: N_("Test message"),
    Purpose.COPY: N_("Copy to the province"),
    Purpose.DUTY_REMINDER: N_("Duty reminder"),
    Purpose.MEETING_INVITATION: N_("Meeting invitation"),
    Purpose.MEETING_CANCELLATION: N_("Meeting cancellation"),
    Purpose.CASE_OPENED: N_("Accountability case opened"),
}

CHANNEL_REFUSAL = {
    "channel-not-permitted": N_(
        "Your account may not configure the channels of %(organisation)s: only its officers, "
        "its coordination body and the platform operator do."
    ),
    "channel-not-found": N_("There is no such channel; it may have been removed meanwhile."),
    "channel-exists": N_("This channel exists already (channel %(channel)s)."),
    "channel-kind-unknown": N_("Choose webhook, e-mail or MQTT."),
    "channel-address-invalid": N_(
        "The address %(address)s is not usable for this kind of channel."
    ),
    "channel-address-forbidden": N_(
        "%(host)s leads to a private, local or reserved network address; a webhook must "
        "reach a public address unless the operator allows that network."
    ),
    "channel-secret-too-short": N_(
        "A webhook needs a signing secret of at least %(min)s characters."
    ),
    "channel-secret-invalid": N_(
        "The signing secret is not a Standard Webhooks secret: whsec_ followed by base64, "
        "at most %(max)s characters."
    ),
    "channel-secret-unexpected": N_("Only a webhook takes a signing secret; leave it empty."),
    "channel-topic-not-own": N_(
        "The MQTT topic %(topic)s is not under the organisation's own prefix %(prefix)s/."
    ),
}
