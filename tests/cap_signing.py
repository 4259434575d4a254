"""Keys, self-signed certificates and XML-DSig signatures for the tests of signed CAP alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import SignatureMethod
from signxml.signer import XMLSigner


@dataclass(frozen=True)
class SigningKey:
    key_pem: bytes
    certificate_pem: str


def signing_key(name: str = "swj.huangshan.gov.cn", *, valid_days: int = 3650) -> SigningKey:
    """A fresh RSA key and a self-signed certificate for it, as a sender would hold them."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=valid_days))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


def sign(xml: bytes, key: SigningKey) -> bytes:
    """The alert with an enveloped XML signature over all of it, as its last child."""
    root = etree.fromstring(xml)
    signed = XMLSigner(signature_algorithm=SignatureMethod.RSA_SHA256).sign(
        root, key=key.key_pem, cert=key.certificate_pem
    )
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
