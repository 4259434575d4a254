"""A CAP 1.2 document: read safely, and valid against the bundled OASIS schema.

References are to the clauses of the OASIS Common Alerting Protocol Version 1.2
(CAP-v1.2-os): §3.2.1 alert, §3.2.2 info, §3.2.4 area, §3.3.2 dates and times.
"""

from __future__ import annotations

import hashlib
import re
import threading
from importlib import resources

from lxml import etree

from crossrisk.domain.errors import InvalidInput, TooLarge

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ALERT_TAG = f"{{{CAP_NS}}}alert"

# A CAP alert is a few kilobytes; one with ten 100-point polygons about 25 kB. A megabyte
# leaves room for other senders' detailed areas while refusing a document meant to exhaust
# memory before a byte of it is parsed.
MAX_CAP_BYTES = 1_048_576

_XSD_PATH = "specs/cap/CAP-v1.2.xsd"
XSD_SHA256 = "b7798ef25868b068c97b268bda02d067c7d4ba9373adc5638bf37105804ee723"


def cap_tag(name: str) -> str:
    """The qualified name of a CAP 1.2 element."""
    return f"{{{CAP_NS}}}{name}"


_schemas = threading.local()  # lxml validators keep an error log: one per thread


def _schema() -> etree.XMLSchema:
    schema: etree.XMLSchema | None = getattr(_schemas, "schema", None)
    if schema is None:
        data = resources.files("crossrisk.data").joinpath(_XSD_PATH).read_bytes()
        schema = etree.XMLSchema(etree.fromstring(data, _safe_parser()))
        _schemas.schema = schema
    return schema


def bundled_xsd_digest() -> str:
    """SHA-256 of the bundled CAP 1.2 schema, to show it is the OASIS file unchanged."""
    data = resources.files("crossrisk.data").joinpath(_XSD_PATH).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _safe_parser() -> etree.XMLParser:
    # No DTD is loaded and no entity is expanded or fetched: the defences against entity
    # expansion ("billion laughs") and external entities (XXE) that a document from
    # another system needs. huge_tree=False keeps libxml2's limits on depth and text size.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def safe_root(xml: bytes, *, max_bytes: int) -> etree._Element:
    """The root of a CAP document, refused if too large, not well-formed or with a DOCTYPE."""
    if not isinstance(xml, bytes | bytearray):
        raise InvalidInput(
            f"a CAP message must be given as bytes, got {type(xml).__name__}", key="cap-not-bytes"
        )
    if len(xml) > max_bytes:
        raise TooLarge(
            f"the CAP message is {len(xml)} bytes; the limit is {max_bytes} bytes",
            key="cap-too-large",
            params={"size": len(xml), "limit": max_bytes},
        )
    # CAP needs no DTD, and a DOCTYPE is how entity bombs and external entities arrive:
    # refuse it outright, before the parser sees it (and again below, for encodings
    # where the bytes do not spell it in ASCII).
    if b"<!DOCTYPE" in xml or b"<!doctype" in xml:
        raise _doctype_refused()
    try:
        root = etree.fromstring(bytes(xml), _safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        reason = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or "unreadable"))
        raise InvalidInput(
            f"the CAP message is not well-formed XML at line {line}, column {column}: {reason}",
            key="cap-malformed",
            params={"line": line, "column": column, "reason": reason},
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_refused()
    return root


def _doctype_refused() -> InvalidInput:
    return InvalidInput(
        "the CAP message has a DOCTYPE; DTDs and entity declarations are not accepted",
        key="cap-doctype",
    )


def validate_root(root: etree._Element) -> None:
    """Refuse a parsed document that is not a CAP 1.2 alert valid against the schema."""
    if root.tag != ALERT_TAG:
        namespace = etree.QName(root).namespace or "no namespace"
        local = etree.QName(root).localname
        raise InvalidInput(
            f"the document is not a CAP 1.2 alert: its root is <{local}> in {namespace}; "
            f"expected <alert> in {CAP_NS}",
            key="cap-not-cap12",
            params={"root": local, "namespace": namespace},
        )
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log[0]
        message = error.message.replace(f"{{{CAP_NS}}}", "cap:")
        raise InvalidInput(
            f"the CAP message is not valid CAP 1.2: line {error.line}: {message}",
            key="cap-invalid",
            params={"line": error.line, "reason": message},
        )


def validate_cap(xml: bytes) -> None:
    """Refuse a document that is not a CAP 1.2 alert valid against the OASIS schema."""
    validate_root(safe_root(xml, max_bytes=MAX_CAP_BYTES))
