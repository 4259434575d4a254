"""Evidence files are told by their bytes; names are bare; sizes and counts bounded."""

from __future__ import annotations

import pytest

from crossrisk.domain.compensation import evidence
from crossrisk.domain.errors import CrossriskError, InvalidInput, TooLarge
from tests.evidence_support import (
    DOCX_BYTES,
    JPEG_BYTES,
    OFD_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    TEXT_BYTES,
    XLSX_BYTES,
    zipped,
)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF_BYTES, evidence.PDF),
        (PNG_BYTES, evidence.PNG),
        (JPEG_BYTES, evidence.JPEG),
        (XLSX_BYTES, evidence.XLSX),
        (DOCX_BYTES, evidence.DOCX),
        (OFD_BYTES, evidence.OFD),
        (TEXT_BYTES, evidence.TEXT),
    ],
)
def test_each_allowed_kind_is_recognised_by_its_bytes(data: bytes, media_type: str) -> None:
    assert evidence.media_type_of(data) == media_type
    assert evidence.media_type_of(data, "application/octet-stream") == media_type
    assert evidence.media_type_of(data, media_type + "; charset=utf-8") == media_type


@pytest.mark.parametrize(
    ("data", "declared", "refusal", "key"),
    [
        (b"", "", InvalidInput, "cost-evidence-empty"),
        (b"MZ\x90\x00\x03" + bytes(60), "", InvalidInput, "cost-evidence-type-not-allowed"),
        (zipped("a.txt"), "", InvalidInput, "cost-evidence-type-not-allowed"),
        (b"PK\x03\x04broken", "", InvalidInput, "cost-evidence-type-not-allowed"),
        (b"text\x00with nul", "", InvalidInput, "cost-evidence-type-not-allowed"),
        (PDF_BYTES, "text/html", InvalidInput, "cost-evidence-type-not-allowed"),
        (PNG_BYTES, "application/pdf", InvalidInput, "cost-evidence-type-mismatch"),
        (b"x" * (evidence.MAX_FILE_BYTES + 1), "", TooLarge, "cost-evidence-too-large"),
    ],
)
def test_files_not_allowed_are_refused_with_a_key(
    data: bytes, declared: str, refusal: type[CrossriskError], key: str
) -> None:
    with pytest.raises(refusal) as refused:
        evidence.media_type_of(data, declared)
    assert refused.value.key == key


@pytest.mark.parametrize(
    "name", ["", "  ", ".", "..", "a/b.pdf", "..\\b.pdf", "发票\x00.pdf", "a\nb.pdf", "x" * 201]
)
def test_names_with_path_parts_or_controls_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        evidence.check_file_name(name)
    assert refused.value.key == "cost-evidence-name-invalid"


def test_a_bare_name_is_kept_trimmed() -> None:
    assert evidence.check_file_name(" 发票 A-12.pdf ") == "发票 A-12.pdf"
    assert evidence.check_file_name("x" * 200) == "x" * 200


def test_a_line_takes_five_files_and_no_more() -> None:
    evidence.check_count(4)
    with pytest.raises(InvalidInput) as refused:
        evidence.check_count(5)
    assert refused.value.key == "cost-evidence-too-many"
