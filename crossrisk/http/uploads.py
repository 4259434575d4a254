"""A multipart form carrying one evidence file, bounded before it is parsed.

The paths that take such a form are left out of the body limit (crossrisk.http.body_limit)
and read their body here, refused (413) beyond a file's limit and a small form around it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from crossrisk.domain.compensation.evidence import MAX_FILE_BYTES, EvidenceFile
from crossrisk.http.deps import body_within
from crossrisk.services.costs import Upload, checked_upload

FORM_OVERHEAD = 64 * 1024


async def bounded_form(request: Request) -> FormData:
    """The request's form, its body read up to a file's limit first; close it after use."""
    body = await body_within(
        request,
        MAX_FILE_BYTES + FORM_OVERHEAD,
        what="the file",
        key="cost-evidence-too-large",
    )

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, replay).form(max_files=1, max_fields=200)


async def evidence_upload(form: FormData, field: str = "file") -> Upload | None:
    """The form's file, checked; None when the field is absent or left empty."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        return None
    data = await upload.read(MAX_FILE_BYTES + 1)
    if not data and not upload.filename:
        return None  # a browser's form with no file chosen
    return checked_upload(upload.filename or "", data, declared_type=upload.content_type or "")


def evidence_download(evidence: EvidenceFile, data: bytes) -> Response:
    """The bytes as an attachment of their checked type, never sniffed by the browser."""
    return Response(
        data,
        media_type=evidence.media_type,
        headers={
            "Content-Disposition": content_disposition(evidence.file_name),
            "X-Content-Type-Options": "nosniff",
        },
    )


def content_disposition(file_name: str) -> str:
    """`attachment`, with an ASCII fallback name and the UTF-8 name (RFC 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in file_name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
