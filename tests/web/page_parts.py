"""Reading parts of rendered pages in page tests."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any


def section(html: str, element_id: str) -> str:
    """The element with this id, up to its first closing tag (none of them nest their kind)."""
    start = html.rindex("<", 0, html.index(f'id="{element_id}"'))
    tag = re.match(r"<(\w+)", html[start:])
    assert tag
    end = html.index(f"</{tag.group(1)}>", start)
    return html[start:end]


def page_data(html: str) -> dict[str, Any]:
    """The JSON a page hands its scripts."""
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found
    return dict(json.loads(found.group(1)))


def refusal(html: str) -> str:
    """The text of the page's refusal box (headline and detail), or "" when there is none."""
    found = re.search(r'<div class="alert alert-error" role="alert">(.*?)</div>', html, re.S)
    if found is None:
        return ""
    # As a reader sees it: tags between the parts, runs of spaces as one, entities resolved.
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))).strip()
