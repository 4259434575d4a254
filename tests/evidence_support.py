"""Small files of each kind a cost line takes as evidence, built in memory."""

from __future__ import annotations

import io
import zipfile

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
TEXT_BYTES = "发票号 0042，金额 300,000.00 元\n".encode()


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


XLSX_BYTES = zipped("[Content_Types].xml", "xl/workbook.xml")
DOCX_BYTES = zipped("[Content_Types].xml", "word/document.xml")
OFD_BYTES = zipped("OFD.xml", "Doc_0/Document.xml")
