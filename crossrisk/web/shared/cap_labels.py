"""The refusal sentences of the CAP sender registry (crossrisk.services.cap_senders) and its
page, merged into refusal_labels.REFUSAL."""

from __future__ import annotations

from crossrisk.locale import N_

CAP_REFUSAL = {
    "cap-token-invalid": N_(
        "A CAP identifier must not be empty, and must hold no spaces, commas, “<” or “&”."
    ),
    "cap-sender-invalid": N_(
        "A CAP sender id is at most 53 characters; its name is 1 to 200 characters."
    ),
    "cap-sender-is-own": N_(
        "%(sender)s is the own sender id of %(organisation)s; it cannot be registered for "
        "anyone else."
    ),
    "cap-sender-exists": N_("CAP sender %(sender)s is registered already."),
    "cap-sender-not-found": N_("No CAP sender of that id is registered in your regions."),
    "cap-sender-allow-whom": N_("Name either an organisation or a feed to allow."),
    "cap-sender-certificate-missing": N_(
        "A sender can require signatures only with a certificate to check them against."
    ),
    "cap-certificate-invalid": N_(
        "The certificate is not a PEM X.509 certificate (a text file that begins with "
        "“-----BEGIN CERTIFICATE-----”)."
    ),
    "cap-senders-not-permitted": N_(
        "Only the region's coordination body or the platform operator registers its CAP "
        "senders and feeds."
    ),
    "cap-feed-url-invalid": N_(
        "A CAP feed's address is an http or https URL of at most 2000 characters."
    ),
    "cap-feed-invalid": N_("A CAP feed's name is 1 to 200 characters."),
    "cap-feed-not-found": N_("That CAP feed does not exist."),
    "cap-feed-other-region": N_("A feed may deliver only the senders of its own region."),
}
