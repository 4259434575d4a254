"""The platform's Ed25519 signing key: read from a file, or made once in the data dir.

Only the worker and the operator's command line sign; the key never enters the database,
so whoever can rewrite the database still cannot sign a checkpoint that hides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crossrisk.domain.checkpoint import key_fingerprint
from crossrisk.domain.errors import InvalidInput
from crossrisk.settings import Settings, private_value

KEY_FILE_NAME = "signing_key.pem"


@dataclass(frozen=True, slots=True)
class PlatformKey:
    """The signing key and the name of the platform whose journal it signs."""

    private_key: Ed25519PrivateKey
    platform: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_key)


def load_platform_key(settings: Settings) -> PlatformKey:
    """The key CROSSRISK_SIGNING_KEY_FILE names, or the data dir's, made there if absent.

    A named file must exist: making a new key in its place would silently part the
    platform from the public key the member cities keep.
    """
    if settings.signing_key_file is not None:
        path = settings.signing_key_file
        try:
            text = path.read_text("ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(
                f"cannot read the signing key {path}: {getattr(error, 'strerror', None) or error}",
                key="signing-key-unreadable",
            ) from None
    else:
        # Made once, readable by the owner only, like the secret key; every process of the
        # installation signs with the same one.
        text = private_value(settings.data_dir / KEY_FILE_NAME, _new_key_pem)
    return PlatformKey(private_key=_read(text), platform=settings.base_url)


def _new_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def _read(text: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise InvalidInput(
            "the signing key is not an unencrypted PEM private key", key="signing-key-invalid"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput("the signing key is not an Ed25519 key", key="signing-key-invalid")
    return key
