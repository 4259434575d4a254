"""A cost line's evidence files: what may be attached, told by the bytes, not the label.

A file is one of an allow-list of kinds (PDF, PNG, JPEG, XLSX, DOCX, OFD, plain text),
recognised by its signature; a declared media type must agree with it. A name is a bare
file name (no path parts, no control characters), at most 200 characters. A file holds at
most 10 MiB and a line at most 5 files. Pure: no I/O.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.errors import InvalidInput, TooLarge

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_LINE = 5
NAME_MAX = 200

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFD = "application/ofd"
TEXT = "text/plain"
ALLOWED_TYPES = (PDF, PNG, JPEG, XLSX, DOCX, OFD, TEXT)
# A declared type that says nothing: the bytes alone decide.
UNDECLARED = ("", "application/octet-stream")
_TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One file attached to a cost line, without its bytes."""

    id: int | None
    line_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    attached_by: str
    attached_at: datetime


def check_file_name(name: str) -> str:
    """A bare file name, or InvalidInput keyed "cost-evidence-name-invalid"."""
    shown = name[:64].replace("\x00", "\\0")
    stripped = name.strip()
    if (
        not stripped
        or len(stripped) > NAME_MAX
        or stripped in (".", "..")
        or any(c in "/\\" or ord(c) < 32 or ord(c) == 127 for c in stripped)
    ):
        raise InvalidInput(
            f"{shown!r} is not a bare file name of at most {NAME_MAX} characters",
            key="cost-evidence-name-invalid",
            params={"name": shown, "limit": NAME_MAX},
        )
    return stripped


def media_type_of(data: bytes, declared: str = "") -> str:
    """The allowed media type the bytes are, agreeing with the declared one, or a refusal."""
    if not data:
        raise InvalidInput("the file is empty", key="cost-evidence-empty")
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(
            f"the file is over {MAX_FILE_BYTES} bytes, the limit",
            key="cost-evidence-too-large",
            params={"limit": MAX_FILE_BYTES},
        )
    said = declared.split(";")[0].strip().lower()[:100]
    if said not in UNDECLARED and said not in ALLOWED_TYPES:
        raise InvalidInput(
            f"{said!r} is not a kind of evidence file taken",
            key="cost-evidence-type-not-allowed",
            params={"type": said},
        )
    found = sniff(data)
    if found is None:
        raise InvalidInput(
            "the file is none of PDF, PNG, JPEG, XLSX, DOCX, OFD or plain text",
            key="cost-evidence-type-not-allowed",
            params={"type": said or "?"},
        )
    if said not in UNDECLARED and said != found:
        raise InvalidInput(
            f"the file is declared {said} but its bytes are {found}",
            key="cost-evidence-type-mismatch",
            params={"declared": said, "found": found},
        )
    return found


def sniff(data: bytes) -> str | None:
    """The allowed media type whose signature the bytes carry, if any."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    return TEXT if _is_text(data) else None


def _zipped(data: bytes) -> str | None:
    # Only the central directory is read; nothing is decompressed.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
        return None
    return OFD if "OFD.xml" in names else None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) in _TEXT_CONTROLS or ord(c) == 127 for c in text)


def check_count(attached: int) -> None:
    """Refuse one more file for a line that holds `attached` already at the limit."""
    if attached >= MAX_FILES_PER_LINE:
        raise InvalidInput(
            f"a cost line holds at most {MAX_FILES_PER_LINE} files",
            key="cost-evidence-too-many",
            params={"limit": MAX_FILES_PER_LINE},
        )
