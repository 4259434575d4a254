"""Failures the platform reports to people; each has a stable code and a short title."""

from __future__ import annotations

from collections.abc import Mapping


class CrossriskError(Exception):
    """Base of every expected failure; adapters map it to HTTP 4xx or CLI exit 2."""

    code = "error"
    title = "Request failed"

    def __init__(
        self, detail: str, *, key: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        # A stable name for a refusal people meet often, with the values its message
        # names, so pages can say it in their language without parsing the English detail.
        self.key = key
        self.params: Mapping[str, object] = dict(params or {})


class InvalidInput(CrossriskError):
    code = "invalid-input"
    title = "Invalid input"


class NotPermitted(CrossriskError):
    code = "not-permitted"
    title = "Not permitted"


class NotAuthenticated(CrossriskError):
    code = "not-authenticated"
    title = "Authentication required"


class NotFound(CrossriskError):
    code = "not-found"
    title = "Not found"


class InvalidTransition(CrossriskError):
    code = "invalid-transition"
    title = "Invalid transition"


class Conflict(CrossriskError):
    code = "conflict"
    title = "Conflicting change"


class TooLarge(CrossriskError):
    code = "payload-too-large"
    title = "Payload too large"


class UnsupportedMediaType(CrossriskError):
    code = "unsupported-media-type"
    title = "Unsupported media type"


class RetryLater(CrossriskError):
    """A refusal that passes with time: the answer says after how many seconds to retry."""

    def __init__(
        self,
        detail: str,
        *,
        retry_after: int,
        key: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail, key=key, params={"seconds": retry_after, **(params or {})})
        self.retry_after = max(1, retry_after)


class TooManyRequests(RetryLater):
    code = "too-many-requests"
    title = "Too many requests"


class Busy(RetryLater):
    code = "busy"
    title = "Busy, try again shortly"
