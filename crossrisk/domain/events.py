"""Events announced after a use case commits, and the in-process bus that carries them.

Events are values the domain names (the journal action they follow); the bus only hands
them to subscribers in this process, after the transaction that caused them committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    name: str  # the journal action it follows, e.g. "risk.registered"
    subject: str
    region_code: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[Event], None]


class EventBus:
    """Delivers events to subscribers in this process; a failing subscriber is logged, not fatal."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._lock = threading.Lock()

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Register a handler; returns a function that removes it."""
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe

    def subscriber_count(self) -> int:
        """How many handlers are subscribed now (a stream that ended has let go of its own)."""
        with self._lock:
            return len(self._handlers)

    def publish(self, event: Event) -> None:
        """Hand the event to every subscriber."""
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("event handler failed for %s", event.name)
