"""XML-DSig signatures of received CAP 1.2 alerts, checked against a registered certificate.

CAP 1.2 §3.3.4: a sender may sign an alert with an enveloped XML Signature, placed as the
alert's last child where the schema's <any namespace="…xmldsig#"> admits it. The signature
counts only if it covers the whole alert (a reference to the document, URI=""), so what
was signed is exactly what the platform reads; a signature over some inner part would let
the rest be rewritten.
"""

from __future__ import annotations

import copy

from cryptography import x509
from lxml import etree
from signxml.exceptions import SignXMLException
from signxml.verifier import SignatureConfiguration, XMLVerifier

from crossrisk.alerts.cap.schema import ALERT_TAG, MAX_CAP_BYTES, safe_root
from crossrisk.domain.errors import InvalidInput, NotPermitted

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
SIGNATURE_TAG = f"{{{DSIG_NS}}}Signature"


def is_signed(xml: bytes) -> bool:
    """True when the alert carries an XML signature anywhere in it."""
    root = safe_root(xml, max_bytes=MAX_CAP_BYTES)
    return next(root.iter(SIGNATURE_TAG), None) is not None


def check_certificate(pem: str) -> str:
    """Refuse text that is not one PEM X.509 certificate; return it trimmed."""
    text = pem.strip()
    try:
        x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise InvalidInput(
            "the certificate is not a PEM X.509 certificate", key="cap-certificate-invalid"
        ) from None
    return text + "\n"


def verify_signature(xml: bytes, *, certificate_pem: str, sender_id: str) -> None:
    """Refuse the alert unless its signature is valid, by the certificate, over all of it."""
    root = safe_root(xml, max_bytes=MAX_CAP_BYTES)
    signatures = list(root.iter(SIGNATURE_TAG))
    if len(signatures) != 1 or signatures[0].getparent() is not root:
        raise _refused(sender_id, "it must carry one enveloped signature, a child of <alert>")
    try:
        result = XMLVerifier().verify(
            root,
            x509_cert=certificate_pem,
            expect_config=SignatureConfiguration(location="./", expect_references=1),
        )
    except SignXMLException as exc:
        raise _refused(sender_id, str(exc).strip() or type(exc).__name__) from None
    signed = result.signed_xml  # type: ignore[union-attr]
    unsigned = copy.deepcopy(root)
    for signature in list(unsigned.iter(SIGNATURE_TAG)):
        parent = signature.getparent()
        assert parent is not None
        parent.remove(signature)
    if (
        signed is None
        or signed.tag != ALERT_TAG
        or etree.tostring(signed, method="c14n") != etree.tostring(unsigned, method="c14n")
    ):
        raise _refused(sender_id, "the signature does not cover the whole alert")


def _refused(sender_id: str, reason: str) -> NotPermitted:
    return NotPermitted(
        f"the CAP alert's signature does not verify against the certificate registered for "
        f"{sender_id}: {reason}",
        key="cap-signature-invalid",
        params={"sender": sender_id},
    )
