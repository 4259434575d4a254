"""A size limit on every request body, enforced before anything parses it.

A route that reads a larger body on purpose (a batch of observations, a CAP message) takes
it with `deps.body_within` and its own limit; every other body, JSON or form, is read here
first, up to the default, and refused as soon as its declared length, or the bytes
received so far, exceed it. Such bodies are small, so holding one whole costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crossrisk.http.problems import problem

DEFAULT_LIMIT = 1024 * 1024


class BodyLimit:
    """ASGI middleware: a 413 problem for a body over the limit, before the app reads it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = DEFAULT_LIMIT,
        own_limits: Collection[str] = (),
        own_patterns: Collection[str] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.own_limits = frozenset(own_limits)  # paths that bound their bodies themselves
        # Paths with ids in them that do the same, as regular expressions matching whole.
        self.own_patterns = [re.compile(p) for p in own_patterns]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._own_limit(scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body.extend(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _own_limit(self, path: str) -> bool:
        return path in self.own_limits or any(p.fullmatch(path) for p in self.own_patterns)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            "payload-too-large",
            "Payload too large",
            f"the request body is over {self.limit} bytes, the limit",
            key="body-too-large",
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else None
    return None
